// The conflict fixes as a user applies them from the light bulb: "Fix all" settles each pair by
// stating precedence on one side only, and "Mark as an intended exception" leaves the cursor in
// the reason, which, once written, covers both clauses of the pair.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, describe as describeDiagnostic, waitForDiagnostics } from './helpers';

const RULE = 'conflict-opposite-obligation';
const codeOf = (diagnostic: vscode.Diagnostic) =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
const opposite = (list: vscode.Diagnostic[]) => list.filter((d) => codeOf(d) === RULE);

/** The quick fixes VS Code offers on a diagnostic's range, as the light bulb lists them. */
async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return (
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? []
  );
}

/** What picking a code action does: apply its edit, then run its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit)
    assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

describe('conflict fixes in the editor', function () {
  let spec: vscode.TextDocument;
  /** The four opposite-obligation findings of the fixture's two pairs (encrypt / log). */
  let initial: vscode.Diagnostic[];

  beforeEach(async function () {
    const extension = await activateExtension();
    spec = await vscode.workspace.openTextDocument(
      path.join(extension.extensionPath, 'test', 'e2e', 'fixtures', 'specs', 'export-rules.md'),
    );
    const shown =
      opposite(vscode.languages.getDiagnostics(spec.uri)).length === 4
        ? undefined
        : waitForDiagnostics(spec.uri, (list) => opposite(list).length === 4, `four ${RULE} findings`);
    await vscode.window.showTextDocument(spec);
    initial = opposite(shown ? await shown : vscode.languages.getDiagnostics(spec.uri));
  });

  afterEach(async function () {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(`"Fix all ${RULE}" states precedence on one side of each pair, linked by the section's title`, async function () {
    // the title counts the fixes and says what they write ("Fix all 2 conflict-opposite-obligation in this document: …")
    const fixAll = (await quickFixes(spec.uri, initial[0])).find(
      (a) => a.title.startsWith('Fix all ') && a.title.includes(` ${RULE} in this document: `),
    );
    assert.ok(fixAll, `no "Fix all … ${RULE} in this document: …" among the quick fixes`);
    const settled = waitForDiagnostics(spec.uri, (list) => opposite(list).length === 0, `no ${RULE} left`);
    await apply(fixAll);
    const paragraphs = spec.getText().split(/\n\s*\n/);
    const claims = paragraphs.filter((p) => /precedence/.test(p));
    // one claim per pair: on the encrypt pair and on the log pair, never on both sides of either
    assert.strictEqual(claims.length, 2, `expected one precedence sentence per pair, got:\n${claims.join('\n')}`);
    assert.strictEqual(
      claims.filter((p) => /encrypt archived invoices/.test(p)).length,
      1,
      `the encrypt pair: ${claims.join(' | ')}`,
    );
    assert.strictEqual(
      claims.filter((p) => /log failed logins/.test(p)).length,
      1,
      `the log pair: ${claims.join(' | ')}`,
    );
    for (const claim of claims) {
      assert.match(
        claim,
        /\[(Storage costs|Data handling)\]\(#(storage_costs|data_handling)\)/,
        `the link names the other section by its title: ${claim}`,
      );
      assert.doesNotMatch(claim, /\[\?\]/);
    }
    // the stated precedence settles both pairs: their findings go because the author said which wins
    await settled;
  });

  it('"Mark as an intended exception" puts the cursor in the reason; the reason silences both clauses', async function () {
    const target = initial.find((d) => /must not encrypt/.test(spec.getText(d.range)));
    assert.ok(target, `no finding on the "must not encrypt" clause: ${initial.map(describeDiagnostic).join(' | ')}`);
    const mark = (await quickFixes(spec.uri, target)).find((a) => a.title.startsWith('Mark as an intended exception'));
    assert.ok(mark, 'no "Mark as an intended exception" quick fix');
    await apply(mark);
    const editor = vscode.window.activeTextEditor;
    assert.ok(
      editor && editor.document.uri.toString() === spec.uri.toString(),
      'the spec is no longer the active editor',
    );
    const line = spec.lineAt(editor.selection.active.line).text;
    assert.match(
      line,
      /^<!-- clarifier-disable-next-line conflict-opposite-obligation -- reason: {2}-->$/,
      `the cursor is not on the new comment: "${line}"`,
    );
    assert.strictEqual(
      line.slice(0, editor.selection.active.character),
      '<!-- clarifier-disable-next-line conflict-opposite-obligation -- reason: ',
      'the cursor is not where the reason goes',
    );
    // the user types the reason where the cursor is
    const remaining = waitForDiagnostics(
      spec.uri,
      (list) => opposite(list).length === 2,
      `only the log pair's two ${RULE} findings`,
    );
    assert.ok(
      await editor.edit((edit) => edit.insert(editor.selection.active, 'archives sit on encrypted disks already')),
    );
    const left = await remaining;
    assert.ok(
      left.every((d) => /log failed logins/.test(spec.getText(d.range))),
      `the encrypt pair is still reported on one side: ${left.map(describeDiagnostic).join(' | ')}`,
    );
  });
});
