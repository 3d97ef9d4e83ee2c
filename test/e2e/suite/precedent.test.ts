// "Record as precedent" in a real editor, against the local mock model server started in the
// extension host: after a run, the result lens and the hover offer it; labelling the failed answer
// BAD writes it as an inline example of the section, in the spec's transcript syntax, saved, and
// the next run has one more example to run.
import * as assert from 'assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { isGraderBody, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { acceptingEveryPicker, activateExtension } from './helpers';

const ANSWER = 'Refund approved, no receipt needed.';
const SPEC = `# Refunds {#refunds authority=developer}

The assistant must ask for a receipt before it approves a refund.

**Example**: a refund without a receipt

~~~xml
<user>
I want my money back for the blender.
</user>
~~~

## Tone {#tone authority=guideline}

The assistant should be polite.
`;

function respond(body: ChatBody) {
  if (isGraderBody(body))
    return { kind: 'answer' as const, content: verdictJson(false, 'Approves without asking for the receipt.') };
  return { kind: 'answer' as const, content: ANSWER };
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

describe('record as precedent in the editor', function () {
  let server: MockOpenAI;
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async () => {
    await activateExtension();
    server = await new MockOpenAI({ respond }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'precedent-model', vscode.ConfigurationTarget.Global);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'clarifier-e2e-precedent-'));
    uri = vscode.Uri.file(path.join(folder, 'refund-policy.md'));
    writeFileSync(uri.fsPath, SPEC);
  });

  after(async () => {
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    for (const key of ['model.baseUrl', 'model.name'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('the lens and the hover offer it after a run; the BAD label writes the answer as an example the next run runs', async function () {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    let run: vscode.CodeLens | undefined;
    for (let i = 0; i < 80 && !run; i++) {
      run = (await lenses(uri)).find((l) => l.command?.title === '▶ Run 1 example');
      if (!run) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(run?.command, 'a ▶ Run lens above the section');
    await vscode.commands.executeCommand(run.command.command, ...(run.command.arguments ?? []));
    assert.strictEqual(server.candidateRequests().length, 1);

    const record = (await lenses(uri)).find((l) => l.command?.title === 'Record as precedent…');
    assert.ok(
      record?.command,
      `a "Record as precedent…" lens beside the result; lenses: ${(await lenses(uri)).map((l) => l.command?.title).join(' | ')}`,
    );
    const exampleLine = SPEC.split('\n').findIndex((l) => l.startsWith('**Example**:'));
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        new vscode.Position(exampleLine, 2),
      )) ?? [];
    const hover = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hover, /\[Record as precedent…\]\(command:clarifier\.recordPrecedent\?/, hover);

    // the label picker lists the grader's reading (BAD) first; the reason starts as the grader's rationale
    const result = await acceptingEveryPicker<{ applied?: boolean; placement?: string; message?: string } | undefined>(
      record.command,
    );
    assert.strictEqual(result?.applied, true, result?.message);
    assert.strictEqual(result.placement, 'inline');

    const written = readFileSync(uri.fsPath, 'utf8');
    assert.strictEqual(written, document.getText(), 'saved');
    assert.ok(
      written.includes(
        `**Example**: a refund without a receipt (precedent)\n\n~~~xml\n<user>\nI want my money back for the blender.\n</user>\n<comparison>\n<assistant> <!-- BAD: Approves without asking for the receipt. -->\n${ANSWER}\n</assistant>\n</comparison>\n~~~\n`,
      ),
      written,
    );
    assert.ok(written.indexOf('(precedent)') < written.indexOf('## Tone'), 'in its own section');
    let titles: string[] = [];
    for (let i = 0; i < 40 && !titles.includes('▶ Run 2 examples'); i++) {
      titles = (await lenses(uri)).map((l) => l.command?.title ?? '');
      if (!titles.includes('▶ Run 2 examples')) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(titles.includes('▶ Run 2 examples'), `the next run tests the precedent; lenses: ${titles.join(' | ')}`);
  });
});
