import * as path from 'path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  CalibrateClauseCommand,
  ClauseTestPlanRequest,
  ClauseTestResultsNotification,
  RunClauseTestsCommand,
  ShowClauseTestReportCommand,
  type ClauseTestPlan,
  type ClauseTestResultsParams,
  type ClauseTestTarget,
} from '../../server/src/clauseTestsProtocol';
import { DiskCache } from '../../server/src/engine/clauseTests/cache';
import { calibrateClauses, mergeUnitResult, runClauseTests, tally } from '../../server/src/engine/clauseTests/runner';
import { CALIBRATION_MESSAGE, type ExampleResult, type UnitResult } from '../../server/src/engine/clauseTests/types';
import type { Logger } from '../../server/src/engine/host';
import { ModelClient } from '../../server/src/engine/llm/client';
import { ModelError } from '../../server/src/engine/llm/errors';
import { resolveModelSettings, SettingsError, type ModelSettings } from '../../server/src/engine/llm/settings';

export const SECRET_KEY = 'clarifier.openaiApiKey';
let activeClient: LanguageClient | undefined;
let registered = false;
const RESULTS_KEY = 'clarifier.clauseTestResults';

/**
 * Clause tests on the client side: the model calls run here, in the extension host, because the
 * API key lives in SecretStorage and must never travel over the LSP connection. The server plans
 * (which examples belong to which clause) and draws the lenses from the results sent back.
 */
