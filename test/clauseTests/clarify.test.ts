import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import {
  ClarifyClauseCommand,
  ClarifyTargetRequest,
  ModelAccessNotification,
  ServerClarifyCommand,
  type ClarifyClauseArgs,
  type ModelAccessParams,
  type ServerClarifyResult,
} from '../../server/src/protocol';
import {
  clarificationEdit,
  clarifyClause,
  clarifyTarget,
  clauseAt,
  parseClarification,
  rewriteEdit,
  rewriteWithAnswers,
  UNREADABLE_PREFIX,
  type ClarifyTarget,
} from '../../server/src/engine/clarify';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { ModelClient } from '../../server/src/engine/llm/client';
import { ModelError } from '../../server/src/engine/llm/errors';
import { resolveModelSettings, type EndpointSettings } from '../../server/src/engine/llm/settings';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MockOpenAI } from '../support/mockOpenAI';
import { startServer, type LspClient } from '../lsp/harness';
import { SPEC, writeFixture } from './fixture';

const SPEC_URI = 'file:///clarify/spec.md';

const WELL_FORMED = JSON.stringify({
  questions: [
    {
      question: 'When the user asks about something the assistant believes is false, must it say so?',
      options: [
        {
          answer: 'Always correct it',
          clarification: 'The assistant corrects a false claim even when the user did not ask.',
        },
        {
          answer: 'Only when asked',
          clarification: 'The assistant corrects a false claim only when the user asks about it.',
        },
        {
          answer: 'When it matters',
          clarification: 'The assistant corrects a false claim when acting on it could harm the user.',
        },
      ],
      recommended: 2,
    },
    {
      question: 'Does "lie" include omissions?',
      options: [
        { answer: 'Yes', clarification: 'Leaving out a fact to mislead the user counts as lying.' },
        { answer: 'No', clarification: 'Only false statements count as lying.' },
      ],
      recommended: 0,
    },
  ],
  rewrite:
    'The assistant must not state anything it believes to be false, and must correct a false claim when acting on it could harm the user[^lie1].',
});

function loadSpec(text = SPEC): { workspace: SpecWorkspace; target: ClarifyTarget } {
  const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, []);
  const doc = workspace.update(SPEC_URI, text, 1);
  const clause = clauseAt(doc, text.indexOf('not lie'));
  assert.ok(clause, 'the fixture has the clause');
  return { workspace, target: clarifyTarget(doc, clause) };
}

function endpoint(url: string, overrides: Partial<EndpointSettings> = {}): EndpointSettings {
  return { ...resolveModelSettings({ baseUrl: url, model: 'mock-model' }).candidate, retries: 0, ...overrides };
}

