import type {
  CancellationToken,
  ClientCapabilities,
  Connection,
  Diagnostic,
  ServerCapabilities,
  TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, Logger, ResolvedConfig } from './engine/languageService';

/**
 * What a handler module needs to wire itself to the connection. Handler modules live in
 * server/src/handlers/, export `register(context)`, and are listed in server.ts; they reach the
 * engine only through its facade (`service`, engine/languageService.ts).
 */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  service: LanguageService;
  logger: Logger;
  /** Wraps a handler so that it never throws: errors are logged and `empty` is returned. */
  guard<P, R>(
    name: string,
    empty: R,
    handler: (params: P, token: CancellationToken) => R | Promise<R>,
  ): (params: P, token?: CancellationToken) => Promise<R>;
  /** Resolves when the initial workspace scan is done. */
  ready(): Promise<void>;
  /** The config in force for a document: defaults, then the config file, then `clarifier.*` settings for that resource. */
  configFor(uri: string): Promise<ResolvedConfig>;
  diagnose(uri: string, token?: CancellationToken): Promise<Diagnostic[]>;
  /** Re-checks these files (all open ones when omitted): re-publishes, or asks the editor to pull again. */
  refreshDiagnostics(uris?: readonly string[]): void;
  /** Merged into the initialize result: a feature module sets its provider options here when registered. */
  capabilities: ServerCapabilities;
  /** Set from the initialize request before any handler runs. */
  clientCapabilities: ClientCapabilities;
  /** The client's initializationOptions (ClarifierInitializationOptions for the VS Code client); set at initialize. */
  initializationOptions: Record<string, unknown>;
}
