// A user types a new spec from scratch in a new editor, with no configuration and no spec syntax
// (no ids, no **Example**): the file becomes a spec as its content qualifies, and the first squiggle
// appears on the ambiguous wording while they type.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, waitForDiagnostics } from './helpers';

const codeOf = (diagnostic: vscode.Diagnostic) =>
  typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;

/** What the user types, line by line. */
const LINES = [
  '# Refund policy',
  '',
  '## Eligibility',
  '',
  'The agent must refund orders placed in the last 30 days.',
  'The agent must not refund gift cards.',
  '',
  '## Exceptions',
  '',
  'The agent may make exceptions as appropriate.',
  '',
  '## Escalation',
  '',
  'The agent must notify the customer and/or the manager.',
];

describe('a spec typed from scratch', function () {
  it('gets its first squiggle with no configuration', async function () {
    const extension = await activateExtension();
    const { client } = (await extension.activate()) as {
      client: { sendRequest<R>(method: string, params: unknown): Promise<R> };
    };
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
    await vscode.window.showTextDocument(document);
    const squiggle = waitForDiagnostics(
      document.uri,
      (list) => list.some((d) => codeOf(d) === 'and-or'),
      'and-or on "and/or"',
    );
    for (const [index, line] of LINES.entries()) {
      // the `type` command is what a keystroke runs: the text goes in where the cursor is
      await vscode.commands.executeCommand('type', { text: line + (index < LINES.length - 1 ? '\n' : '') });
      if (index === 0) {
        const early = await client.sendRequest<{ isSpec: boolean }>('clarifier/status', {
          uri: document.uri.toString(),
        });
        assert.strictEqual(early.isSpec, false, 'a lone title is not a spec yet');
      }
    }
    const found = await squiggle;
    const andOr = found.find((d) => codeOf(d) === 'and-or')!;
    assert.strictEqual(document.getText(andOr.range), 'and/or', 'the squiggle is on the words');
    const status = await client.sendRequest<{ isSpec: boolean }>('clarifier/status', { uri: document.uri.toString() });
    assert.strictEqual(status.isSpec, true, 'the typed file is a spec now');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
