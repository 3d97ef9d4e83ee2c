// `clarifier clarify FILE --line N`: the questions and the rewrite without an editor, against the
// local mock server, with the key from the environment only.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { clarifierWithEnv } from '../../cli/support';
import { MockOpenAI } from '../../support/mockOpenAI';
import { SPEC, writeFixture } from '../../support/clauseTestFixture';

const KEY = 'sk-clarify-cli-0123456789abcdef';
const QUESTIONS = JSON.stringify({
  questions: [
    {
      question: 'Does "lie" include omissions?',
      options: [
        { answer: 'Yes', clarification: 'Leaving out a fact to mislead the user counts as lying.' },
        { answer: 'No', clarification: 'Only false statements count as lying.' },
      ],
      recommended: 0,
    },
  ],
  rewrite: 'The assistant must not state or imply anything false, omissions included[^lie1].',
});
const PICKED_REWRITE = 'The assistant must not state anything false; leaving facts out is not lying[^lie1].';

describe('clarifier clarify', function () {
  this.timeout(60_000);
  let mock: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;
  const line = SPEC.split('\n').findIndex((l) => l.includes('should not lie')) + 1;

  before(async () => {
    mock = await new MockOpenAI({ apiKey: KEY }).start();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  it('--format json: the clause, the questions with the recommended answers, and the rewrite; the file is unchanged', async () => {
    mock.script({ kind: 'answer', content: QUESTIONS });
    const result = await clarifierWithEnv(
      [
        'clarify',
        'spec.md',
        '--line',
        String(line),
        '--format',
        'json',
        '--base-url',
        mock.url,
        '--model',
        'cli-model',
      ],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.strictEqual(json.clause, 'The assistant should not lie to the user[^lie1].');
    assert.strictEqual(json.line, line);
    assert.deepStrictEqual(
      json.questions.map((q: { question: string; picked: number }) => [q.question, q.picked]),
      [['Does "lie" include omissions?', 0]],
    );
    assert.strictEqual(
      json.rewrite,
      'The assistant must not state or imply anything false, omissions included[^lie1].',
    );
    assert.strictEqual(json.written, false);
    assert.strictEqual(mock.requests.length, 1, 'the recommended answers: the first answer’s rewrite stands');
    assert.strictEqual(mock.requests[0].authorization, `Bearer ${KEY}`, 'the key from the environment');
    assert.strictEqual(mock.requests[0].body.model, 'cli-model');
    assert.strictEqual(readFileSync(path.join(fixture.dir, 'spec.md'), 'utf8'), SPEC);
    assert.ok(!result.stdout.includes(KEY) && !result.stderr.includes(KEY));
  });

  it('--answers picks other options: the rewrite is asked for with them, and --write replaces the clause once', async () => {
    mock.script(
      { kind: 'answer', content: QUESTIONS },
      { kind: 'answer', content: JSON.stringify({ rewrite: PICKED_REWRITE }) },
    );
    const result = await clarifierWithEnv(
      ['clarify', 'spec.md', '--line', String(line), '--answers', '2', '--write', '--base-url', mock.url],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /1\. Does "lie" include omissions\?\n {5}1\) Yes: .*\(recommended\)\n {3}\* 2\) No: Only false statements count as lying\./,
    );
    assert.match(result.stdout, /Rewrote the clause in spec\.md\./);
    assert.strictEqual(mock.requests.length, 2);
    assert.match(mock.requests[1].body.messages[1].content, /Answer: No \(Only false statements count as lying\.\)/);
    const text = readFileSync(path.join(fixture.dir, 'spec.md'), 'utf8');
    assert.strictEqual(text, SPEC.replace('The assistant should not lie to the user[^lie1].', PICKED_REWRITE));
  });

  it('a line without a clause exits 1; without a key for a hosted endpoint exits 2 saying what to set; bad --answers is a usage error', async () => {
    const heading = await clarifierWithEnv(
      ['clarify', 'spec.md', '--line', '1', '--base-url', mock.url],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(heading.code, 1, heading.stderr);
    assert.match(heading.stderr, /no normative clause .* on line 1 of spec\.md/);
    const noKey = await clarifierWithEnv(['clarify', 'spec.md', '--line', String(line)], {}, fixture.dir);
    assert.strictEqual(noKey.code, 2);
    assert.match(noKey.stderr, /OPENAI_API_KEY/);
    assert.strictEqual(mock.requests.length, 0);
    mock.script({ kind: 'answer', content: QUESTIONS });
    const tooMany = await clarifierWithEnv(
      ['clarify', 'spec.md', '--line', String(line), '--answers', '1,1', '--base-url', mock.url],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(tooMany.code, 2);
    assert.match(tooMany.stderr, /--answers has 2 answer\(s\) for 1 question\(s\)/);
  });
});
