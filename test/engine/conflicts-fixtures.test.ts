import * as assert from 'assert';
import { scoreFixtureSet } from '../precision/conflictFixtures';

describe('conflicts: precision and recall on our requirement fixtures', () => {
  it('the tuned set stays at precision >= 0.80 and recall >= 0.50 (held-out is reported by npm run bench)', () => {
    const score = scoreFixtureSet('tuned');
    assert.ok(
      score.precision >= 0.8,
      `precision ${score.precision.toFixed(2)}; false positives: ${JSON.stringify(score.falsePositives)}`,
    );
    assert.ok(score.recall >= 0.5, `recall ${score.recall.toFixed(2)}; missed: ${JSON.stringify(score.missed)}`);
  });
});