export function registerClauseTests(context: vscode.ExtensionContext, newClient: LanguageClient, output: vscode.LogOutputChannel): void {
  // called again with a new client when the server is started anew: commands stay, the client changes
  activeClient = newClient;
  const resend = newClient.onDidChangeState((event) => {
    // a restarted server has forgotten the results: give them back so the lenses reappear
    if (event.newState === State.Running) void newClient.sendNotification(ClauseTestResultsNotification, { results: context.workspaceState.get<UnitResult[]>(RESULTS_KEY, []), replace: true } satisfies ClauseTestResultsParams);
  });
  context.subscriptions.push(resend);
  if (registered) return;
  registered = true;
  const client = {
    get state() {
      return activeClient?.state;
    },
    sendNotification: (method: string, params: unknown) => activeClient?.sendNotification(method, params) ?? Promise.resolve(),
    sendRequest: <R>(method: string, params: unknown): Promise<R> => (activeClient ? activeClient.sendRequest<R>(method, params) : Promise.reject(new Error('the language server is not running'))),
  };
  const diagnostics = vscode.languages.createDiagnosticCollection('clarifier-clause-tests');
  const inline = new InlineResults(context);
  const logger: Logger = {
    error: (message, data) => output.error(`${message}${data ? ' ' + JSON.stringify(data) : ''}`),
    warn: (message, data) => output.warn(`${message}${data ? ' ' + JSON.stringify(data) : ''}`),
    info: (message, data) => output.info(`${message}${data ? ' ' + JSON.stringify(data) : ''}`),
    debug: (message, data) => output.debug(`${message}${data ? ' ' + JSON.stringify(data) : ''}`),
  };
  const stored = (): UnitResult[] => context.workspaceState.get<UnitResult[]>(RESULTS_KEY, []);
  const cacheFolder = () => path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'clause-tests');

  const publish = async (results: UnitResult[], replace = false) => {
    const merged = new Map(stored().map((r) => [r.uri + '\0' + r.unitId, r]));
    if (replace) merged.clear();
    for (const result of results) {
      const key = result.uri + '\0' + result.unitId;
      merged.set(key, mergeUnitResult(merged.get(key), result));
    }
    const all = [...merged.values()];
    await context.workspaceState.update(RESULTS_KEY, all);
    showDiagnostics(diagnostics, all);
    inline.update(all);
    if (client.state === State.Running) await client.sendNotification(ClauseTestResultsNotification, { results, replace } satisfies ClauseTestResultsParams);
  };

  const trusted = () => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Thought Clarifier makes no model calls in an untrusted workspace: trust this workspace to run clause tests.', 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  };

  /** Runs (or calibrates) units with the settings of `scope`; undefined when cancelled or stopped by an error already shown. */
  const execute = async (scope: vscode.Uri, units: ClauseTestPlan['units'], calibrate: boolean, signal: AbortSignal, onExample?: (result: ExampleResult) => void): Promise<UnitResult[] | undefined> => {
    if (!trusted()) return undefined;
    let settings: ModelSettings;
    try {
      settings = settingsFor(scope);
    } catch (error) {
      if (error instanceof SettingsError) return void showSettingsError(error.message);
      throw error;
    }
    const apiKey = (await context.secrets.get(SECRET_KEY)) || process.env.OPENAI_API_KEY || undefined;
    const cache = new DiskCache(cacheFolder(), (error) => logger.warn('cannot write the clause-test cache', { error: error.message }));
    try {
      const options = { client: new ModelClient({ apiKey, concurrency: settings.concurrency, logger }), settings, cache, signal, logger, onExample };
      const results = calibrate ? await calibrateClauses(units, options) : await runClauseTests(units, options);
      await publish(results);
      return results;
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'cancelled') return undefined;
      if (error instanceof ModelError) return void showModelError(error);
      throw error;
    } finally {
      await cache.close();
    }
  };

  const plan = (uri: string, unitIds?: string[]) => client.sendRequest<ClauseTestPlan>(ClauseTestPlanRequest, { uri, unitIds } satisfies ClauseTestTarget);

  const run = async (target: ClauseTestTarget | undefined, calibrate: boolean) => {
    if (!trusted()) return;
    const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri) return;
    const { units } = await plan(uri, target?.unitIds);
    if (!units.length) {
      void vscode.window.showInformationMessage('No clause in this file has examples to run: add a [^id] marker with examples/<id>.md, or an **Example**: transcript.');
      return;
    }
    const total = units.reduce((n, unit) => n + (calibrate ? unit.examples.reduce((k, e) => k + e.references.filter((r) => r.label === 'GOOD' || r.label === 'BAD').length, 0) : unit.examples.length), 0);
    const title = calibrate ? `Calibrating the grader on ${total} references` : `Running ${total} examples`;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let done = 0;
      const results = await execute(vscode.Uri.parse(uri), units, calibrate, controller.signal, () => progress.report({ increment: 100 / Math.max(1, total), message: `${++done}/${total}` }));
      if (results) summarise(results, calibrate);
    });
  };

  context.subscriptions.push(
    diagnostics,
    vscode.commands.registerCommand('clarifier.setApiKey', async () => {
      const value = await vscode.window.showInputBox({ title: 'Clarifier: API key for the model endpoint', prompt: 'Stored in VS Code SecretStorage, never in settings. Leave empty to remove the stored key (OPENAI_API_KEY is used then).', password: true, ignoreFocusOut: true });
      if (value === undefined) return;
      if (value.trim()) await context.secrets.store(SECRET_KEY, value.trim());
      else await context.secrets.delete(SECRET_KEY);
      void vscode.window.showInformationMessage(value.trim() ? 'Clarifier: API key stored.' : 'Clarifier: stored API key removed.');
    }),
    vscode.commands.registerCommand(RunClauseTestsCommand, (target?: ClauseTestTarget) => run(target, false)),
    vscode.commands.registerCommand(CalibrateClauseCommand, (target?: ClauseTestTarget) => run(target, true)),
    vscode.commands.registerCommand(ShowClauseTestReportCommand, async (target?: ClauseTestTarget) => {
      const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
      const results = stored().filter((r) => !uri || r.uri === uri || (target?.unitIds === undefined && r.uri.startsWith(uri)));
      const focus = target?.unitIds ? results.filter((r) => target.unitIds!.includes(r.unitId)) : results;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdownReport(focus.length ? focus : results) });
      await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
    }),
    vscode.commands.registerCommand('clarifier.clearClauseTestResults', async () => {
      await new DiskCache(cacheFolder()).clear();
      await publish([], true);
      void vscode.window.showInformationMessage('Clarifier: clause test results and cached answers cleared.');
    }),
  );
  showDiagnostics(diagnostics, stored());
  inline.update(stored());
  registerTestExplorer(context, plan, execute);
}

export function settingsFor(scope: vscode.Uri): ModelSettings {
  const config = vscode.workspace.getConfiguration('clarifier', scope);
  const optional = <T>(key: string) => config.get<T | null>(key) ?? undefined;
  return resolveModelSettings({
    baseUrl: optional<string>('model.baseUrl'),
    model: optional<string>('model.name'),
    graderModel: optional<string>('grader.name'),
    graderBaseUrl: optional<string>('grader.baseUrl'),
    temperature: optional<number>('model.temperature'),
    maxTokens: optional<number>('model.maxTokens'),
    concurrency: optional<number>('model.concurrency'),
    timeoutMs: optional<number>('model.timeoutMs'),
    mapDeveloperToSystem: optional<boolean>('model.mapDeveloperToSystem'),
  });
}

