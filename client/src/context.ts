import { existsSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type NotificationType,
  type RequestType,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { ClarifierInitializationOptions, CodeLensData, CommandType } from '../../server/src/protocol';
import type { Logger } from '../../server/src/engine/modelFeatures';
import { channelLogger, leveledChannel } from './output';
import { withFixReport } from './walkthrough';

/** The id is also the settings prefix: vscode-languageclient reads `clarifier.trace.server` by it. */
const CLIENT_ID = 'clarifier';

/** Markdown files on disk and unsaved ones: every registration names its schemes (VS Code warns about one without). */
export const MARKDOWN_SELECTOR: { scheme: string; language: string }[] = [
  { scheme: 'file', language: 'markdown' },
  { scheme: 'untitled', language: 'markdown' },
];

/**
 * One per activation: owns the output channel, the language client and every disposable. Commands
 * and listeners are registered on it once; a server restart keeps them and changes only the client
 * they talk to, so nothing needs module-level state to survive a restart.
 */
export class ClarifierContext implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly logger: Logger;
  private client: LanguageClient | undefined;
  private readonly serverStarted = new vscode.EventEmitter<void>();
  /** Fires each time a language server is up: at start and after every restart (it has forgotten what it was told). */
  readonly onDidStartServer = this.serverStarted.event;
  private readonly diagnosticsReceived = new vscode.EventEmitter<string>();
  /**
   * Fires with a document's URI each time the server's diagnostics for it arrive (a pull that
   * completed): from then on the editor's diagnostics are the server's findings, not "none yet".
   */
  readonly onDidReceiveDiagnostics = this.diagnosticsReceived.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    // A log channel: each line carries its level, and "Developer: Set Log Level" filters it.
    this.output = vscode.window.createOutputChannel('Thought Clarifier', { log: true });
    this.logger = channelLogger(this.output);
    extension.subscriptions.push(this.output, this.serverStarted, this.diagnosticsReceived, this);
  }

  get workspaceState(): vscode.Memento {
    return this.extension.workspaceState;
  }

  get secrets(): vscode.SecretStorage {
    return this.extension.secrets;
  }

  /** Where the extension may keep files for this workspace (the clause-test answer cache). */
  storageFolder(name: string): string {
    return path.join((this.extension.storageUri ?? this.extension.globalStorageUri).fsPath, name);
  }

  /** Disposed with the extension. */
  push(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  registerCommand<Args extends unknown[]>(
    command: CommandType<Args> | string,
    handler: (...args: Partial<Args>) => unknown,
  ): void {
    this.push(
      vscode.commands.registerCommand(
        typeof command === 'string' ? command : command.id,
        handler as (...args: unknown[]) => unknown,
      ),
    );
  }

  get hasClient(): boolean {
    return !!this.client;
  }

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  /** The typed request, or a rejection saying that the server is not running. */
  sendRequest<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    return this.client
      ? this.client.sendRequest(type, params, token)
      : Promise.reject(new Error('the language server is not running'));
  }

  /** Sent only to a running server: one that starts later is told again through onDidStartServer. */
  async sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> {
    if (this.client?.state === State.Running) await this.client.sendNotification(type, params);
  }

  /** Starts the language server; reports a failure in the output and a notification and resolves to undefined. */
  async start(onFailure: (cause: string) => void): Promise<LanguageClient | undefined> {
    try {
      const serverModule = this.extension.asAbsolutePath(path.join('dist', 'server.js'));
      if (!existsSync(serverModule)) {
        throw new Error(
          `the server module ${serverModule} is missing. Reinstall the extension, or run "npm run build" in a development checkout.`,
        );
      }
      const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnvironment() } },
        debug: {
          module: serverModule,
          transport: TransportKind.ipc,
          options: { env: serverEnvironment(), execArgv: ['--nolazy', '--inspect=6011'] },
        },
      };
      const clientOptions: LanguageClientOptions = {
        documentSelector: MARKDOWN_SELECTOR,
        middleware: {
          // quick fixes report that they were applied: a walkthrough step completes on it
          provideCodeActions: async (document, range, context, token, next) =>
            withFixReport(await next(document, range, context, token)),
          // A pull the client cancels (an edit or a refresh while the server still lints) would
          // otherwise come back as an empty report, and the editor would drop every squiggle and
          // count "0 findings" for the seconds a big spec takes to lint. Cancelled, it keeps the last
          // diagnostics until the rescheduled pull answers.
          provideDiagnostics: async (document, previousResultId, token, next) => {
            const report = await next(document, previousResultId, token);
            if (token.isCancellationRequested) throw new vscode.CancellationError();
            this.diagnosticsReceived.fire((document instanceof vscode.Uri ? document : document.uri).toString());
            return report;
          },
          // LSP commands have no tooltip: the server sends a lens's in its data, VS Code shows it on hover
          provideCodeLenses: async (document, token, next) => {
            const lenses = await next(document, token);
            for (const lens of lenses ?? []) {
              const tooltip = (lens as { data?: Partial<CodeLensData> }).data?.tooltip;
              if (lens.command && typeof tooltip === 'string') lens.command.tooltip = tooltip;
            }
            return lenses;
          },
        },
        synchronize: {
          configurationSection: 'clarifier',
          fileEvents: [
            vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'),
            vscode.workspace.createFileSystemWatcher('**/{.clarifier.json,clarifier.config.json}'),
          ],
        },
        // The language client writes "[Error - 9:41:00 PM] ..." lines; re-levelled, they obey the
        // channel's level filter. Protocol traces (clarifier.trace.server) share the channel at info level,
        // interleaved with the server's log.
        outputChannel: leveledChannel(this.output),
        traceOutputChannel: leveledChannel(this.output),
        // a function, so that a restart after a clarifier.logLevel change sends the new level
        // modelTiersInClient: the extension host calls the model (the key stays here), never the server
        // editorHasMarkdownOutline: VS Code's Markdown extension draws the outline; a spec's structure is in the Specs view
        initializationOptions: (): ClarifierInitializationOptions => ({
          trace: vscode.workspace.getConfiguration('clarifier').get<string>('logLevel', 'info'),
          modelTiersInClient: true,
          editorHasMarkdownOutline: true,
        }),
        diagnosticPullOptions: { onChange: true, onSave: true },
      };
      const client = new LanguageClient(CLIENT_ID, 'Thought Clarifier', serverOptions, clientOptions);
      this.client = client;
      this.push(
        client.onDidChangeState((event) => {
          if (event.newState === State.Running && this.client === client) this.serverStarted.fire();
        }),
      );
      this.output.info(`starting the language server from ${serverModule}`);
      await client.start();
      this.output.info('language server started');
      return client;
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      const message = `Thought Clarifier: the language server did not start: ${cause}`;
      this.output.error(message);
      onFailure(cause);
      this.client = undefined;
      void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && this.output.show());
      return undefined;
    }
  }

  async restart(): Promise<void> {
    if (!this.client) return;
    this.output.info('restarting the language server');
    try {
      await this.client.restart();
    } catch (error) {
      const message = `Thought Clarifier: the language server did not restart: ${error instanceof Error ? error.message : String(error)}`;
      this.output.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && this.output.show());
    }
  }

  async stop(): Promise<void> {
    await this.client?.stop();
  }

  dispose(): void {
    // the client is stopped by deactivate(), which VS Code awaits; disposing cannot wait
  }
}

/** The server's environment without the API key: model calls run in the extension host only. */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  return env;
}
