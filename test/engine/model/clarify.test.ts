import * as assert from 'assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
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
} from '../../../server/src/engine/clarify';
import { silentLogger } from '../../../server/src/engine/host';
import { lintDocument } from '../../../server/src/engine/lint';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ModelError } from '../../../server/src/engine/llm/errors';
import { resolveModelSettings, type EndpointSettings } from '../../../server/src/engine/llm/settings';
import { SpecWorkspace } from '../../../server/src/engine/workspace';
import { nodeFileSystem } from '../../../server/src/node/fileSystem';
import { MockOpenAI } from '../../support/mockOpenAI';
import { SPEC } from '../../support/clauseTestFixture';
import { WELL_FORMED } from '../../support/model/clarify';

const SPEC_URI = 'file:///clarify/spec.md';

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