export function showSettingsError(message: string) {
  void vscode.window.showErrorMessage(`Thought Clarifier: ${message}`, 'Open Settings').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'clarifier.model');
  });
}

export function showModelError(error: ModelError) {
  const action = error.kind === 'no-key' || error.kind === 'unauthorized' ? 'Set API Key' : 'Open Settings';
  void vscode.window.showErrorMessage(`Thought Clarifier: ${error.message}`, action).then((choice) => {
    if (choice === 'Set API Key') void vscode.commands.executeCommand('clarifier.setApiKey');
    else if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'clarifier.model');
  });
}

function summarise(results: UnitResult[], calibrate: boolean) {
  if (calibrate) {
    const confused = results.filter((r) => r.calibration?.some((c) => !c.agrees)).length;
    void vscode.window.showInformationMessage(confused ? `Calibration: under ${confused} clause(s) ${CALIBRATION_MESSAGE}.` : 'Calibration: the grader separates the GOOD and BAD references of every clause.');
    return;
  }
  const counts = results.map(tally);
  const failed = counts.reduce((n, c) => n + c.failed + c.errors, 0);
  const ran = counts.reduce((n, c) => n + c.total - c.skipped, 0);
  void vscode.window.showInformationMessage(failed ? `Clause tests: ${failed}/${ran} examples failed.` : `Clause tests: ${ran}/${ran} examples passed.`);
}

/** Failed examples are information diagnostics on the example, so they show in the Problems panel. */
function showDiagnostics(collection: vscode.DiagnosticCollection, results: UnitResult[]) {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const add = (uri: string, diagnostic: vscode.Diagnostic) => {
    const list = byFile.get(uri) ?? [];
    list.push(diagnostic);
    byFile.set(uri, list);
  };
  const range = (r: UnitResult['range']) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  for (const unit of results) {
    for (const example of unit.examples) {
      if (example.status !== 'failed' && example.status !== 'error') continue;
      const message = example.status === 'failed'
        ? `Example "${example.title}" failed ${unit.kind} ${unit.unitId} (${unit.model}): ${example.verdict?.rationale ?? ''}\nAnswer: ${(example.answer ?? '').slice(0, 400)}`
        : `Example "${example.title}" could not be graded: ${example.message}`;
      const diagnostic = new vscode.Diagnostic(range(example.range), message, vscode.DiagnosticSeverity.Information);
      diagnostic.source = 'clarifier clause tests';
      diagnostic.code = 'clause-test';
      diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(unit.uri), range(unit.range)), `the ${unit.kind} under test`)];
      add(example.uri, diagnostic);
    }
    if (unit.calibration?.some((c) => !c.agrees)) {
      const wrong = unit.calibration.filter((c) => !c.agrees).map((c) => `${c.label} reference of "${c.title}" was ${c.verdict ? (c.verdict.pass ? 'passed' : 'failed') : 'not graded'}`);
      const diagnostic = new vscode.Diagnostic(range(unit.range), `${CALIBRATION_MESSAGE}: ${wrong.join('; ')}. Make the clause say what separates them.`, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'clarifier clause tests';
      diagnostic.code = 'clause-calibration';
      add(unit.uri, diagnostic);
    }
  }
  collection.clear();
  for (const [uri, list] of byFile) collection.set(vscode.Uri.parse(uri), list);
}

