// A run started from a clause's code lens shows in the Test Explorer: the clause's test item holds
// one result per example, the same the lens shows. VS Code has no stable API to read test results
// back (the testObserver API is proposed), so the states are read from the extension's own record of
// what its test runs reported (ClarifierApi.testExplorer), beside the test items it created.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { activateExtension } from './helpers';

const MARKER = '092i';
const FAILING_TITLE = 'language translation of sensitive terms';

interface TestExplorerProbe {
  item(id: string): { label: string; children: string[] } | undefined;
  runs(): { name: string | undefined; states: Record<string, string>; ended: boolean }[];
}

/** The grader fails the answer about the word "Gypsy" and passes the rest. */
function respond(body: ChatBody) {
  if (isGraderBody(body)) return { kind: 'answer' as const, content: verdictJson(!/Gypsy/.test(candidateOf(body))) };
  return { kind: 'answer' as const, content: `Lens answer: ${lastTurn(body).slice(0, 80)}` };
}

describe('lens runs in the Test Explorer', function () {
  let server: MockOpenAI;
  let probe: TestExplorerProbe;
  let specUri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async function () {
    const extension = await activateExtension();
    probe = (extension.exports as { testExplorer: TestExplorerProbe }).testExplorer;
    server = await new MockOpenAI({ respond }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'lens-model', vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the Model Spec folder is open');
    specUri = vscode.Uri.file(path.join(folder.uri.fsPath, 'model_spec.md'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(specUri));
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
  });

  after(async function () {
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    await config().update('model.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('model.name', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it(`the ▶ Run lens of [^${MARKER}] reports every example on the clause's test item, the failed one failed`, async function () {
    let runLens: vscode.CodeLens | undefined;
    for (let i = 0; i < 120 && !runLens; i++) {
      const lenses =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', specUri)) ?? [];
      runLens = lenses.find(
        (l) =>
          (l.command?.arguments?.[0] as { unitIds?: string[] } | undefined)?.unitIds?.[0] === MARKER &&
          /^▶ Run/.test(l.command?.title ?? ''),
      );
      if (!runLens) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(runLens?.command, `a ▶ Run lens above [^${MARKER}]`);
    const runsBefore = probe.runs().length;
    server.reset();
    await vscode.commands.executeCommand(runLens.command.command, ...(runLens.command.arguments ?? []));

    const exampleCount = server.candidateRequests().length;
    assert.ok(exampleCount >= 2, `the lens ran the clause's examples (${exampleCount})`);
    const runs = probe.runs();
    assert.strictEqual(runs.length, runsBefore + 1, 'the lens run is one Test Explorer run');
    const run = runs[runs.length - 1];
    assert.strictEqual(run.name, 'Clause tests (code lens)');
    assert.ok(run.ended, 'the run ended with the lens run');

    const fileUri = (runLens.command.arguments![0] as { uri: string }).uri;
    const clause = probe.item(`${fileUri}#${MARKER}`);
    assert.ok(clause, `the Test Explorer has an item for [^${MARKER}]`);
    assert.strictEqual(clause.children.length, exampleCount, 'one test item per example the lens ran');
    const states = clause.children.map((id) => [probe.item(id)?.label, run.states[id]]);
    assert.deepStrictEqual(
      states.filter(([, state]) => state !== 'passed'),
      [[FAILING_TITLE, 'failed']],
      JSON.stringify(states),
    );
    assert.strictEqual(
      states.filter(([, state]) => state === 'passed').length,
      exampleCount - 1,
      'every other example passed',
    );
  });
});