describe('clarify this clause: engine against a local OpenAI-compatible server', () => {
  let mock: MockOpenAI;
  const client = new ModelClient({ backoffMs: 1 });

  before(async () => {
    mock = await new MockOpenAI().start();
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it('reads questions, options, the recommended option and the rewrite from a well-formed answer', async () => {
    const { target } = loadSpec();
    mock.script({ kind: 'answer', content: WELL_FORMED });
    const result = await clarifyClause(client, endpoint(mock.url), target);
    assert.strictEqual(result.questions.length, 2);
    assert.deepStrictEqual(
      result.questions.map((q) => [q.options.length, q.recommended]),
      [
        [3, 2],
        [2, 0],
      ],
    );
    assert.strictEqual(result.questions[0].options[2].answer, 'When it matters');
    assert.match(result.rewrite!, /^The assistant must not state anything.*\[\^lie1\]\.$/);
    assert.strictEqual(result.model, 'mock-model');
    // the model saw the clause and its section, and was asked for structured output
    const body = mock.requests[0].body;
    assert.strictEqual(body.response_format?.type, 'json_schema');
    assert.match(
      body.messages[1].content,
      /<clause>\nThe assistant should not lie to the user\[\^lie1\]\.\n<\/clause>/,
    );
    assert.match(body.messages[1].content, /Section: Be honest \(#honesty\)\nAuthority: user/);
  });

  it('falls back to JSON in prose for endpoints without structured output', async () => {
    const { target } = loadSpec();
    const fallback = new MockOpenAI({ noStructuredOutput: true });
    await fallback.start();
    try {
      fallback.script({ kind: 'answer', content: 'Here you go:\n```json\n' + WELL_FORMED + '\n```\nHope this helps.' });
      const result = await clarifyClause(new ModelClient(), endpoint(fallback.url), target);
      assert.strictEqual(result.questions.length, 2);
      assert.strictEqual(fallback.requests.length, 2, 'asked once with the schema, refused, asked again without');
      assert.strictEqual(fallback.requests[1].body.response_format, undefined);
    } finally {
      await fallback.close();
    }
  });

  it('a malformed answer is a clear error', async () => {
    const { target } = loadSpec();
    mock.script({ kind: 'answer', content: 'I think the clause is fine as it is.' });
    await assert.rejects(clarifyClause(client, endpoint(mock.url), target), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.strictEqual(error.kind, 'bad-answer');
      assert.ok(error.message.startsWith(UNREADABLE_PREFIX + ': '), error.message);
      assert.match(error.message, /I think the clause is fine/);
      return true;
    });
  });

  it("the rewrite states the answers the user picked: the model's own for its recommendations, else one more call with the picks", async () => {
    const { target } = loadSpec();
    mock.script({ kind: 'answer', content: WELL_FORMED });
    const result = await clarifyClause(client, endpoint(mock.url), target);
    mock.reset();
    assert.strictEqual(
      await rewriteWithAnswers(client, endpoint(mock.url), target, result, [2, 0]),
      result.rewrite,
      'the recommended answers: no new call',
    );
    assert.strictEqual(mock.requests.length, 0);

    mock.script({
      kind: 'answer',
      content: JSON.stringify({
        rewrite: 'The assistant must correct a false claim only when the user asks about it[^lie1].',
      }),
    });
    const rewrite = await rewriteWithAnswers(client, endpoint(mock.url), target, result, [1, undefined]);
    assert.strictEqual(rewrite, 'The assistant must correct a false claim only when the user asks about it[^lie1].');
    assert.strictEqual(mock.requests.length, 1);
    const asked = mock.requests[0].body.messages[1].content;
    assert.match(
      asked,
      /Answer: Only when asked \(The assistant corrects a false claim only when the user asks about it\.\)/,
      'the picked answer is sent',
    );
    assert.doesNotMatch(
      asked,
      /When it matters|Leaving out a fact/,
      'neither the recommended answer the user did not pick nor the skipped question',
    );
    assert.match(
      asked,
      /Already written right after the clause \(do not repeat it\)\n<after>\nThe assistant should admit uncertainty when it is unsure\[\^unsure\]\.\n<\/after>/,
    );
    assert.strictEqual(mock.requests[0].body.response_format?.json_schema?.name, 'clause_rewrite');

    mock.reset();
    assert.strictEqual(
      await rewriteWithAnswers(client, endpoint(mock.url), target, result, [undefined, undefined]),
      undefined,
      'every question skipped: nothing to state',
    );
    assert.strictEqual(mock.requests.length, 0);
  });

  it('an endpoint that is down is a clear error that says what to fix', async () => {
    const { target } = loadSpec();
    const down = await new MockOpenAI().start();
    const url = down.url;
    await down.close();
    await assert.rejects(clarifyClause(client, endpoint(url), target), (error: unknown) => {
      assert.ok(error instanceof ModelError);
      assert.strictEqual(error.kind, 'unreachable');
      assert.strictEqual(error.message, `cannot reach ${url}: is the server running?`);
      return true;
    });
  });
});

describe('clarify this clause: reading answers and building edits', () => {
  it('tolerates options as strings, a recommendation by name, too many questions and options, and drops unusable questions', () => {
    const question = (n: number) => ({
      question: `Question ${n}?`,
      options: ['first option', 'second option', 'third', 'fourth', 'fifth'],
      recommended: 'second option',
    });
    const parsed = parseClarification(
      JSON.stringify({
        questions: [{ question: 'Only one option?', options: ['alone'] }, ...[1, 2, 3, 4, 5, 6].map(question)],
      }),
    );
    assert.strictEqual(parsed.questions.length, 5, 'at most five questions');
    assert.strictEqual(parsed.questions[0].question, 'Question 1?', 'a question with one option is dropped');
    assert.strictEqual(parsed.questions[0].options.length, 4, 'at most four options');
    assert.strictEqual(parsed.questions[0].recommended, 1);
    assert.deepStrictEqual(parsed.questions[0].options[0], { answer: 'first option', clarification: 'First option.' });
    assert.strictEqual(parsed.rewrite, undefined);
  });

  it('puts back a footnote marker the rewrite dropped', () => {
    const parsed = parseClarification(JSON.stringify({ questions: [], rewrite: 'The assistant must not lie.' }), [
      'lie1',
    ]);
    assert.strictEqual(parsed.rewrite, 'The assistant must not lie[^lie1].');
  });

  it('valid JSON without questions or rewrite is a clear error', () => {
    assert.throws(
      () => parseClarification('{"questions": [{"question": "Why?", "options": []}]}'),
      (error: Error) => error.message.startsWith(UNREADABLE_PREFIX + ': no question with at least two answer options'),
    );
  });

  it('inserting a clarification touches only the clause end, and the document lints as before', () => {
    const { workspace, target } = loadSpec();
    const before = workspace.get(SPEC_URI)!;
    const findingsBefore = lintDocument(before, workspace, silentLogger);
    const edit = clarificationEdit(target, [
      'the assistant corrects a false claim when acting on it could harm the user',
      'Leaving out a fact to mislead counts as lying.',
    ]);
    assert.deepStrictEqual(
      edit.range,
      { start: target.range.end, end: target.range.end },
      'an insertion, replacing nothing',
    );
    const text = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, SPEC), [edit]);
    const end = SPEC.indexOf('[^lie1].') + '[^lie1].'.length;
    assert.strictEqual(
      text,
      SPEC.slice(0, end) +
        ' The assistant corrects a false claim when acting on it could harm the user. Leaving out a fact to mislead counts as lying.' +
        SPEC.slice(end),
    );

    const after = workspace.update(SPEC_URI, text, 2);
    assert.deepStrictEqual(
      after.sections.map((s) => [s.id, s.authority]),
      before.sections.map((s) => [s.id, s.authority]),
    );
    assert.deepStrictEqual(
      after.markers.map((m) => m.id),
      before.markers.map((m) => m.id),
    );
    assert.deepStrictEqual(after.examples.length, before.examples.length);
    assert.ok(
      after.sentences.some(
        (c) => c.text === 'Leaving out a fact to mislead counts as lying.' && c.sectionId === 'honesty',
      ),
      'the clarification is a sentence of the same section',
    );
    const shift = edit.newText.length;
    const key = (f: { ruleId: string; span: { start: number; end: number } }, delta: number) =>
      `${f.ruleId}@${f.span.start + delta}`;
    const lintedBefore = findingsBefore.map((f) => key(f, f.span.start >= end ? shift : 0));
    const lintedAfter = lintDocument(after, workspace, silentLogger)
      .filter((f) => f.span.end <= end || f.span.start >= end + shift)
      .map((f) => key(f, 0));
    assert.ok(lintedBefore.length, 'the comparison has findings to compare');
    assert.deepStrictEqual(lintedAfter, lintedBefore, 'no finding outside the inserted text appears or disappears');
  });

  it('a clause without final punctuation gets the clarification in parentheses on the same line', () => {
    const text = SPEC.replace(
      'The assistant should be warm when the user is upset.',
      '- The assistant should be warm when the user is upset\n- Another item.',
    );
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, []);
    const doc = workspace.update(SPEC_URI, text, 1);
    const target = clarifyTarget(doc, clauseAt(doc, text.indexOf('be warm'))!);
    const edited = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, text), [
      clarificationEdit(target, ['upset means the user says they are sad or angry.']),
    ]);
    assert.ok(
      edited.includes(
        '- The assistant should be warm when the user is upset (Upset means the user says they are sad or angry)\n- Another item.',
      ),
      edited,
    );
  });

  it('a marker after the period still counts as the end of a sentence', () => {
    const text = '# A {#a authority=user}\n\nThe assistant should be brief.[^brief] It must cite sources.\n';
    const doc = new SpecWorkspace(nodeFileSystem, silentLogger, []).update(SPEC_URI, text, 1);
    const target = clarifyTarget(doc, clauseAt(doc, text.indexOf('brief'))!);
    assert.strictEqual(target.text, 'The assistant should be brief.[^brief]');
    const edited = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, text), [
      clarificationEdit(target, ['Brief means at most three sentences']),
    ]);
    assert.strictEqual(edited, text.replace('[^brief] It', '[^brief] Brief means at most three sentences. It'));
  });

  it('a clarification the paragraph already states is not added again (Clarify run twice with the same answer)', () => {
    const { target } = loadSpec();
    const once = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, SPEC), [
      clarificationEdit(target, ['Leaving out a fact to mislead counts as lying.']),
    ]);
    const { target: again } = loadSpec(once);
    assert.strictEqual(again.after?.startsWith('Leaving out a fact to mislead counts as lying.'), true, again.after);
    assert.strictEqual(
      clarificationEdit(again, ['leaving out a fact to mislead counts as lying']).newText,
      '',
      'the same sentence, however written, is not repeated',
    );
    const twice = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, once), [
      clarificationEdit(again, ['Leaving out a fact to mislead counts as lying.', 'Jokes are not lies.']),
    ]);
    assert.strictEqual(twice.match(/Leaving out a fact/g)?.length, 1, twice);
    assert.ok(twice.includes('[^lie1]. Jokes are not lies. Leaving out a fact'), twice);
  });

  it('a rewrite does not repeat a sentence that already follows the clause', () => {
    const { target } = loadSpec();
    const edit = rewriteEdit(
      target,
      'The assistant must not state what it believes is false. The assistant should admit uncertainty when it is unsure.',
    );
    assert.strictEqual(edit.newText, 'The assistant must not state what it believes is false[^lie1].');
  });

  it('the rewrite replaces exactly the clause span and keeps its marker', () => {
    const { target } = loadSpec();
    const edit = rewriteEdit(target, 'The assistant must never\nstate what it believes is false.');
    assert.deepStrictEqual(edit.range, target.range);
    const text = TextDocument.applyEdits(TextDocument.create(SPEC_URI, 'markdown', 1, SPEC), [edit]);
    assert.strictEqual(
      text,
      SPEC.replace(
        'The assistant should not lie to the user[^lie1].',
        'The assistant must never state what it believes is false[^lie1].',
      ),
    );
  });
});