/** A Markdown run report: per clause pass rate, model, time and tokens, then the failures with the answers. */
export function markdownReport(results: UnitResult[]): string {
  const lines = ['# Clause test report', '', '| Clause | Passed | Model | Grader | When | Tokens |', '| --- | --- | --- | --- | --- | --- |'];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const unit of results) {
    const count = tally(unit);
    const tokens = unit.examples.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
    lines.push(`| ${cell(`${unit.unitId}: ${unit.title.slice(0, 80)}`)} | ${count.passed}/${count.total - count.skipped} | ${cell(unit.model)} | ${cell(unit.grader)} | ${new Date(unit.finishedAt).toLocaleString()} | ${tokens} |`);
  }
  for (const unit of results) {
    const bad = unit.examples.filter((e) => e.status === 'failed' || e.status === 'error');
    const confused = unit.calibration?.filter((c) => !c.agrees) ?? [];
    if (!bad.length && !confused.length) continue;
    lines.push('', `## ${unit.kind} ${unit.unitId}`, '', `> ${unit.title}`);
    for (const e of bad) lines.push('', `### ✗ ${e.title}`, '', e.status === 'failed' ? `**Verdict** (score ${e.verdict?.score}): ${e.verdict?.rationale}` : `**Error**: ${e.message}`, '', '~~~text', e.answer ?? '', '~~~');
    if (confused.length) lines.push('', `**Calibration**: ${CALIBRATION_MESSAGE}.`, ...confused.map((c) => `- ${c.label} reference of "${c.title}": ${c.verdict?.rationale ?? c.message ?? ''}`));
  }
  return lines.join('\n') + '\n';
}

type Planner = (uri: string, unitIds?: string[]) => Promise<ClauseTestPlan>;
type Executor = (scope: vscode.Uri, units: ClauseTestPlan['units'], calibrate: boolean, signal: AbortSignal, onExample?: (result: ExampleResult) => void) => Promise<UnitResult[] | undefined>;

/**
 * The Test Explorer: spec files, their clauses and sections, and their examples as test items,
 * filled from the server's plan when a spec opens or is saved. A run goes through the same
 * runner and cache as the lenses, so both show the same results.
 */
function registerTestExplorer(context: vscode.ExtensionContext, plan: Planner, execute: Executor): void {
  const controller = vscode.tests.createTestController('clarifierClauseTests', 'Clause tests');
  context.subscriptions.push(controller);
  const range = (r: UnitResult['range']) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

  const refresh = async (document: vscode.TextDocument) => {
    if (document.languageId !== 'markdown' || document.uri.scheme !== 'file') return;
    const uri = document.uri.toString();
    let units: ClauseTestPlan['units'];
    try {
      ({ units } = await plan(uri));
    } catch {
      return; // the server is not up yet: the next open or save fills the tree
    }
    if (!units.length) {
      controller.items.delete(uri);
      return;
    }
    const file = controller.createTestItem(uri, vscode.workspace.asRelativePath(document.uri), document.uri);
    for (const unit of units) {
      const unitItem = controller.createTestItem(`${uri}#${unit.id}`, unit.kind === 'clause' ? `[^${unit.id}] ${unit.clauseText.slice(0, 60)}` : unit.sectionTitle || unit.id, vscode.Uri.parse(unit.uri));
      unitItem.range = range(unit.range);
      for (const example of unit.examples) {
        const item = controller.createTestItem(example.key, example.title, vscode.Uri.parse(example.uri));
        item.range = range(example.range);
        unitItem.children.add(item);
      }
      file.children.add(unitItem);
    }
    controller.items.add(file);
  };

  controller.refreshHandler = async () => {
    for (const document of vscode.workspace.textDocuments) await refresh(document);
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void refresh(document)),
    vscode.workspace.onDidSaveTextDocument((document) => void refresh(document)),
  );
  for (const document of vscode.workspace.textDocuments) void refresh(document);

  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, async (request, token) => {
    const run = controller.createTestRun(request);
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    // which units of which file, and which examples the user asked for
    const wanted = new Map<string, Set<string> | undefined>();
    const exampleFilter = new Set<string>();
    const add = (item: vscode.TestItem) => {
      const [fileUri, unitId] = splitUnitId(item, controller);
      if (!fileUri) return;
      if (!unitId) return void wanted.set(fileUri, undefined);
      if (wanted.has(fileUri) && wanted.get(fileUri) === undefined) return; // the whole file runs already
      wanted.set(fileUri, new Set([...(wanted.get(fileUri) ?? []), unitId]));
      if (item.parent?.parent) exampleFilter.add(item.id);
    };
    if (request.include) request.include.forEach(add);
    else controller.items.forEach(add);
    try {
      for (const [fileUri, unitIds] of wanted) {
        if (token.isCancellationRequested) break;
        let { units } = await plan(fileUri, unitIds ? [...unitIds] : undefined);
        if (exampleFilter.size) units = units.map((u) => ({ ...u, examples: u.examples.filter((e) => exampleFilter.has(e.key) || !u.examples.some((x) => exampleFilter.has(x.key))) }));
        const items = new Map<string, vscode.TestItem>();
        controller.items.get(fileUri)?.children.forEach((unitItem) => unitItem.children.forEach((item) => items.set(item.id, item)));
        for (const item of items.values()) if (units.some((u) => u.examples.some((e) => e.key === item.id))) run.started(item);
        await execute(vscode.Uri.parse(fileUri), units, false, abort.signal, (result) => {
          const item = items.get(result.exampleKey);
          if (!item) return;
          if (result.status === 'passed') run.passed(item, result.durationMs);
          else if (result.status === 'skipped') run.skipped(item);
          else if (result.status === 'failed') {
            const message = new vscode.TestMessage(`${result.verdict?.rationale ?? 'failed'}\n\nAnswer:\n${result.answer ?? ''}`);
            message.location = new vscode.Location(vscode.Uri.parse(result.uri), range(result.range));
            run.failed(item, message, result.durationMs);
          } else run.errored(item, new vscode.TestMessage(result.message ?? 'error'), result.durationMs);
        });
      }
    } finally {
      run.end();
    }
  }, true);
}

