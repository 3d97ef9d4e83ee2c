import * as vscode from 'vscode';
import { WorkspaceClauseTestsRequest, type ClauseTestPlan } from '../../server/src/protocol';
import type { ExampleResult, UnitResult } from '../../server/src/engine/modelFeatures';
import { testOutcome } from './outcomes';
import type { ClauseTestRunner } from './clauseTestRunner';
import type { ClarifierContext } from './context';
import { toRange } from './problems';

type Units = ClauseTestPlan['units'];

/** What a test run reported on each item, as the extension reported it. */
export interface RecordedTestRun {
  /** The run's name: 'Clause tests (code lens)' for a lens or palette run, undefined for the Test Explorer's own. */
  name: string | undefined;
  /** Per example item id, the state the run gave it. */
  states: Record<string, 'passed' | 'failed' | 'errored' | 'skipped'>;
  ended: boolean;
}

/**
 * The Test Explorer as the editor tests read it: VS Code has no stable API to read test results back
 * (the testObserver API is proposed), so the extension keeps its own record of what its runs reported.
 */
export interface TestExplorerProbe {
  /** A test item by id: its label and its children's ids; undefined when the tree has none. */
  item(id: string): { label: string; children: string[] } | undefined;
  /** The last runs, oldest first (at most RECORDED_RUNS). */
  runs(): RecordedTestRun[];
}

const RECORDED_RUNS = 20;

/** Specs whose clauses and examples are listed at start; the rest when expanded. */
const EAGER_FILES = 100;

/**
 * The Test Explorer: every spec of the workspace with examples (the server's index, open or not),
 * their clauses and sections, and their examples as test items. A run goes through the same
 * runner and cache as the lenses, so both show the same results; a lens run shows here too.
 */
