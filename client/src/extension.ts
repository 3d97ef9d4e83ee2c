import { existsSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerClauseTests } from './clauseTests';
import { registerClarify } from './clarify';
import { MarkAsSpecNotification, StatusRequest, type StatusResult } from '../../server/src/protocol';

/** The id is also the settings prefix: vscode-languageclient reads `clarifier.trace.server` by it. */
const CLIENT_ID = 'clarifier';
const DIAGNOSTIC_SOURCE = 'clarifier';

let client: LanguageClient | undefined;

/**
 * A thin client: it starts the language server, shows what the server knows in the status bar,
 * and reports failures instead of swallowing them.
 */
export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient } | undefined> {
  // A log channel: each line carries its level, and "Developer: Set Log Level" filters it.
  const output = vscode.window.createOutputChannel('Thought Clarifier', { log: true });
  const status = new SpecStatus(output);
  context.subscriptions.push(output, status);

  // Registered before the server starts, so "Show Output" works when the start fails.
  context.subscriptions.push(
    vscode.commands.registerCommand('clarifier.showOutput', () => output.show()),
    vscode.commands.registerCommand('clarifier.treatAsSpec', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      await client.sendNotification(MarkAsSpecNotification, { uri: editor.document.uri.toString() });
      await rememberAsSpec(editor.document.uri);
      await status.refresh();
    }),
    vscode.commands.registerCommand('clarifier.restartServer', async () => {
      if (client) await restart(output, status);
      else await start(context, output, status);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('clarifier.logLevel')) return;
      warnIfDebugHidden(output);
      // The server takes its log level at start-up; a restart is cheap and keeps the server simple.
      if (client) await restart(output, status);
    }),
  );
  warnIfDebugHidden(output);
  return start(context, output, status);
}

async function start(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, status: SpecStatus): Promise<{ client: LanguageClient } | undefined> {
  try {
    const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
    if (!existsSync(serverModule)) {
      throw new Error(`the server module ${serverModule} is missing. Reinstall the extension, or run "npm run build" in a development checkout.`);
    }
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'untitled', language: 'markdown' },
      ],
      synchronize: {
        configurationSection: 'clarifier',
        fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'), vscode.workspace.createFileSystemWatcher('**/{.clarifier.json,clarifier.config.json}')],
      },
      // The language client writes "[Error - 9:41:00 PM] ..." lines; re-levelled, they obey the
      // channel's level filter. Protocol traces (clarifier.trace.server) share the channel at info level,
      // interleaved with the server's log.
      outputChannel: leveledChannel(output),
      traceOutputChannel: leveledChannel(output),
      // a function, so that a restart after a clarifier.logLevel change sends the new level
      initializationOptions: () => ({ trace: vscode.workspace.getConfiguration('clarifier').get<string>('logLevel', 'info') }),
      diagnosticPullOptions: { onChange: true, onSave: true },
    };
    client = new LanguageClient(CLIENT_ID, 'Thought Clarifier', serverOptions, clientOptions);
    registerClauseTests(context, client, output);
    registerClarify(context, client, output);
    status.attach(client);
    output.info(`starting the language server from ${serverModule}`);
    await client.start();
    output.info('language server started');
    void status.refresh();
    return { client };
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    const message = `Thought Clarifier: the language server did not start: ${cause}`;
    output.error(message);
    status.showFailure(cause);
    client = undefined;
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output.show());
    return undefined;
  }
}