/** The real server process with a spec open, for the VS Code client (which calls the model itself) or another editor. */
function lspFixture(
  initializationOptions: Record<string, unknown> | undefined,
  handle: (connection: LspClient['connection']) => void = () => {},
) {
  const state = {
    modelSettings: null as { baseUrl?: string; name?: string } | null,
    server: undefined as unknown as LspClient,
    fixture: undefined as unknown as ReturnType<typeof writeFixture>,
    uri: '',
  };
  before(async () => {
    state.fixture = writeFixture();
    state.server = await startServer(state.fixture.dir, { workspace: { configuration: true, applyEdit: true } }, null, {
      server: 'source',
      initializationOptions,
      handle: (client) => {
        client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
          params.items.map((item) => (item.section === 'clarifier.model' ? state.modelSettings : null)),
        );
        handle(client);
      },
    });
    state.uri = URI.file(state.fixture.specPath).toString();
    await state.server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: state.uri, languageId: 'markdown', version: 1, text: SPEC },
    });
  });
  after(async () => {
    await state.server.stop();
    state.fixture.cleanup();
  });
  return state;
}

const positionOf = (needle: string, delta = 0) => {
  const at = SPEC.indexOf(needle) + delta;
  const before = SPEC.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
};

/** Asked for by the author (Ctrl+.) unless `automatic`: what the editor sends while the cursor moves. */
async function clarifyActions(
  connection: LspClient['connection'],
  uri: string,
  needle: string,
  only?: string[],
  automatic = false,
  diagnostics: Diagnostic[] = [],
) {
  const position = positionOf(needle);
  const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: position, end: position },
    context: { diagnostics, only, triggerKind: automatic ? 2 : 1 },
  });
  return actions.filter((a) => a.title.startsWith('Clarify this clause'));
}

