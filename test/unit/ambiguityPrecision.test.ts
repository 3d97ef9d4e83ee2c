import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { ambiguityFindings } from '../precision/lintCorpus';
import { MODEL_SPEC_DIR } from '../support/corpus';

interface Judged {
  profile: 'default' | 'strict';
  rule: string;
  line: number;
  excerpt: string;
  verdict: boolean;
  reason: string;
}

const SAMPLE = path.resolve(__dirname, '..', 'precision', 'ambiguity-sample.json');

/** Precision per rule from the hand-judged verdicts, as "right/judged (percent)". */
export function precisionTable(entries: Judged[]): Map<string, { right: number; judged: number }> {
  const table = new Map<string, { right: number; judged: number }>();
  for (const entry of entries) {
    const row = table.get(entry.rule) ?? { right: 0, judged: 0 };
    row.judged++;
    if (entry.verdict) row.right++;
    table.set(entry.rule, row);
  }
  return table;
}

describe('ambiguity precision on the Model Spec (hand-judged sample)', function () {
  const entries = (JSON.parse(readFileSync(SAMPLE, 'utf8')) as { findings: Judged[] }).findings;

  before(function () {
    if (!existsSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'))) this.skip();
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
    const { normativeSentences } = ambiguityFindings();
    const lines: string[] = [];
    for (const profile of ['default', 'strict'] as const) {
      const subset = entries.filter((e) => e.profile === profile);
      for (const [rule, row] of precisionTable(subset)) lines.push(`      ${profile.padEnd(7)} ${rule.padEnd(24)} ${row.right}/${row.judged} (${Math.round((100 * row.right) / row.judged)}%)`);
    }
    const defaults = entries.filter((e) => e.profile === 'default');
    const precision = defaults.filter((e) => e.verdict).length / defaults.length;
    console.log(lines.join('\n'));
    console.log(`      default profile: ${(precision * 100).toFixed(1)}% right, ${((100 * defaults.length) / normativeSentences).toFixed(1)} findings per 100 normative sentences (${defaults.length} on ${normativeSentences})`);
    assert.ok(precision >= 0.8, `default-profile precision ${precision} is below 0.8`);
  });
});
