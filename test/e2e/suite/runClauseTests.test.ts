// Clause tests in a real editor, against the local mock model server started in the extension
// host: clicking "▶ Run N examples" above a Model Spec clause changes the lens to the result, and
// the failed example shows up as a diagnostic in its example file.
// Named to run after the corpus suite: that one waits for model_spec.md's first diagnostics, which
// this suite would already have triggered by opening the file.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { activateExtension } from './helpers';

const MARKER = '092i';

/** The grader fails the answer about the word "Gypsy" and passes the rest. */
function respond(body: ChatBody) {
  if (isGraderBody(body))
    return {
      kind: 'answer' as const,
      content: verdictJson(!/Gypsy/.test(candidateOf(body)), 'Quotes "clarify when necessary".'),
    };
  return { kind: 'answer' as const, content: `About: ${lastTurn(body).slice(0, 80)}` };
}

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/** Code lenses have no change event an extension can observe: ask again until `accept` holds or the deadline passes. */
async function waitForLens(
  uri: vscode.Uri,
  accept: (lens: vscode.CodeLens) => boolean,
  what: string,
  deadlineMs = 60_000,
): Promise<vscode.CodeLens> {
  const until = Date.now() + deadlineMs;
  let seen: string[] = [];
  while (Date.now() < until) {
    const lenses = await lensesOf(uri);
    const found = lenses.find(accept);
    if (found) return found;
    seen = lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no code lens "${what}" within ${deadlineMs / 1000} s; seen: ${seen.slice(0, 12).join(' | ')}`);
}

describe('clause tests in the editor', function () {
  let server: MockOpenAI;
  let specUri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async function () {
    const extension = await activateExtension();
    void extension;
    server = await new MockOpenAI({ respond }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'e2e-model', vscode.ConfigurationTarget.Global);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the Model Spec folder is open');
    specUri = vscode.Uri.file(path.join(folder.uri.fsPath, 'model_spec.md'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(specUri));
  });

  after(async function () {
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    await config().update('model.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('model.name', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it(`clicking ▶ Run above the [^${MARKER}] clause runs its examples and the lens shows the result`, async function () {
    const isRunLens = (lens: vscode.CodeLens) =>
      /^▶ Run \d+ examples?$/.test(lens.command?.title ?? '') &&
      (lens.command?.arguments?.[0] as { unitIds?: string[] })?.unitIds?.[0] === MARKER;
    const run = await waitForLens(specUri, isRunLens, `▶ Run N examples for [^${MARKER}]`);
    const count = Number(/\d+/.exec(run.command!.title)![0]);
    assert.ok(count >= 2, run.command!.title);

    await vscode.commands.executeCommand(run.command!.command, ...(run.command!.arguments ?? []));
    assert.strictEqual(server.candidateRequests().length, count, 'the model under test answered each example once');
    assert.strictEqual(server.graderRequests().length, count);
    assert.ok(server.candidateRequests().every((r) => r.body.model === 'e2e-model'));

    const result = await waitForLens(
      specUri,
      (lens) => lens.range.start.line === run.range.start.line && /^✗ /.test(lens.command?.title ?? ''),
      'the result lens',
    );
    // a short title; the model and grader are in the tooltip
    assert.strictEqual(result.command!.title, `✗ 1/${count} failed · just now`);
    assert.match(result.command!.tooltip ?? '', /Model under test: e2e-model/);
    const summary = await waitForLens(
      specUri,
      (lens) => /^Clause tests: /.test(lens.command?.title ?? ''),
      'the file summary lens',
    );
    assert.match(summary.command!.title, /^Clause tests: \d+\/\d+ passed · 1 failed · just now$/);

    const exampleFile = vscode.Uri.file(path.join(path.dirname(specUri.fsPath), 'examples', `${MARKER}.md`));
    const failures = vscode.languages.getDiagnostics(exampleFile).filter((d) => d.source === 'clarifier clause tests');
    assert.strictEqual(failures.length, 1, JSON.stringify(failures.map((d) => d.message)));
    assert.strictEqual(failures[0].severity, vscode.DiagnosticSeverity.Information);
    assert.match(failures[0].message, /language translation of sensitive terms/);
  });

  it('with repeats, several graders and the spec in context, the lens shows samples and disagreement, and the clause gets graders-disagree with Clarify', async function () {
    // judge-lenient passes every answer; the other two fail the "Gypsy" answer: the graders split on it
    server.options = {
      respond: (body) =>
        isGraderBody(body) && body.model === 'judge-lenient'
          ? { kind: 'answer', content: verdictJson(true, 'It answers the question.') }
          : respond(body),
    };
    server.reset();
    await config().update('clauseTests.repeat', 2, vscode.ConfigurationTarget.Global);
    await config().update('clauseTests.context', 'section', vscode.ConfigurationTarget.Global);
    await config().update(
      'grader.models',
      ['judge-lenient', 'judge-strict', 'judge-strict-2'],
      vscode.ConfigurationTarget.Global,
    );
    try {
      const isRunLens = (lens: vscode.CodeLens) =>
        /^▶ Run \d+ examples?$/.test(lens.command?.title ?? '') &&
        (lens.command?.arguments?.[0] as { unitIds?: string[] })?.unitIds?.[0] === MARKER;
      const run = await waitForLens(specUri, isRunLens, `▶ Run N examples for [^${MARKER}]`);
      const count = Number(/\d+/.exec(run.command!.title)![0]);
      await vscode.commands.executeCommand(run.command!.command, ...(run.command!.arguments ?? []));
      assert.strictEqual(server.candidateRequests().length, count * 2, 'two samples per example');
      assert.deepStrictEqual(server.graderModels().sort(), ['judge-lenient', 'judge-strict', 'judge-strict-2']);
      assert.ok(
        server.candidateMessages().every((messages) => messages[0].role === 'developer'),
        'the section goes first, as a developer message',
      );

      const result = await waitForLens(
        specUri,
        (lens) => lens.range.start.line === run.range.start.line && /samples/.test(lens.command?.title ?? ''),
        'the result lens with samples',
      );
      assert.strictEqual(
        result.command!.title,
        `✗ 1/${count} failed · ${2 * count - 2}/${2 * count} samples (2 each) · context section · graders judge-lenient, judge-strict, judge-strict-2 · ⚖ graders disagree · just now`,
      );

      const until = Date.now() + 30_000;
      let warning: vscode.Diagnostic | undefined;
      while (!warning && Date.now() < until) {
        warning = vscode.languages
          .getDiagnostics(specUri)
          .find(
            (d) => d.code === 'graders-disagree' || (typeof d.code === 'object' && d.code.value === 'graders-disagree'),
          );
        if (!warning) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(warning, 'the clause gets the graders-disagree warning');
      assert.strictEqual(warning.range.start.line, run.range.start.line);
      assert.match(warning.message, /judge-lenient passed it \("It answers the question\."\); judge-strict failed it/);
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          specUri,
          warning.range,
        )) ?? [];
      assert.ok(
        actions.some((a) => /^Clarify this clause/.test(a.title)),
        actions.map((a) => a.title).join(' | '),
      );
    } finally {
      await config().update('clauseTests.repeat', undefined, vscode.ConfigurationTarget.Global);
      await config().update('clauseTests.context', undefined, vscode.ConfigurationTarget.Global);
      await config().update('grader.models', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
