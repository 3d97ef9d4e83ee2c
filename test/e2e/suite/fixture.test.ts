// A small spec of our own beside the Model Spec: a known structural defect must be reported, and
// edits must be re-checked live, without saving.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics } from './helpers';

const codeOf = (diagnostic: vscode.Diagnostic) =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;

describe('fixture spec with a dangling reference', function () {
  let spec: vscode.TextDocument;

  before(async function () {
    const extension = await activateExtension();
    spec = await vscode.workspace.openTextDocument(
      path.join(extension.extensionPath, 'test', 'e2e', 'fixtures', 'specs', 'refund-policy.md'),
    );
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('reports [?](#nope) as a dangling-reference error on the id', async function () {
    const shown = waitForDiagnostics(
      spec.uri,
      (list) => list.some((d) => codeOf(d) === 'dangling-reference'),
      'dangling-reference',
    );
    await vscode.window.showTextDocument(spec);
    const dangling = (await shown).filter((d) => codeOf(d) === 'dangling-reference');
    assert.strictEqual(
      dangling.length,
      1,
      `exactly one dangling reference expected, got ${dangling.map((d) => d.message).join(' | ')}`,
    );
    assert.strictEqual(dangling[0].severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(spec.getText(dangling[0].range), 'nope', 'the squiggle covers the missing id');
    assert.match(dangling[0].message, /nope/);
  });

  it('re-checks an unsaved edit: fixing the reference clears the finding', async function () {
    const editor = await vscode.window.showTextDocument(spec);
    const replaceReference = async (from: string, to: string) => {
      const offset = spec.getText().indexOf(`(#${from})`);
      assert.ok(offset >= 0, `the fixture has no reference (#${from})`);
      const range = new vscode.Range(spec.positionAt(offset + 2), spec.positionAt(offset + 2 + from.length));
      assert.ok(await editor.edit((edit) => edit.replace(range, to)), 'the edit was not applied');
    };
    const cleared = waitForDiagnostics(
      spec.uri,
      (list) => !list.some((d) => codeOf(d) === 'dangling-reference'),
      'no dangling-reference',
    );
    await replaceReference('nope', 'refunds');
    await cleared;
    const broken = waitForDiagnostics(
      spec.uri,
      (list) => list.some((d) => codeOf(d) === 'dangling-reference' && spec.getText(d.range) === 'refundz'),
      'dangling-reference on refundz',
    );
    await replaceReference('refunds', 'refundz');
    await broken;
  });
});

describe('"Clarifier: Treat This File as a Spec"', function () {
  it('starts checking a plain Markdown file the extension ignored', async function () {
    const extension = await activateExtension();
    const notes = await vscode.workspace.openTextDocument(
      path.join(extension.extensionPath, 'test', 'e2e', 'fixtures', 'specs', 'meeting-notes.md'),
    );
    await vscode.window.showTextDocument(notes);
    const { client } = (await extension.activate()) as {
      client: { sendRequest<R>(method: string, params: unknown): Promise<R> };
    };
    const before = await client.sendRequest<{ isSpec: boolean; findings: number }>('clarifier/status', {
      uri: notes.uri.toString(),
    });
    assert.deepStrictEqual(
      [before.isSpec, before.findings],
      [false, 0],
      'a plain file is not linted before the command',
    );
    const checked = waitForDiagnostics(
      notes.uri,
      (list) => list.some((d) => codeOf(d) === 'dangling-reference'),
      'dangling-reference after the command',
    );
    await vscode.commands.executeCommand('clarifier.treatAsSpec');
    const found = await checked;
    assert.ok(found.some((d) => codeOf(d) === 'dangling-reference' && notes.getText(d.range) === 'escalation'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
