import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerClauseTests } from './clauseTests';
import { registerClarify } from './clarify';
import { MarkAsSpecNotification, StatusRequest, type StatusResult } from '../../server/src/protocol';

let client: LanguageClient | undefined;

/**
 * A thin client: it starts the language server, shows what the server knows in the status bar,
 * and reports failures instead of swallowing them.
 */
export async function activate(context: vscode.ExtensionContext): Promise<{ client: LanguageClient } | undefined> {
  const output = vscode.window.createOutputChannel('Thought Clarifier', { log: true });
  context.subscriptions.push(output);
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'markdown' }, { scheme: 'untitled', language: 'markdown' }],
    synchronize: {
      configurationSection: 'clarifier',
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}'), vscode.workspace.createFileSystemWatcher('**/{.clarifier.json,clarifier.config.json}')],
    },
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: { trace: vscode.workspace.getConfiguration('clarifier').get<string>('logLevel', 'info') },
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  client = new LanguageClient('clarifier', 'Thought Clarifier', serverOptions, clientOptions);
  registerClauseTests(context, client, output);
  registerClarify(context, client, output);

  const status = vscode.window.createStatusBarItem('clarifier.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Thought Clarifier';
  status.command = 'outline.focus';
  context.subscriptions.push(status);

  const updateStatus = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!client || !editor || editor.document.languageId !== 'markdown') {
      status.hide();
      return;
    }
    try {
      const result = await client.sendRequest<StatusResult>(StatusRequest, { uri: editor.document.uri.toString() });
      if (!result.isSpec) {
        status.text = '$(book) Not a spec';
        status.tooltip = 'Thought Clarifier does not treat this file as a spec. Run "Clarifier: Treat This File as a Spec" to check it.';
        status.command = 'clarifier.treatAsSpec';
      } else {
        status.text = `$(checklist) ${result.clauses} clauses · ${result.findings} findings`;
        status.tooltip = `Spec: ${result.sections} sections, ${result.clauses} clauses, ${result.examples} examples, ${result.findings} findings. Click to open the outline.`;
        status.command = 'outline.focus';
      }
      status.show();
    } catch (error) {
      output.warn(`status request failed: ${String(error)}`);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('clarifier.treatAsSpec', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      await client.sendNotification(MarkAsSpecNotification, { uri: editor.document.uri.toString() });
      setTimeout(() => void updateStatus(), 300);
    }),
    vscode.commands.registerCommand('clarifier.showOutput', () => output.show()),
    vscode.commands.registerCommand('clarifier.restartServer', async () => {
      await client?.restart();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
    vscode.languages.onDidChangeDiagnostics(() => void updateStatus()),
  );

  try {
    await client.start();
  } catch (error) {
    const message = `Thought Clarifier: the language server did not start: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => choice && output.show());
    return undefined;
  }
  void updateStatus();
  return { client };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
