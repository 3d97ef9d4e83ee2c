import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { REPO_ROOT } from '../support/corpus';

/** What a typical editor (VS Code) announces: pull diagnostics, location links, file renames in workspace edits. */
export const EDITOR_CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    definition: { linkSupport: true },
    rename: { prepareSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: false } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
};

export interface LspClient {
  connection: ProtocolConnection;
  initializeResult: InitializeResult;
  /** Messages the server logged (window/logMessage) and showed (window/showMessage). */
  logs: string[];
  shown: string[];
  /** What the server process wrote to stderr so far (a crash's stack trace lands here). */
  stderr(): string;
  /** Whether the server process is still running. */
  running(): boolean;
  /** Resolves with the first line the server logged (so far or later) that matches `pattern`. */
  waitForLog(pattern: RegExp): Promise<string>;
  uri(relativePath: string): string;
  /** Opens a file (relative to the first workspace folder, or absolute) with its text on disk, or with `text` when given. */
  open(relativePath: string, text?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Which server: `built` (dist/server.js, what users run; the default) or `source`
   * (server/src/server.ts through tsx, for tiers that run without a build).
   */
  server?: 'built' | 'source';
  /** The client's initializationOptions (the VS Code client sends ClarifierInitializationOptions). */
  initializationOptions?: Record<string, unknown>;
  /** Registers the client-side handlers a test needs before the connection listens; they replace the defaults. */
  handle?: (connection: ProtocolConnection) => void;
  /**
   * Whether startServer waits for the initial workspace scan (the default). A test of what the
   * server answers during the scan passes false, and asks `workspace/symbol` itself to know when it ended.
   */
  waitForScan?: boolean;
}

/** The command line that starts the chosen server over stdio. */
function serverCommand(which: 'built' | 'source'): string[] {
  if (which === 'source')
    return [
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      path.join(REPO_ROOT, 'server', 'src', 'server.ts'),
      '--stdio',
    ];
  const serverPath = path.join(REPO_ROOT, 'dist', 'server.js');
  if (!existsSync(serverPath))
    throw new Error(`${serverPath} does not exist: build the server first with \`node scripts/build.mjs\`.`);
  return [serverPath, '--stdio'];
}

/**
 * Starts the language server over stdio (the built one unless `options.server` says `source`) and
 * initializes it with one workspace folder, or several (relative paths then name files of the
 * first). Waits for the initial workspace scan by asking for workspace symbols, which the server
 * answers only after the scan.
 */
export async function startServer(
  folders: string | string[],
  capabilities: ClientCapabilities = EDITOR_CAPABILITIES,
  settings: Record<string, unknown> | null = null,
  options: StartOptions = {},
): Promise<LspClient> {
  const child: ChildProcess = spawn(process.execPath, serverCommand(options.server ?? 'built'), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const logs: string[] = [];
  const shown: string[] = [];
  const logWaiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  connection.onNotification('window/logMessage', (params: { message: string }) => {
    logs.push(params.message);
    for (const waiter of logWaiters.splice(0))
      if (waiter.pattern.test(params.message)) waiter.resolve(params.message);
      else logWaiters.push(waiter);
  });
  connection.onNotification('window/showMessage', (params: { message: string }) => shown.push(params.message));
  connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
    shown.push(params.message);
    return null;
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  // answers like an editor whose `clarifier.*` settings are `settings`
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === 'clarifier' ? settings : null)),
  );
  options.handle?.(connection);
  connection.listen();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    if (code) logs.push(`server exited with code ${code}: ${stderr}`);
  });

  const folderList = typeof folders === 'string' ? [folders] : folders;
  const folder = folderList[0];
  const rootUri = URI.file(folder).toString();
  const initializeResult = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: folderList.map((each) => ({ uri: URI.file(each).toString(), name: path.basename(each) })),
    capabilities: settings
      ? { ...capabilities, workspace: { ...capabilities.workspace, configuration: true } }
      : capabilities,
    initializationOptions: options.initializationOptions,
  })) as InitializeResult;
  await connection.sendNotification('initialized', {});
  if (options.waitForScan !== false) await connection.sendRequest('workspace/symbol', { query: '' });

  const uri = (relativePath: string) => URI.file(path.join(folder, relativePath)).toString();
  let version = 1;
  return {
    connection,
    initializeResult,
    logs,
    shown,
    stderr: () => stderr,
    running: () => child.exitCode === null && child.signalCode === null,
    waitForLog(pattern) {
      const logged = logs.find((line) => pattern.test(line));
      return logged !== undefined
        ? Promise.resolve(logged)
        : new Promise((resolve) => logWaiters.push({ pattern, resolve }));
    },
    uri,
    async open(relativePath, text) {
      const documentUri = path.isAbsolute(relativePath) ? URI.file(relativePath).toString() : uri(relativePath);
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri: documentUri,
          languageId: 'markdown',
          version: version++,
          text: text ?? readFileSync(path.resolve(folder, relativePath), 'utf8'),
        },
      });
      return documentUri;
    },
    async stop() {
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit');
      } catch {
        // the server is gone already
      }
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
      connection.dispose();
    },
  };
}

/** Zero-based position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${nth + 1}) is not in the text`);
  }
  at += delta;
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}
