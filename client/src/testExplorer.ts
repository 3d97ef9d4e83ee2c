import * as vscode from 'vscode';
import type { ClauseTestPlan } from '../../server/src/protocol';
import type { ExampleResult } from '../../server/src/engine/modelFeatures';
import { testOutcome } from './outcomes';
import type { ClauseTestRunner } from './clauseTestRunner';
import type { ClarifierContext } from './context';
import { toRange } from './problems';

/**
 * The Test Explorer: spec files, their clauses and sections, and their examples as test items,
 * filled from the server's plan when a spec opens or is saved. A run goes through the same
 * runner and cache as the lenses, so both show the same results.
 */
export function registerTestExplorer(context: ClarifierContext, runner: ClauseTestRunner): void {
  const controller = vscode.tests.createTestController('clarifierClauseTests', 'Clause tests');
  context.push(controller);
  const range = toRange;
  const plan = (uri: string, unitIds?: string[]) => runner.plan(uri, unitIds);

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
  context.push(
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
        const started = new Set<string>();
        for (const item of items.values()) {
          if (!units.some((u) => u.examples.some((e) => e.key === item.id))) continue;
          run.started(item);
          started.add(item.id);
        }
        const report = (result: ExampleResult) => {
          const item = items.get(result.exampleKey);
          if (!item || !started.delete(item.id)) return;
          const outcome = testOutcome(result);
          if (outcome.state === 'passed') run.passed(item, result.durationMs);
          else if (outcome.state === 'skipped') run.skipped(item);
          else {
            const message = new vscode.TestMessage(outcome.message);
            message.location = new vscode.Location(vscode.Uri.parse(result.uri), range(result.range));
            if (outcome.state === 'failed') run.failed(item, message, result.durationMs);
            else run.errored(item, message, result.durationMs);
          }
          // the message also goes to the run's output, which the Test Results view shows
          if (outcome.state !== 'passed') run.appendOutput(`${outcome.state === 'errored' ? 'ERROR' : outcome.state.toUpperCase()} ${result.title}: ${outcome.message.replace(/\r?\n/g, '\r\n')}\r\n`, undefined, item);
        };
        const outcome = await runner.execute(vscode.Uri.parse(fileUri), units, false, abort.signal, report);
        // a run stopped by an endpoint error: its unfinished examples are errors with the cause
        if (Array.isArray(outcome)) for (const unit of outcome) for (const result of unit.examples) report(result);
        // nothing ran (untrusted, invalid settings): say so on each item instead of leaving it "skipped"
        else if (typeof outcome === 'string') for (const id of started) run.errored(items.get(id)!, new vscode.TestMessage(outcome));
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

