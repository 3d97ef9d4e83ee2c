// Clause tests through VS Code's Test Explorer, and what a run leaves in the editor: the example
// items of a Model Spec clause run from the testing service, the hover on a failed example shows
// the model's answer and the grader's rationale, results survive a server restart, re-running one
// example keeps the others' results, the result lens opens the report page in a webview, "Clear results" removes
// them, and cancelling the test run hangs up the requests in flight.
// Runs after runClauseTests.test.ts (file order), whose `after` clears results and the answer cache.
//
// What the extension host cannot see: the per-item states the Test Explorer shows (reading them
// needs the proposed testObserver API), so a run's outcome is checked through what the same run
// publishes (result lens, diagnostics) and through the requests the mock model received.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { activateExtension } from './helpers';

const MARKER = '092i';
const RATIONALE = 'Translating a slur is not the clarification the clause asks for.';

/** The grader fails the answer about the word "Gypsy" and passes the rest. */
function respond(body: ChatBody) {
  if (isGraderBody(body))
    return { kind: 'answer' as const, content: verdictJson(!/Gypsy/.test(candidateOf(body)), RATIONALE) };
  return { kind: 'answer' as const, content: `Explorer answer: ${lastTurn(body).slice(0, 80)}` };
}

const clauseTestDiagnostics = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'clarifier clause tests');

/**
 * The lenses of `uri` for the [^092i] clause. The server receives results by notification before
 * the command that produced them returns, and answers requests in order, so one ask after the
 * command sees them: no polling.
 */
async function clauseLensTitles(uri: vscode.Uri): Promise<string[]> {
  const runLens = await clauseRunLens(uri);
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => l.range.start.line === runLens.range.start.line).map((l) => l.command?.title ?? '');
}

async function clauseRunLens(uri: vscode.Uri): Promise<vscode.CodeLens> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  const runLens = lenses.find(
    (l) =>
      (l.command?.arguments?.[0] as { unitIds?: string[] } | undefined)?.unitIds?.[0] === MARKER &&
      /^▶ Run/.test(l.command?.title ?? ''),
  );
  assert.ok(
    runLens,
    `a ▶ Run lens above [^${MARKER}]; lenses: ${lenses
      .map((l) => l.command?.title)
      .slice(0, 8)
      .join(' | ')}`,
  );
  return runLens;
}

/** The hover as the reader sees it: `appendText`'s Markdown escapes and non-breaking spaces undone. */
function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

