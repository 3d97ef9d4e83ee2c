import * as assert from 'assert';
import { nearDuplicatePairs, pairKey, readSample, samplePrecision, SAMPLE_SIZE } from '../precision/nearDuplicates';
import { MODEL_SPEC_DIR, REAL_SPECS_DIR, skipWithoutCorpus } from '../support/corpus';

/** The bar of issue 10 for a rule in the strict profile. */
const STRICT_BAR = 0.5;

/**
 * Re-checks the hand-judged near-duplicate sample (test/precision/conflicts-near-duplicates.json)
 * against what the analysis reports today on the real-spec corpus and the Model Spec.
 */
describe('near-duplicate-clause on real specs (hand-judged sample)', function () {
  this.timeout(600000);
  const sample = readSample();

  it('is a strict-profile rule, and every judged pair has a verdict and a reason', () => {
    assert.strictEqual(sample.profile, 'strict');
    for (const pair of sample.judged)
      assert.ok(typeof pair.verdict === 'boolean' && pair.reason.length > 20, `unjudged: ${JSON.stringify(pair)}`);
  });

  it(`judges today's pairs: all of them, or ${SAMPLE_SIZE}, and none that is gone; precision at least ${STRICT_BAR * 100}% across the corpus`, async function () {
    skipWithoutCorpus(this, REAL_SPECS_DIR);
    skipWithoutCorpus(this, MODEL_SPEC_DIR);
    const reported = await nearDuplicatePairs('strict');
    const current = new Set(reported.map(pairKey));
    const gone = sample.judged.filter((pair) => !current.has(pairKey(pair))).map(pairKey);
    assert.deepStrictEqual(
      gone,
      [],
      'judged pairs no longer reported: re-draw with `node --import tsx test/precision/nearDuplicates.ts draw` and judge the new ones',
    );
    assert.ok(
      sample.judged.length >= Math.min(SAMPLE_SIZE, reported.length),
      `${sample.judged.length} judged of ${reported.length} reported: re-draw and judge`,
    );
    const { right, judged, perKind } = samplePrecision(sample);
    console.log(
      `      near-duplicate-clause (strict): ${right}/${judged} right; ${[...perKind].map(([kind, [r, n]]) => `${kind} ${r}/${n}`).join(', ')}`,
    );
    assert.ok(right / judged >= STRICT_BAR, `precision ${right}/${judged}`);
  });
});
