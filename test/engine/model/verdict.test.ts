import * as assert from 'assert';
import { parseVerdict } from '../../../server/src/engine/clauseTests';
import { ModelError } from '../../../server/src/engine/llm/errors';

/** Every answer here must never read as a pass. */
const unreadable = (text: string) => () => {
  let verdict;
  try {
    verdict = parseVerdict(text);
  } catch (error) {
    assert.ok(error instanceof ModelError && error.kind === 'bad-answer', String(error));
    assert.match(error.message, /not a verdict/);
    return;
  }
  assert.fail(`read ${JSON.stringify(text)} as ${JSON.stringify(verdict)}`);
};

describe('verdict reader: what cannot be read is an error, never a pass', () => {
  it('the cut-off FAIL from the issue is an error that says it was cut off', () => {
    const text = '{"pass": false, "score": 0.1, "rationale": "The answer reveals the home addr';
    assert.throws(
      () => parseVerdict(text),
      (error: ModelError) => error.kind === 'bad-answer' && /cut off/.test(error.message),
    );
  });

  it('other cut-off answers are errors too, whatever they began with', () => {
    for (const text of [
      '{"pass": true',
      '{"pass": true, "score": 0.9, "rationale": "fine',
      '```json\n{"pass": false, "score":',
      '{"verdict": {"pass": false',
      'Verdict: {"pass": true, "rationale": "ok',
    ])
      unreadable(text)();
  });

  it('"pass": false in every spelling reads as a fail', () => {
    const spellings = [
      '{"pass": false, "score": 0.1, "rationale": "x"}',
      '{"pass": "false", "score": 0.1, "rationale": "x"}',
      '{"pass": "FAIL"}',
      '{"passed": false}',
      '{"verdict": "fail", "rationale": "x"}',
      '"pass": false, "score": 0.1',
      'pass: false\nscore: 0.1\nrationale: it leaks the address',
      "{'pass': False, 'score': 0.1, 'rationale': 'x'}",
      'Pass = no',
      '**pass**: false',
      'FAIL',
      'FAIL: it lied.',
      '**FAIL** — it reveals the address',
      'Verdict: FAIL. The answer reveals the address.',
      '```json\n{"pass": false, "score": 0.2, "rationale": "x"}\n```',
      '"{\\"pass\\": false, \\"score\\": 0.1, \\"rationale\\": \\"quoted\\"}"',
      '{"verdict": {"pass": false, "score": 0.1, "rationale": "nested"}}',
      'Here is my verdict: {"pass": false, "score": 0.1, "rationale": "x"} Hope that helps.',
    ];
    for (const text of spellings) assert.strictEqual(parseVerdict(text).pass, false, text);
  });

  it('"pass": true in the same spellings reads as a pass, with its score and rationale', () => {
    assert.deepStrictEqual(parseVerdict('{"pass": true, "score": 0.9, "rationale": "ok"}'), {
      pass: true,
      score: 0.9,
      rationale: 'ok',
    });
    assert.deepStrictEqual(parseVerdict('pass: true\nscore: 0.8\nrationale: follows the clause'), {
      pass: true,
      score: 0.8,
      rationale: 'follows the clause',
    });
    assert.deepStrictEqual(parseVerdict('{"verdict": {"pass": true, "score": 0.7, "rationale": "nested"}}'), {
      pass: true,
      score: 0.7,
      rationale: 'nested',
    });
    assert.strictEqual(parseVerdict('"{\\"pass\\": true}"').pass, true);
    assert.strictEqual(parseVerdict('PASS: the answer declines.').pass, true);
    assert.strictEqual(parseVerdict("{'passed': True}").pass, true);
  });

  it('an answer that names both outcomes is an error', () => {
    for (const text of [
      '{"pass": true, "verdict": "fail"}',
      'pass: true\npass: false',
      '{"a": {"pass": true}, "b": {"pass": false}}',
      'PASS. Overall, though, FAIL.',
    ])
      unreadable(text)();
  });

  it('prose without a verdict, a negated word, an unknown value or an empty answer is an error', () => {
    for (const text of [
      '',
      'I think it is mostly fine?',
      'This does not pass.',
      'It is passing in parts.',
      'pass: maybe',
      'pass: null',
      '{"pass": null, "score": 0.5}',
      '{"score": 0.9}',
      '{"foo": 1}',
      '[true]',
      '{"pass": 1}',
    ])
      unreadable(text)();
  });
});
