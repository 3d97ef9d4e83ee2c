import * as assert from 'assert';
import { ambiguityFindings } from '../precision/lintCorpus';
import { judgedSample, precisionReport } from '../precision/report';
import { skipWithoutCorpus } from '../support/corpus';

describe('ambiguity precision on the Model Spec (hand-judged sample)', function () {
  const entries = judgedSample();

  before(function () {
    skipWithoutCorpus(this);
  });

  it('has at least 60 judged findings, each with a verdict and a reason', () => {
    assert.ok(entries.length >= 60, `only ${entries.length} judged findings`);
    for (const entry of entries) assert.ok(typeof entry.verdict === 'boolean' && entry.reason.length > 10, `unjudged: ${JSON.stringify(entry)}`);
  });

  for (const profile of ['default', 'strict'] as const) {
    it(`every judged ${profile}-profile finding is still reported (the verdicts describe today's linter)`, () => {
      const { findings, doc } = ambiguityFindings({ profile });
      const current = new Set(findings.map((f) => `${f.ruleId}|${doc.lines.positionAt(f.span.start).line + 1}|${doc.text.slice(f.span.start, f.span.end)}`));
      const missing = entries.filter((e) => e.profile === profile && !current.has(`${e.rule}|${e.line}|${e.excerpt}`));
      assert.deepStrictEqual(missing, [], 'these judged findings are gone: re-draw the sample (test/precision/sample.ts) and judge again');
      if (profile === 'default') {
        // the default profile is judged in full: a new finding must be judged too
        const judged = entries.filter((e) => e.profile === 'default').length;
        assert.strictEqual(findings.length, judged, 'the default profile reports findings nobody judged: re-draw and judge them');
      }
    });
  }

  it('the default profile is right on at least 4 of 5 findings', () => {
    const { lines, precision } = precisionReport(entries);
    console.log(lines.map((line) => `      ${line}`).join('\n'));
    assert.ok(precision >= 0.8, `default-profile precision ${precision} is below 0.8`);
  });
});
