import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Clarifier } from './clarify';
import { ClauseTestRunner } from './clauseTestRunner';
import { registerCommands } from './commands';
import { ClarifierContext } from './context';
import { InlineResults } from './inlineResults';
import { ModelAccess } from './modelAccess';
import { ModelTiers } from './modelTiers';
import { warnIfDebugHidden } from './output';
import { PrecedentRecorder } from './precedents';
import { ClauseTestProblems } from './problems';
import { ClauseTestReport } from './report';
import { ClauseTestResultStore } from './results';
import { migrateNullSettings } from './settingsMigration';
import { SpecIndex } from './specIndex';
import { SpecsView } from './specsView';
import { SpecStatus } from './status';
import { registerTestExplorer, type TestExplorerProbe } from './testExplorer';
import { Walkthrough } from './walkthrough';

/** The activation's context, kept for deactivate(), which VS Code awaits (disposal cannot wait for the server to stop). */
let current: ClarifierContext | undefined;

/**
 * A thin client around one context object: it starts the language server, shows what the server
 * knows in the status bar, runs the model features that need the API key, and reports failures
 * instead of swallowing them. The returned API (the client) is what the editor tests talk to.
 */
/** What activate() returns: the editor tests talk to it. */
export interface ClarifierApi {
  client: LanguageClient;
  /** The HTML the open clause-test report shows, undefined when none is open (a webview's page is out of the tests' reach otherwise). */
  reportHtml(): string | undefined;
  /** What the Test Explorer holds and what its runs (lens runs included) reported. */
  testExplorer: TestExplorerProbe;
}

export async function activate(extension: vscode.ExtensionContext): Promise<ClarifierApi | undefined> {
  const context = new ClarifierContext(extension);
  current = context;
  // the index, its view and the status item exist before the server starts: the item says at once that specs are being looked for
  const index = new SpecIndex(context);
  const status = new SpecStatus(context, index);
  context.push(index, status, new SpecsView(context, index));
  const access = new ModelAccess(context);
  const store = new ClauseTestResultStore(context);
  const runner = new ClauseTestRunner(context, access, store);
  const modelTiers = new ModelTiers(context, access, store);
  new ClauseTestProblems(context, store);
  new InlineResults(context, store);
  const precedents = new PrecedentRecorder(context, store);
  const clarifier = new Clarifier(context, access, precedents);
  const report = new ClauseTestReport(context, store, (uri) => runner.plan(uri));
  new Walkthrough(context, status, store);

  const start = async () => {
    const client = await context.start((cause) => status.showFailure(cause));
    if (client) void status.refresh();
    return client;
  };
  const startOrRestart = async () => {
    if (!context.hasClient) return void (await start());
    await context.restart();
    void status.refresh();
  };
  // Registered before the server starts, so "Show Output" works when the start fails.
  registerCommands(context, {
    status,
    access,
    runner,
    store,
    startOrRestart,
    modelTiers,
    report,
    clarifier,
    precedents,
  });
  context.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('clarifier.logLevel')) return;
      warnIfDebugHidden(context.output);
      // The server takes its log level at start-up; a restart is cheap and keeps the server simple.
      if (context.hasClient) await startOrRestart();
    }),
  );
  warnIfDebugHidden(context.output);
  // not awaited: a slow settings write never delays the server
  void migrateNullSettings(context.logger).catch((error) =>
    context.logger.warn('settings migration failed', { error: String(error) }),
  );
  const client = await start();
  const testExplorer = registerTestExplorer(context, runner);
  return client ? { client, reportHtml: () => report.html, testExplorer } : undefined;
}

export async function deactivate(): Promise<void> {
  await current?.stop();
}