describe('clarify this clause over LSP with the VS Code client (the real server process)', function () {
  const state = lspFixture({ modelTiersInClient: true });
  const actions = (needle: string, only?: string[], automatic = false, diagnostics: Diagnostic[] = []) =>
    clarifyActions(state.server.connection, state.uri, needle, only, automatic, diagnostics);
  const access = (params: ModelAccessParams) =>
    state.server.connection.sendNotification(ModelAccessNotification, params);

  it('offers the action on a clause in a trusted workspace, before a model is set up with a first step that sets one up', async () => {
    state.modelSettings = { baseUrl: 'http://127.0.0.1:9/v1' };
    assert.deepStrictEqual(await actions('not lie'), [], 'nothing before the client says the workspace is trusted');

    await access({ trusted: true, hasKey: false });
    const [action] = await actions('not lie');
    assert.strictEqual(action?.title, 'Clarify this clause', 'a local endpoint needs no key');
    assert.strictEqual(action.kind, 'refactor.rewrite');
    assert.strictEqual(action.command?.command, ClarifyClauseCommand.id);
    const args = action.command!.arguments![0] as ClarifyClauseArgs;
    assert.deepStrictEqual(args, { uri: state.uri, position: { line: 2, character: 0 } });
    assert.deepStrictEqual(await actions('Be honest'), [], 'not on a heading');
    assert.deepStrictEqual(await actions('not lie', ['quickfix']), [], 'not when the editor asks only for quick fixes');

    assert.deepStrictEqual(
      await actions('not lie', undefined, true),
      [],
      'no light bulb on every clause while the cursor moves',
    );
    const finding: Diagnostic = {
      range: { start: positionOf('should not'), end: positionOf('should not', 10) },
      message: 'weak modal',
      source: 'clarifier',
      severity: 3,
    };
    assert.strictEqual(
      (await actions('not lie', undefined, true, [finding])).length,
      1,
      'but offered on its own where a finding marks the clause',
    );

    const target = await state.server.connection.sendRequest(ClarifyTargetRequest, args);
    assert.strictEqual(target?.text, 'The assistant should not lie to the user[^lie1].');
    assert.deepStrictEqual(target?.markerIds, ['lie1']);

    state.modelSettings = null; // the default endpoint, api.openai.com, needs a key
    await access({ trusted: true, hasKey: false });
    const [setUp] = await actions('not lie');
    assert.strictEqual(
      setUp?.title,
      'Clarify this clause (set up a model first)',
      'offered before a model is configured, saying the first step',
    );
    assert.strictEqual(setUp.command?.command, ClarifyClauseCommand.id);
    await access({ trusted: true, hasKey: true });
    assert.deepStrictEqual(
      (await actions('not lie')).map((a) => a.title),
      ['Clarify this clause'],
      'a remote endpoint with a key',
    );
    await access({ trusted: false, hasKey: true });
    assert.deepStrictEqual(await actions('not lie'), [], 'never in an untrusted workspace');
  });
});