export function registerTestExplorer(context: ClarifierContext, runner: ClauseTestRunner): TestExplorerProbe {
  const controller = vscode.tests.createTestController('clarifierClauseTests', 'Clause tests');
  context.push(controller);
  const recorded: RecordedTestRun[] = [];
  const records = new WeakMap<vscode.TestRun, RecordedTestRun>();
  const createRun = (request: vscode.TestRunRequest, name?: string): vscode.TestRun => {
    const run = controller.createTestRun(request, name, false);
    const record: RecordedTestRun = { name, states: {}, ended: false };
    records.set(run, record);
    recorded.push(record);
    if (recorded.length > RECORDED_RUNS) recorded.shift();
    return run;
  };
  /** Every state a run gives an item goes through here, so that the probe sees what the Test Explorer shows. */
  const mark = (
    run: vscode.TestRun,
    item: vscode.TestItem,
    state: RecordedTestRun['states'][string],
    message?: vscode.TestMessage,
    durationMs?: number,
  ) => {
    const record = records.get(run);
    if (record) record.states[item.id] = state;
    if (state === 'passed') run.passed(item, durationMs);
    else if (state === 'skipped') run.skipped(item);
    else if (state === 'failed') run.failed(item, message!, durationMs);
    else run.errored(item, message!, durationMs);
  };
  const endRun = (run: vscode.TestRun) => {
    const record = records.get(run);
    if (record) record.ended = true;
    run.end();
  };

  const range = toRange;
  const plan = (uri: string, unitIds?: string[]) => runner.plan(uri, unitIds);

  const fileItem = (uri: string): vscode.TestItem => {
    const existing = controller.items.get(uri);
    if (existing) return existing;
    const item = controller.createTestItem(
      uri,
      vscode.workspace.asRelativePath(vscode.Uri.parse(uri)),
      vscode.Uri.parse(uri),
    );
    controller.items.add(item);
    return item;
  };

  /** The items of some units of a file; with `all`, the file's other units go. */
  const setUnits = (uri: string, units: Units, all: boolean): vscode.TestItem => {
    const file = fileItem(uri);
    if (all) file.children.replace([]);
    for (const unit of units) {
      const unitItem = controller.createTestItem(
        `${uri}#${unit.id}`,
        unit.kind === 'clause' ? `[^${unit.id}] ${unit.clauseText.slice(0, 60)}` : unit.sectionTitle || unit.id,
        vscode.Uri.parse(unit.uri),
      );
      unitItem.range = range(unit.range);
      for (const example of unit.examples) {
        const item = controller.createTestItem(example.key, example.title, vscode.Uri.parse(example.uri));
        item.range = range(example.range);
        unitItem.children.add(item);
      }
      file.children.add(unitItem);
    }
    file.canResolveChildren = false;
    return file;
  };

  /** A file's items from the server's plan; a file without examples leaves the tree. */
  const fill = async (uri: string): Promise<void> => {
    let units: Units;
    try {
      ({ units } = await plan(uri));
    } catch {
      return; // the server is not up yet: its start fills the tree
    }
    if (!units.length) controller.items.delete(uri);
    else setUnits(uri, units, true);
  };

  /** The workspace's specs with examples, from the server's index: open or not. */
  let listing: Promise<void> | undefined;
  const listWorkspace = (): Promise<void> =>
    (listing ??= (async () => {
      try {
        const { files } = await context.sendRequest(WorkspaceClauseTestsRequest, {});
        const known = new Set(files.map((f) => f.uri));
        controller.items.forEach((item) => {
          if (!known.has(item.id)) controller.items.delete(item.id);
        });
        for (const [index, file] of files.entries()) {
          const item = fileItem(file.uri);
          item.description = `${file.examples} example${file.examples === 1 ? '' : 's'}`;
          if (item.children.size) continue;
          // the examples' own locations (example files) are known only from the plan: asked for now in a
          // workspace of usual size, so that "Run Tests in Current File" finds them; on expansion beyond
          if (index < EAGER_FILES) await fill(file.uri);
          else item.canResolveChildren = true;
        }
      } catch {
        // the server is not up yet: its start lists the workspace
      } finally {
        listing = undefined;
      }
    })());

  controller.resolveHandler = async (item) => {
    if (!item) return listWorkspace();
    if (!item.parent) await fill(item.id);
  };
  controller.refreshHandler = async () => {
    await listWorkspace();
    for (const document of vscode.workspace.textDocuments)
      if (isSpecCandidate(document)) await fill(document.uri.toString());
  };

  let relist: NodeJS.Timeout | undefined;
  const relistSoon = () => {
    if (relist) clearTimeout(relist);
    relist = setTimeout(() => void listWorkspace(), 500);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown}');
  context.push(
    watcher,
    watcher.onDidCreate(relistSoon),
    watcher.onDidDelete(relistSoon),
    context.onDidStartServer(() => void listWorkspace()),
    vscode.workspace.onDidOpenTextDocument(
      (document) => void (isSpecCandidate(document) && fill(document.uri.toString())),
    ),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (isSpecCandidate(document)) void fill(document.uri.toString()).then(relistSoon);
    }),
  );
  void listWorkspace();
  for (const document of vscode.workspace.textDocuments)
    if (isSpecCandidate(document)) void fill(document.uri.toString());

  /** Marks a result on its item; false when the item is not part of this run (or already marked). */
  const reporter =
    (run: vscode.TestRun, items: Map<string, vscode.TestItem>, started: Set<string>) => (result: ExampleResult) => {
      const item = items.get(result.exampleKey);
      if (!item || !started.delete(item.id)) return;
      const outcome = testOutcome(result);
      if (outcome.state === 'passed' || outcome.state === 'skipped')
        mark(run, item, outcome.state, undefined, result.durationMs);
      else {
        const message = new vscode.TestMessage(outcome.message);
        message.location = new vscode.Location(vscode.Uri.parse(result.uri), range(result.range));
        mark(run, item, outcome.state, message, result.durationMs);
      }
      // the message also goes to the run's output, which the Test Results view shows
      if (outcome.state !== 'passed')
        run.appendOutput(
          `${outcome.state === 'errored' ? 'ERROR' : outcome.state.toUpperCase()} ${result.title}: ${outcome.message.replace(/\r?\n/g, '\r\n')}\r\n`,
          undefined,
          item,
        );
    };
  /** After a run: examples an endpoint error stopped are errors with the cause; a run that did not start says why on each item. */
  const finish = (
    run: vscode.TestRun,
    items: Map<string, vscode.TestItem>,
    started: Set<string>,
    outcome: UnitResult[] | string | undefined,
  ) => {
    const report = reporter(run, items, started);
    if (Array.isArray(outcome)) for (const unit of outcome) for (const result of unit.examples) report(result);
    else if (typeof outcome === 'string')
      for (const id of started) mark(run, items.get(id)!, 'errored', new vscode.TestMessage(outcome));
  };
  const exampleItems = (fileUri: string, units: Units) => {
    const items = new Map<string, vscode.TestItem>();
    controller.items
      .get(fileUri)
      ?.children.forEach((unitItem) => unitItem.children.forEach((item) => items.set(item.id, item)));
    const wanted = new Set(units.flatMap((u) => u.examples.map((e) => e.key)));
    return new Map([...items].filter(([id]) => wanted.has(id)));
  };

  // a lens (or palette) run shows in the Test Explorer as its own run
  runner.observeRuns((uri, units) => {
    setUnits(uri, units, false);
    const items = exampleItems(uri, units);
    const run = createRun(new vscode.TestRunRequest([...items.values()]), 'Clause tests (code lens)');
    const started = new Set<string>();
    for (const item of items.values()) {
      run.started(item);
      started.add(item.id);
    }
    const report = reporter(run, items, started);
    return {
      example: report,
      end: (outcome) => {
        finish(run, items, started, outcome);
        endRun(run);
      },
    };
  });

  controller.createRunProfile(
    'Run',
    vscode.TestRunProfileKind.Run,
    async (request, token) => {
      const run = createRun(request);
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
          // a file listed but never expanded gets its items now, so that the run can show on them
          if (!unitIds && !controller.items.get(fileUri)?.children.size) setUnits(fileUri, units, true);
          if (exampleFilter.size)
            units = units.map((u) => ({
              ...u,
              examples: u.examples.filter(
                (e) => exampleFilter.has(e.key) || !u.examples.some((x) => exampleFilter.has(x.key)),
              ),
            }));
          const items = exampleItems(fileUri, units);
          const started = new Set<string>();
          for (const item of items.values()) {
            run.started(item);
            started.add(item.id);
          }
          const outcome = await runner.execute(
            vscode.Uri.parse(fileUri),
            units,
            false,
            abort.signal,
            reporter(run, items, started),
          );
          finish(run, items, started, outcome);
        }
      } finally {
        endRun(run);
      }
    },
    true,
  );

  const find = (id: string, items: vscode.TestItemCollection): vscode.TestItem | undefined => {
    let found: vscode.TestItem | undefined;
    items.forEach((item) => {
      found ??= item.id === id ? item : find(id, item.children);
    });
    return found;
  };
  return {
    item(id) {
      const item = find(id, controller.items);
      if (!item) return undefined;
      const children: string[] = [];
      item.children.forEach((child) => children.push(child.id));
      return { label: item.label, children };
    },
    runs: () => recorded.map((run) => ({ ...run, states: { ...run.states } })),
  };
}

function isSpecCandidate(document: vscode.TextDocument): boolean {
  return document.languageId === 'markdown' && document.uri.scheme === 'file';
}

/** A test item's file uri and unit id: file items have no unit, example items take their parent's. */
function splitUnitId(
  item: vscode.TestItem,
  controller: vscode.TestController,
): [string | undefined, string | undefined] {
  let unit: vscode.TestItem | undefined = item;
  while (unit?.parent?.parent) unit = unit.parent;
  const file = unit?.parent ?? unit;
  if (!file || !controller.items.get(file.id)) return [undefined, undefined];
  if (unit === file) return [file.id, undefined];
  return [file.id, unit!.id.slice(file.id.length + 1)];
}