async function restart(output: vscode.LogOutputChannel, status: SpecStatus): Promise<void> {
  if (!client) return;
  output.info('restarting the language server');
  try {
    await client.restart();
    void status.refresh();
  } catch (error) {
    const message = `Thought Clarifier: the language server did not restart: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output.show());
  }
}

/**
 * The status bar item for the active Markdown editor: whether it is a spec, its clause count and
 * its findings. Findings come from the diagnostics the editor already has; the clause count from
 * the server, asked at most every few hundred milliseconds while typing.
 */
class SpecStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clarifier.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private latest: (StatusResult & { uri: string }) | undefined;
  private pending: NodeJS.Timeout | undefined;
  private generation = 0;
  private lastDocument: vscode.TextDocument | undefined;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.item.name = 'Thought Clarifier';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // the Output panel is an editor too; it says nothing about the spec being edited
        if (editor?.document.uri.scheme !== 'output') void this.refresh();
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const shown = this.lastDocument?.uri.toString();
        if (!shown || !event.uris.some((uri) => uri.toString() === shown)) return;
        this.render();
        this.refreshSoon();
      }),
    );
  }

  attach(client: LanguageClient): void {
    this.client = client;
  }

  showFailure(cause: string): void {
    this.item.text = '$(error) Clarifier';
    this.item.tooltip = `The Thought Clarifier language server did not start: ${cause}\nClick to show the output.`;
    this.item.command = 'clarifier.showOutput';
    this.item.show();
  }

  private refreshSoon(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), 400);
  }

  async refresh(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const document = active?.uri.scheme === 'output' ? this.lastDocument : active;
    this.lastDocument = document;
    if (!this.client || !document || document.languageId !== 'markdown') {
      this.latest = undefined;
      this.item.hide();
      return;
    }
    const generation = ++this.generation;
    const uri = document.uri.toString();
    try {
      const result = await this.client.sendRequest<StatusResult>(StatusRequest, { uri });
      // a newer request (another editor, a later edit) owns the item now
      if (generation !== this.generation) return;
      this.latest = { ...result, uri };
      this.render();
    } catch (error) {
      this.output.warn(`status request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private render(): void {
    const document = this.lastDocument;
    const latest = this.latest;
    if (!latest || !document || document.uri.toString() !== latest.uri) return;
    if (!latest.isSpec) {
      this.item.text = '$(book) Not a spec';
      this.item.tooltip = 'Thought Clarifier does not treat this file as a spec. Click to check it as one ("Clarifier: Treat This File as a Spec").';
      this.item.command = 'clarifier.treatAsSpec';
    } else {
      const findings = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE).length;
      this.item.text = `$(checklist) ${plural(latest.clauses, 'clause')} · ${plural(findings, 'finding')}`;
      this.item.tooltip = `Spec: ${plural(latest.sections, 'section')}, ${plural(latest.clauses, 'clause')}, ${plural(latest.examples, 'example')}, ${plural(findings, 'finding')}. Click to open the outline.`;
      this.item.command = 'outline.focus';
    }
    this.item.show();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** An OutputChannel for the language client that writes each line at its level into a log channel. */
function leveledChannel(log: vscode.LogOutputChannel): vscode.OutputChannel {
  const write = (text: string) => {
    for (const line of text.replace(/\n$/, '').split('\n')) {
      // "[Error - 9:41:00 PM] [error] message": the client's prefix, then the server's own level
      const client = /^\[(Error|Warn|Info|Debug|Trace|Log)\s*- [^\]]*\] ?/.exec(line);
      let message = client ? line.slice(client[0].length) : line;
      let level = client?.[1].toLowerCase() ?? 'info';
      const server = /^\[(error|warn|info|debug)\] /.exec(message);
      if (server) {
        level = server[1];
        message = message.slice(server[0].length);
      }
      if (level === 'error') log.error(message);
      else if (level === 'warn') log.warn(message);
      else if (level === 'debug') log.debug(message);
      else log.info(message);
    }
  };
  return {
    name: log.name,
    append: write,
    appendLine: write,
    replace: (value: string) => {
      log.clear();
      write(value);
    },
    clear: () => log.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => log.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus),
    hide: () => log.hide(),
    dispose: () => undefined, // the log channel belongs to the extension, not to one client
  };
}

/** Debug lines are dropped by the channel itself unless its own level allows them: say how. */
function warnIfDebugHidden(output: vscode.LogOutputChannel): void {
  const wanted = vscode.workspace.getConfiguration('clarifier').get<string>('logLevel', 'info');
  if (wanted === 'debug' && output.logLevel > vscode.LogLevel.Debug) {
    output.warn('clarifier.logLevel is "debug", but this channel shows info and above: run "Developer: Set Log Level...", pick "Thought Clarifier" and choose Debug to see the debug lines.');
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** Keeps "treat as spec" across reloads: the file joins the folder's `clarifier.include` globs. */
async function rememberAsSpec(uri: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return; // an untitled or outside file: the server remembers it for this session only
  const relative = vscode.workspace.asRelativePath(uri, false);
  const settings = vscode.workspace.getConfiguration('clarifier', folder.uri);
  const include = settings.get<string[]>('include', []);
  if (include.includes(relative)) return;
  try {
    await settings.update('include', [...include, relative], vscode.ConfigurationTarget.WorkspaceFolder);
  } catch (error) {
    void vscode.window.showWarningMessage(`Thought Clarifier checks ${relative} as a spec for this session, but could not save that in the folder's settings: ${error instanceof Error ? error.message : String(error)}`);
  }
}
