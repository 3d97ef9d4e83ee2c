// Clarify in a real editor, against the local mock model server started in the extension host:
// with no model set up, the code action says so and its first step sets up a local server; the
// model's questions come as pickers; the rewrite is asked for with the answers picked; the change
// shows as a diff beside a last picker and is applied as one edit when accepted.
import * as assert from 'assert';
import { mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { MockOpenAI, type ChatBody } from '../../support/mockOpenAI';
import { acceptingEveryPicker, activateExtension } from './helpers';

const CLAUSE = 'The assistant should keep answers short when the user is in a hurry.';
const SPEC = `# Answers {#answers authority=user}\n\n${CLAUSE} It should cite a source for every figure.\n\n## Tone {#tone authority=guideline}\n\nThe assistant should be warm.\n`;
const REWRITE = 'The assistant must answer in at most three sentences when the user says they are in a hurry.';
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
  // no rewrite here: the rewrite is asked for with the answers the user picks
  rewrite: '',
};

function respond(body: ChatBody) {
  const schema = body.response_format?.json_schema?.name;
  if (schema === 'clause_rewrite' || /The author's answers/.test(body.messages.at(-1)?.content ?? ''))
    return { kind: 'answer' as const, content: JSON.stringify({ rewrite: REWRITE }) };
  return { kind: 'answer' as const, content: JSON.stringify(QUESTIONS) };
}

describe('Clarify in the editor', function () {
  let server: MockOpenAI;
  let uri: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('clarifier');
  const previousBaseUrl = process.env.OPENAI_BASE_URL;

  before(async () => {
    await activateExtension();
    server = await new MockOpenAI({ respond }).start();
    for (const key of ['model.baseUrl', 'model.name'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    const folder = mkdtempSync(path.join(os.tmpdir(), 'clarifier-e2e-clarify-'));
    uri = vscode.Uri.file(path.join(folder, 'AGENTS.md'));
    writeFileSync(uri.fsPath, SPEC);
  });

  after(async () => {
    for (const key of ['model.baseUrl', 'model.name'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    if (previousBaseUrl === undefined) delete process.env.OPENAI_BASE_URL;
    else process.env.OPENAI_BASE_URL = previousBaseUrl;
    await server?.close();
  });

  it('without a model, the action sets one up first; the picked answers make the rewrite; the diff preview is accepted and applied as one edit', async function () {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith(CLAUSE));
    const at = new vscode.Range(line, 10, line, 10);
    const findAction = async () => {
      for (let i = 0; i < 40; i++) {
        // a request sent while the editor still syncs the new document can come back cancelled: ask again
        const actions =
          (await Promise.resolve(
            vscode.commands.executeCommand<vscode.CodeAction[]>(
              'vscode.executeCodeActionProvider',
              uri,
              at,
              vscode.CodeActionKind.RefactorRewrite.value,
            ),
          ).catch(() => [])) ?? [];
        const found = actions.find((a) => a.title.startsWith('Clarify this clause'));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return undefined;
    };
    const action = await findAction();
    assert.ok(action?.command, 'Clarify is offered before any model is set up');
    assert.strictEqual(action.title, 'Clarify this clause (set up a model first)');

    // the local server's URL is pre-filled from OPENAI_BASE_URL when the setting is empty
    process.env.OPENAI_BASE_URL = server.url;
    let previewText: string | undefined;
    // every step's first item: a local server, its URL, no model name, the recommended answers, the rewrite
    await acceptingEveryPicker(action.command, async () => {
      const diff = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .map((t) => t.input)
        .find(
          (input): input is vscode.TabInputTextDiff =>
            input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'clarifier-preview',
        );
      if (diff && previewText === undefined)
        previewText = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    }).catch((error) => {
      throw new Error(`the Clarify command failed: ${error}`);
    });
    assert.strictEqual(config().get('model.baseUrl'), server.url, 'the first step set up the local server');

    const clarify = server.requests.filter(
      (r) =>
        r.body.response_format?.json_schema?.name !== 'clause_rewrite' &&
        !/The author's answers/.test(r.body.messages.at(-1)?.content ?? ''),
    );
    const rewrites = server.requests.filter((r) => !clarify.includes(r));
    assert.strictEqual(clarify.length, 1, 'asked once for questions');
    assert.strictEqual(rewrites.length, 1, 'asked once for the rewrite');
    const asked = rewrites[0].body.messages.at(-1)!.content;
    assert.match(asked, /Answer: Three sentences/);
    assert.match(asked, /Answer: The user says so/);
    assert.match(
      asked,
      /Already written right after the clause \(do not repeat it\)\n<after>\nIt should cite a source for every figure\.\n<\/after>/,
    );

    assert.ok(previewText, 'the change was shown as a diff before it was applied');
    assert.ok(previewText.includes(`${REWRITE} It should cite a source`), previewText);
    const text = document.getText();
    assert.strictEqual(
      text,
      SPEC.replace(CLAUSE, REWRITE),
      'the rewrite replaced the clause, once, with nothing appended',
    );
    assert.ok(
      !vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'clarifier-preview'),
      'the preview is closed',
    );
  });
});
