// After Clarify in a real editor, the case behind an answer is recorded as a precedent: the model
// writes a user turn where the answer matters and a reply on the side of the label, the user accepts
// it, and it is written (and saved) as an example of the clause as rewritten, with the question and
// the answer as its reason. Against the local mock model server started in the extension host.
// The notification's "Record as BAD example" button runs clarifier.recordClarifiedCase with 'BAD';
// the test runs that command, since a notification's buttons are out of the extension host's reach.
import * as assert from 'assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { MockOpenAI, type ChatBody } from '../../support/mockOpenAI';
import { acceptingEveryPicker, activateExtension } from './helpers';

const CLAUSE = 'The assistant should keep answers short when the user is in a hurry.';
const REWRITE = 'The assistant must answer in at most three sentences when the user says they are in a hurry.';
const SPEC = `# Answers\n\n${CLAUSE}\n\n## Tone\n\nThe assistant should be warm.\n`;
const QUESTIONS = {
  questions: [
    {
      question: 'How short is short?',
      options: [
        { answer: 'Three sentences', clarification: 'Short means at most three sentences.' },
        { answer: 'One paragraph', clarification: 'Short means one paragraph.' },
      ],
      recommended: 0,
    },
    {
      question: 'How does the assistant know the user is in a hurry?',
      options: [
        { answer: 'The user says so', clarification: 'The user is in a hurry when they say so.' },
        { answer: 'Inferred from tone', clarification: 'The assistant may infer a hurry from the tone.' },
      ],
      recommended: 0,
    },
  ],
  rewrite: REWRITE,
};
const CASE = {
  prompt: 'Quick, I am late: how do I reset my router?',
  reply: 'Routers differ a lot. First, let me explain how home networks work, starting with the modem...',
};

function respond(body: ChatBody) {
  const schema = body.response_format?.json_schema?.name;
  if (schema === 'clarified_case') return { kind: 'answer' as const, content: JSON.stringify(CASE) };
  return { kind: 'answer' as const, content: JSON.stringify(QUESTIONS) };
}

describe('record a clarified case as a precedent in the editor', function () {
  let server: MockOpenAI;
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async () => {
    await activateExtension();
    server = await new MockOpenAI({ respond }).start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'clarify-model', vscode.ConfigurationTarget.Global);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'clarifier-e2e-clarified-case-'));
    uri = vscode.Uri.file(path.join(folder, 'AGENTS.md'));
    writeFileSync(uri.fsPath, SPEC);
  });

  after(async () => {
    for (const key of ['model.baseUrl', 'model.name'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('after the rewrite is applied, the BAD case behind the first answer is written under the rewritten clause, saved, and the next run runs it', async function () {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const line = SPEC.split('\n').indexOf(CLAUSE);
    // the recommended answers and the rewrite: every picker's first item
    await acceptingEveryPicker({
      command: 'clarifier.clarifyClause',
      arguments: [{ uri: uri.toString(), position: { line, character: 10 } }],
    });
    assert.strictEqual(document.getText(), SPEC.replace(CLAUSE, REWRITE), 'the rewrite was applied');

    server.reset();
    // the first answered question, then "Record it"
    const result = await acceptingEveryPicker<{ applied?: boolean; placement?: string; message?: string }>({
      command: 'clarifier.recordClarifiedCase',
      arguments: ['BAD'],
    });
    assert.strictEqual(result?.applied, true, result?.message);
    assert.strictEqual(result.placement, 'inline');
    assert.strictEqual(server.requests.length, 1, 'one model call: the case');
    const asked = server.requests[0].body;
    assert.strictEqual(asked.response_format?.json_schema?.name, 'clarified_case');
    assert.match(asked.messages[1].content, /How short is short\?\nThe author's answer: Three sentences/);
    assert.ok(asked.messages[1].content.includes(`<clause>\n${REWRITE}\n</clause>`), 'the clause as clarified');
    assert.match(asked.messages[0].content, /another reading of the clause/);

    const written = readFileSync(uri.fsPath, 'utf8');
    assert.strictEqual(written, document.getText(), 'saved');
    assert.strictEqual(
      written,
      SPEC.replace(CLAUSE, REWRITE).replace(
        '## Tone',
        `**Example**: How short is short? (clarified)\n\n~~~xml\n<user>\n${CASE.prompt}\n</user>\n<comparison>\n<assistant> <!-- BAD: How short is short? Three sentences: Short means at most three sentences. -->\n${CASE.reply}\n</assistant>\n</comparison>\n~~~\n\n## Tone`,
      ),
    );
    let titles: string[] = [];
    for (let i = 0; i < 40 && !titles.includes('▶ Run 1 example'); i++) {
      titles = (
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []
      ).map((l) => l.command?.title ?? '');
      if (!titles.includes('▶ Run 1 example')) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(titles.includes('▶ Run 1 example'), `the next run runs the case; lenses: ${titles.join(' | ')}`);
  });
});