describe('clause tests in the Test Explorer', function () {
  let server: MockOpenAI;
  let specUri: vscode.Uri;
  let exampleUri: vscode.Uri;
  let exampleCount: number;
  let extension: vscode.Extension<unknown>;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  /** Runs the test items located in the example file, i.e. the [^092i] clause's examples, through the testing service. */
  const runExampleItems = () =>
    vscode.commands.executeCommand<{ completedAt?: number } | undefined>('testing.runCurrentFile', [exampleUri]);

  before(async function () {
    extension = await activateExtension();
    server = await new MockOpenAI({ respond }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'explorer-model', vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the Model Spec folder is open');
    specUri = vscode.Uri.file(path.join(folder.uri.fsPath, 'model_spec.md'));
    exampleUri = vscode.Uri.file(path.join(folder.uri.fsPath, 'examples', `${MARKER}.md`));
    exampleCount =
      (await vscode.workspace.openTextDocument(exampleUri)).getText().match(/^\*\*Example\*\*:/gm)?.length ?? 0;
    assert.ok(exampleCount >= 2, `examples/${MARKER}.md has examples`);
    // opening the spec fills the Test Explorer with its clauses
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(specUri));
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
  });

  after(async function () {
    server.options.delayMs = 0;
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    await config().update('model.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('model.name', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it(`"Run Test at Cursor" on the [^${MARKER}] clause runs its test item: each example is answered and graded once, the failed one is reported`, async function () {
    server.reset();
    const runLens = await clauseRunLens(specUri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(specUri), {
      selection: new vscode.Range(runLens.range.start, runLens.range.start),
    });
    await vscode.commands.executeCommand('testing.runAtCursor');
    assert.strictEqual(
      server.candidateRequests().length,
      exampleCount,
      'the model answered each example of the clause once (none: no test item at the clause)',
    );
    assert.strictEqual(server.graderRequests().length, exampleCount, 'the grader judged each answer once');
    assert.ok(server.candidateRequests().every((r) => r.body.model === 'explorer-model'));

    assert.deepStrictEqual(
      (await clauseLensTitles(specUri)).filter(
        (t) => !t.startsWith('▶') && t !== 'Calibrate grader' && t !== 'Record as precedent…',
      ),
      [`✗ 1/${exampleCount} failed · just now`],
    );
    const failures = clauseTestDiagnostics(exampleUri);
    assert.strictEqual(failures.length, 1, JSON.stringify(failures.map((d) => d.message)));
    assert.strictEqual(failures[0].severity, vscode.DiagnosticSeverity.Information);
    assert.match(failures[0].message, /language translation of sensitive terms/);
  });

  it("the hover on the failed example shows the verdict, the grader's rationale and the model's answer; a passed one says passed", async function () {
    const [failure] = clauseTestDiagnostics(exampleUri);
    assert.ok(failure, 'the previous test left a failed example');
    const failedHover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        exampleUri,
        failure.range.start,
      ),
    );
    assert.match(failedHover, /✗ Failed/);
    assert.ok(failedHover.includes(RATIONALE), failedHover);
    assert.match(failedHover, /Explorer answer: .*Gypsy/);

    const document = await vscode.workspace.openTextDocument(exampleUri);
    const firstExample = document
      .getText()
      .split('\n')
      .findIndex((line) => line.startsWith('**Example**:'));
    const passedHover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        exampleUri,
        new vscode.Position(firstExample, 2),
      ),
    );
    assert.match(passedHover, /✓ Passed/);
    assert.match(passedHover, /Explorer answer: /);
  });

  it('the results survive a restart of the language server', async function () {
    const before = await clauseLensTitles(specUri);
    await vscode.commands.executeCommand('clarifier.restartServer');
    const after = await clauseLensTitles(specUri);
    assert.ok(
      after.includes(`✗ 1/${exampleCount} failed · just now`),
      `lenses after the restart: ${after.join(' | ')}`,
    );
    assert.deepStrictEqual(after, before);
    assert.strictEqual(clauseTestDiagnostics(exampleUri).length, 1);
  });

  it("re-running one example from the Test Explorer keeps the results of the clause's other examples", async function () {
    const document = await vscode.workspace.openTextDocument(exampleUri);
    const lines = document.getText().split('\n');
    const failing = lines.findIndex((text) => text.startsWith('**Example**: language translation of sensitive terms'));
    const firstExample = lines.findIndex((text) => text.startsWith('**Example**:'));
    assert.ok(failing > firstExample && firstExample >= 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(failing, 2, failing, 2) });
    await vscode.commands.executeCommand('testing.runAtCursor');
    assert.deepStrictEqual(
      (await clauseLensTitles(specUri)).filter((t) => /failed|passed/.test(t)),
      [`✗ 1/${exampleCount} failed · just now`],
    );
    const passedHover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        exampleUri,
        new vscode.Position(firstExample, 2),
      ),
    );
    assert.match(passedHover, /✓ Passed/, 'the first example keeps its mark');
  });

  it("clicking the result lens opens the report page in a webview: the clause's pass rate and the failed example with its verdict and answer", async function () {
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', specUri)) ?? [];
    const result = lenses.find(
      (l) =>
        l.command?.title.startsWith('✗ 1/') &&
        (l.command.arguments?.[0] as { unitIds?: string[] } | undefined)?.unitIds?.[0] === MARKER,
    );
    assert.ok(result?.command, 'the result lens above the clause');
    const openedDocuments: string[] = [];
    const watch = vscode.workspace.onDidOpenTextDocument((document) => openedDocuments.push(document.uri.scheme));
    try {
      await vscode.commands.executeCommand(result.command.command, ...(result.command.arguments ?? []));
    } finally {
      watch.dispose();
    }
    // the tab model reaches the extension host after the panel is created: wait for its change event
    const findTab = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find(
          (tab) =>
            tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('clarifier.clauseTestReport'),
        );
    if (!findTab()) {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          done.dispose();
          resolve();
        }, 30_000);
        const done = vscode.window.tabGroups.onDidChangeTabs(() => {
          if (!findTab()) return;
          clearTimeout(deadline);
          done.dispose();
          resolve();
        });
      });
    }
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const reportTab = findTab();
    assert.ok(reportTab, `a webview tab with the report; tabs: ${tabs.map((t) => t.label).join(' | ')}`);
    assert.strictEqual(reportTab.label, `Clause Test Report: ${MARKER}`);
    assert.ok(!openedDocuments.includes('untitled'), 'no untitled Markdown document any more');
    const html = (extension.exports as { reportHtml(): string | undefined }).reportHtml();
    assert.ok(html, 'the webview shows a page');
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/,
    );
    assert.doesNotMatch(html, /<script/i);
    assert.match(
      html,
      new RegExp(`<span class="rate" title="examples that passed">${exampleCount - 1}/${exampleCount} examples</span>`),
    );
    assert.match(html, /<dt>Model under test<\/dt><dd>explorer-model<\/dd>/);
    assert.match(html, /✗<\/span> language translation of sensitive terms/);
    assert.ok(html.includes(RATIONALE), "the grader's rationale");
    assert.match(html, /<pre class="answer">Explorer answer: .*Gypsy/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('"Clear results" removes the result lens, the marks\' hover and the failed-example diagnostic', async function () {
    const [failure] = clauseTestDiagnostics(exampleUri);
    assert.ok(failure);
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    assert.deepStrictEqual(clauseTestDiagnostics(exampleUri), []);
    const titles = await clauseLensTitles(specUri);
    assert.deepStrictEqual(
      titles.filter((t) => /failed|passed/.test(t)),
      [],
      titles.join(' | '),
    );
    const hover = hoverText(
      await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        exampleUri,
        failure.range.start,
      ),
    );
    assert.doesNotMatch(hover, /Failed|Explorer answer/);
  });

  it('"Run Test at Cursor" on one example in the example file runs that example only', async function () {
    server.reset();
    const document = await vscode.workspace.openTextDocument(exampleUri);
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('**Example**: language translation of sensitive terms'));
    assert.ok(line >= 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(line, 2, line, 2) });
    await vscode.commands.executeCommand('testing.runAtCursor');
    assert.strictEqual(server.candidateRequests().length, 1, 'only the example under the cursor was asked');
    assert.match(lastTurn(server.candidateRequests()[0].body), /Gypsy/);
    assert.strictEqual(server.graderRequests().length, 1);
    assert.strictEqual(clauseTestDiagnostics(exampleUri).length, 1, 'the failed example is reported again');
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
  });

  it('cancelling the test run hangs up the requests in flight and grades nothing', async function () {
    server.reset();
    // answers that would outlast the mocha timeout: the run can only end in time by being cancelled
    server.options.delayMs = 10 * 60_000;
    const running = runExampleItems();
    await server.waitForRequests(1);
    await vscode.commands.executeCommand('testing.cancelRun');
    assert.ok((await running)?.completedAt, `the testing service found the test items of examples/${MARKER}.md`);
    server.options.delayMs = 0;
    const sent = server.candidateRequests().length;
    assert.ok(sent >= 1 && sent < exampleCount * 2, `fewer requests than a full run (${sent})`);
    // every request the model had received was hung up by the client, not left to run for minutes
    await server.waitForAbandoned(sent);
    assert.strictEqual(server.graderRequests().length, 0, 'no answer reached the grader');
    assert.deepStrictEqual(clauseTestDiagnostics(exampleUri), [], 'a cancelled run publishes no result');
  });

  it('an endpoint that answers with an HTML page: the examples are errors carrying the message, never failures', async function () {
    server.reset();
    server.options.respond = () => ({
      kind: 'raw',
      contentType: 'text/html',
      body: '<!doctype html><html><body>Sign in</body></html>',
    });
    try {
      await runExampleItems();
    } finally {
      server.options.respond = respond;
    }
    assert.strictEqual(
      server.requests.length,
      1,
      'the run stopped at the first page instead of asking for every example',
    );
    const titles = (await clauseLensTitles(specUri)).filter(
      (t) => !t.startsWith('▶') && t !== 'Calibrate grader' && t !== 'Record as precedent…',
    );
    assert.deepStrictEqual(titles, [`⚠ ${exampleCount}/${exampleCount} not graded · just now`]);
    const errors = clauseTestDiagnostics(exampleUri);
    assert.strictEqual(errors.length, exampleCount, JSON.stringify(errors.map((d) => d.message)));
    assert.ok(
      errors.every((d) => /could not be graded: .*HTML page \(status 200\).*check the base URL/.test(d.message)),
      errors[0]?.message,
    );
  });

  it('a grader cut off at the token limit: every example is an error that says to raise the limit, and nothing is cached', async function () {
    server.reset();
    server.options.respond = (body) =>
      isGraderBody(body)
        ? {
            kind: 'answer',
            content: '{"pass": false, "score": 0.1, "rationale": "The answer reveals the home addr',
            finishReason: 'length',
          }
        : respond(body);
    try {
      await runExampleItems();
      const titles = (await clauseLensTitles(specUri)).filter(
        (t) => !t.startsWith('▶') && t !== 'Calibrate grader' && t !== 'Record as precedent…',
      );
      assert.deepStrictEqual(titles, [`⚠ ${exampleCount}/${exampleCount} not graded · just now`]);
      assert.ok(clauseTestDiagnostics(exampleUri).every((d) => /raise the token limit/.test(d.message)));
      server.reset();
      server.options.respond = respond;
      await runExampleItems();
      assert.strictEqual(
        server.graderRequests().length,
        exampleCount,
        'the cut-off verdicts were not cached: the grader is asked again',
      );
      assert.ok((await clauseLensTitles(specUri)).some((t) => t.startsWith(`✗ 1/${exampleCount} failed`)));
    } finally {
      server.options.respond = respond;
    }
  });
});
