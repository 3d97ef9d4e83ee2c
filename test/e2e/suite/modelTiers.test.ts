// The ambiguity model tier in a real editor, against the local mock model server started in the
// extension host: with clarifier.modelTiers.enabled, saving a spec shows the model's finding, and its
// "Clarify this clause…" action opens the picker with the model's question and answers (no new model
// call); accepting the recommended answer adds it to the clause.
import * as assert from 'assert';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { AMBIGUITY_SPEC, readsClauses, REFUND } from '../../support/ambiguityFixture';
import { MockOpenAI } from '../../support/mockOpenAI';
import { acceptingEveryPicker, activateExtension, describe as describeDiagnostic, waitForDiagnostics } from './helpers';

describe('model tiers in the editor', function () {
  let server: MockOpenAI;
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async function () {
    await activateExtension();
    server = await new MockOpenAI({ respond: readsClauses }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'e2e-reader', vscode.ConfigurationTarget.Global);
    await config().update('modelTiers.tiers', ['ambiguity'], vscode.ConfigurationTarget.Global);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'clarifier-e2e-tiers-'));
    uri = vscode.Uri.file(path.join(folder, 'support.md'));
    writeFileSync(uri.fsPath, AMBIGUITY_SPEC);
  });

  after(async function () {
    for (const key of ['model.baseUrl', 'model.name', 'modelTiers.tiers', 'modelTiers.enabled'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('with the setting off, saving asks nothing; with it on, a finding appears after save and its Clarify action opens pre-filled', async function () {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const touchAndSave = async () => {
      await editor.edit((edit) => edit.insert(document.lineAt(document.lineCount - 1).range.end, '\n'));
      assert.ok(await document.save(), 'saved');
    };
    await touchAndSave();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.strictEqual(server.requests.length, 0, 'no model call while clarifier.modelTiers.enabled is off');

    await config().update('modelTiers.enabled', true, vscode.ConfigurationTarget.Global);
    const found = waitForDiagnostics(
      uri,
      (ds) => ds.some((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'ambiguity-model'),
      'an ambiguity-model finding',
    );
    await touchAndSave();
    const diagnostics = await found;
    assert.ok(server.requests.length >= 5, `the clauses were asked about (${server.requests.length})`);
    const refundLine = AMBIGUITY_SPEC.split('\n').indexOf(REFUND);
    const finding = diagnostics.find(
      (d) => d.range.start.line === refundLine && /ambiguity-model/.test(describeDiagnostic(d)),
    );
    assert.ok(finding, diagnostics.map(describeDiagnostic).join('\n'));
    assert.match(
      finding.message,
      /^Model finding \(e2e-reader\): missing condition: .* Question: Is there a time limit for reporting damage\?$/,
    );

    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        finding.range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => /Record the diverging input as an example/.test(t)),
      titles.join(' | '),
    );
    const clarify = actions.find((a) => a.title === 'Clarify this clause…');
    assert.ok(clarify?.command, titles.join(' | '));

    const asked = server.requests.length;
    // the picker shows the model's answers, the recommended one first: accept it
    await acceptingEveryPicker(clarify.command, undefined, 15_000);
    assert.strictEqual(server.requests.length, asked, 'Clarify opened with the question already asked: no model call');
    assert.ok(
      document.lineAt(refundLine).text.includes(`${REFUND} This applies however long ago the order arrived.`),
      document.lineAt(refundLine).text,
    );
  });
});