/** A test item's file uri and unit id: file items have no unit, example items take their parent's. */
function splitUnitId(item: vscode.TestItem, controller: vscode.TestController): [string | undefined, string | undefined] {
  let unit: vscode.TestItem | undefined = item;
  while (unit?.parent?.parent) unit = unit.parent;
  const file = unit?.parent ?? unit;
  if (!file || !controller.items.get(file.id)) return [undefined, undefined];
  if (unit === file) return [file.id, undefined];
  return [file.id, unit!.id.slice(file.id.length + 1)];
}

/**
 * After-line marks on each example's title (pass or fail) and a hover there with the model's
 * answer and the grader's verdict. Results are keyed by the example's line at the time of the
 * run; an edit that moves the example moves the mark only after the next run.
 */
class InlineResults {
  private readonly passed = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor('testing.iconPassed') } });
  private readonly failed = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor('testing.iconFailed') } });
  private byFile = new Map<string, { result: ExampleResult; unit: UnitResult }[]>();

  constructor(context: vscode.ExtensionContext) {
    context.subscriptions.push(
      this.passed,
      this.failed,
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.languages.registerHoverProvider({ language: 'markdown' }, { provideHover: (document, position) => this.hover(document, position) }),
    );
  }

  update(results: UnitResult[]): void {
    this.byFile = new Map();
    for (const unit of results) {
      for (const result of unit.examples) {
        if (result.status === 'skipped') continue;
        const list = this.byFile.get(result.uri) ?? [];
        list.push({ result, unit });
        this.byFile.set(result.uri, list);
      }
    }
    this.decorateAll();
  }

  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const entries = this.byFile.get(editor.document.uri.toString()) ?? [];
      const options = (ok: boolean) =>
        entries
          .filter(({ result }) => (result.status === 'passed') === ok)
          .map(({ result, unit }) => ({
            range: new vscode.Range(result.range.start.line, result.range.end.character, result.range.start.line, result.range.end.character),
            renderOptions: { after: { contentText: ok ? `✓ passed · ${unit.model}` : result.status === 'failed' ? `✗ failed · ${unit.model}` : '! not graded' } },
          }));
      editor.setDecorations(this.passed, options(true));
      editor.setDecorations(this.failed, options(false));
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const entry = (this.byFile.get(document.uri.toString()) ?? []).find(({ result }) => result.range.start.line === position.line);
    if (!entry) return undefined;
    const { result, unit } = entry;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**${result.status === 'passed' ? '✓ Passed' : result.status === 'failed' ? '✗ Failed' : '! Not graded'}** · ${unit.kind} \`${unit.unitId}\` · model \`${unit.model}\` · grader \`${unit.grader}\`\n\n`);
    if (result.verdict) markdown.appendMarkdown(`**Verdict** (score ${result.verdict.score.toFixed(2)}): `).appendText(result.verdict.rationale).appendMarkdown('\n\n');
    if (result.message) markdown.appendText(result.message).appendMarkdown('\n\n');
    if (result.answer !== undefined) markdown.appendMarkdown('**Answer**\n').appendCodeblock(result.answer.slice(0, 4000), 'text');
    return new vscode.Hover(markdown);
  }
}