describe('clarify this clause over LSP for other editors: the server calls the model (the real server process)', function () {
  let mock: MockOpenAI;
  const asked: { message: string; actions: string[] }[] = [];
  /** The user's replies to window/showMessageRequest, in order: a button title, or null (dismissed). */
  let replies: (string | null)[] = [];
  const applied: { label?: string; edit: { changes: Record<string, TextEdit[]> } }[] = [];
  const state = lspFixture(undefined, (client) => {
    client.onRequest('window/showMessageRequest', (params: { message: string; actions?: { title: string }[] }) => {
      asked.push({ message: params.message, actions: (params.actions ?? []).map((a) => a.title) });
      const reply = replies.shift();
      return reply ? { title: reply } : null;
    });
    client.onRequest(
      'workspace/applyEdit',
      (params: { label?: string; edit: { changes: Record<string, TextEdit[]> } }) => {
        applied.push(params);
        return { applied: true };
      },
    );
  });
  const run = (args: unknown) =>
    state.server.connection.sendRequest<ServerClarifyResult>('workspace/executeCommand', {
      command: ServerClarifyCommand.id,
      arguments: [args],
    });

  before(async () => {
    mock = await new MockOpenAI().start();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    asked.length = 0;
    applied.length = 0;
    state.modelSettings = { baseUrl: mock.url, name: 'lsp-model' };
  });

  it("the code action runs the server's command; the questions come as message requests, the rewrite states the picked answers, one edit is applied", async () => {
    const [action] = await clarifyActions(state.server.connection, state.uri, 'not lie');
    assert.strictEqual(action?.command?.command, ServerClarifyCommand.id, 'offered without any client-side setup');
    assert.ok(
      (state.server.initializeResult.capabilities.executeCommandProvider as { commands: string[] }).commands.includes(
        ServerClarifyCommand.id,
      ),
    );
    const REWRITE = 'The assistant must correct a false claim only when the user asks about it[^lie1].';
    mock.script(
      { kind: 'answer', content: WELL_FORMED },
      { kind: 'answer', content: JSON.stringify({ rewrite: REWRITE }) },
    );
    // question 1: "Only when asked" (not the recommended one); question 2: skipped; then apply the rewrite
    replies = ['Only when asked', 'Skip', 'Apply the rewrite'];
    const result = await run(action.command!.arguments![0]);
    assert.deepStrictEqual(
      asked.map((a) => a.actions),
      [
        ['When it matters (recommended)', 'Always correct it', 'Only when asked', 'Skip'],
        ['Yes (recommended)', 'No', 'Skip'],
        ['Apply the rewrite', 'Add the answers after the clause', 'Discard'],
      ],
    );
    assert.match(asked[0].message, /^Clarify \(1\/2\): When the user asks about something/);
    assert.strictEqual(asked[2].message, `Clarify: rewrite the clause as “${REWRITE}”?`);
    assert.strictEqual(mock.requests.length, 2, 'the questions, then the rewrite with the picked answers');
    assert.match(mock.requests[1].body.messages[1].content, /Answer: Only when asked/);
    assert.strictEqual(mock.requests[1].body.model, 'lsp-model');
    assert.strictEqual(result.applied, true, result.message);
    assert.strictEqual(applied.length, 1, 'one edit');
    const [edit] = applied[0].edit.changes[state.uri];
    assert.deepStrictEqual(edit, {
      range: { start: positionOf('The assistant should not'), end: positionOf('[^lie1].', 8) },
      newText: REWRITE,
    });
  });

  it('with answers and apply given, nothing is asked; "append" adds the picked sentences once', async () => {
    mock.script(
      { kind: 'answer', content: WELL_FORMED },
      { kind: 'answer', content: JSON.stringify({ rewrite: 'unused' }) },
    );
    const result = await run({ uri: state.uri, position: positionOf('not lie'), answers: [0, 0], apply: 'append' });
    assert.deepStrictEqual(asked, []);
    assert.strictEqual(result.applied, true, result.message);
    assert.deepStrictEqual(
      applied[0].edit.changes[state.uri][0].newText,
      ' The assistant corrects a false claim even when the user did not ask. Leaving out a fact to mislead the user counts as lying.',
    );
    assert.deepStrictEqual(
      result.questions?.map((q) => q.recommended),
      [2, 0],
    );
  });

  it('without a key or a local endpoint it says what to set, and calls nothing', async () => {
    state.modelSettings = null;
    const result = await run({ uri: state.uri, position: positionOf('not lie') });
    assert.strictEqual(result.applied, false);
    assert.match(
      result.message ?? '',
      /Clarify needs a model\. Set OPENAI_API_KEY in the language server's environment .* or clarifier\.model\.baseUrl to a local OpenAI-compatible server/,
    );
    assert.strictEqual(mock.requests.length, 0);
  });
});
