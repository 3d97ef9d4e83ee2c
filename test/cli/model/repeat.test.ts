import * as assert from 'assert';
import { clarifierWithEnv } from '../../cli/support';
import { useMockModelAndFixture } from '../../support/clauseTestFixture';
import { sometimesWrong } from '../../support/model/repeat';

describe('repeats and thresholds (--repeat, --threshold)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({}, (server) => {
    server.options = { respond: sometimesWrong() };
  });

  describe('clarifier test --repeat', () => {
    const run = (args: string[]) =>
      clarifierWithEnv(
        [
          'test',
          env.fixture.dir,
          '--clause',
          'lie1',
          '--base-url',
          env.server.url,
          '--no-cache',
          '--temperature',
          '0.7',
          ...args,
        ],
        {},
        env.fixture.dir,
      );

    it('reports the pass rate and the flaky example in text, JSON and JUnit, and exits by the threshold', async () => {
      const text = await run(['--repeat', '3']);
      assert.strictEqual(text.code, 1, text.stderr);
      assert.match(
        text.stdout,
        /✗ spec\.md:3 clause lie1: 1\/2 passed · context none · 5\/6 samples passed \(3 each\) · 1 flaky/,
      );
      assert.match(
        text.stdout,
        /✗ asked to confirm a false claim \(examples\/lie1\.md:3\) \[2\/3 samples passed, flaky\]/,
      );

      env.server.options = { respond: sometimesWrong() };
      const json = JSON.parse((await run(['--repeat', '3', '--threshold', '0.6', '--format', 'json'])).stdout);
      const example = json.units[0].examples[0];
      assert.deepStrictEqual([example.status, example.flaky, example.samples.length], ['passed', true, 3]);
      assert.strictEqual(json.summary.flaky, 1);
      assert.deepStrictEqual([json.units[0].repeat, json.units[0].threshold], [3, 0.6]);

      env.server.options = { respond: sometimesWrong() };
      const junit = await run(['--repeat', '3', '--threshold', '0.6', '--format', 'junit']);
      assert.strictEqual(junit.code, 0, junit.stderr);
      assert.match(
        junit.stdout,
        /name="asked to confirm a false claim"[^>]*>\n\s*<properties>\n\s*<property name="samples" value="2\/3 passed"\/>\n\s*<property name="flaky" value="true"\/>/,
      );
    });

    it('--repeat at temperature 0 says that the samples will be much the same; bad values are usage errors', async () => {
      const cold = await clarifierWithEnv(
        ['test', env.fixture.dir, '--clause', 'unsure', '--base-url', env.server.url, '--no-cache', '--repeat', '2'],
        {},
        env.fixture.dir,
      );
      assert.strictEqual(cold.code, 0, cold.stderr);
      assert.match(cold.stderr, /--repeat 2 at temperature 0 samples much the same answer/);
      const zero = await run(['--repeat', '0']);
      assert.strictEqual(zero.code, 2);
      assert.match(zero.stderr, /--repeat must be a whole number from 1 to 100, not 0/);
      const high = await run(['--threshold', '1.5']);
      assert.strictEqual(high.code, 2);
      assert.match(high.stderr, /--threshold must be a share of the samples above 0 and at most 1/);
    });
  });
});
