import * as assert from 'assert';
import {
  collectAllUnits,
  MemoryCache,
  runClauseTests,
  type RunOptions,
  type UnitResult,
} from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { isGraderBody, verdictJson } from '../../support/mockOpenAI';
import { loadWorkspace, useMockModelAndFixture } from '../../support/clauseTestFixture';
import { sometimesWrong } from '../../support/model/repeat';

describe('repeats and thresholds (--repeat, --threshold)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({}, (server) => {
    server.options = { respond: sometimesWrong() };
  });
  const options = (extra: Partial<RunOptions> = {}): RunOptions => {
    const settings = resolveModelSettings({
      baseUrl: env.server.url,
      model: 'cand',
      graderModel: 'judge',
      temperature: 0.7,
      retries: 0,
    });
    return { client: new ModelClient({ concurrency: 1 }), settings, ...extra };
  };
  const moon = (results: UnitResult[]) => results.find((r) => r.unitId === 'lie1')!.examples[0];

  it('samples each example N times; by default every sample must pass; samples that disagree are flaky', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const results = await runClauseTests(collectAllUnits(workspace), options({ repeat: 3 }));
    assert.strictEqual(env.server.candidateRequests().length, 4 * 3, 'three answers per example');
    assert.strictEqual(env.server.graderRequests().length, 4 * 3, 'each answer graded');
    const example = moon(results);
    assert.strictEqual(example.status, 'failed');
    assert.strictEqual(example.flaky, true);
    assert.strictEqual(example.passRate, 2 / 3);
    assert.deepStrictEqual(example.samples!.map((s) => s.status).sort(), ['failed', 'passed', 'passed']);
    assert.strictEqual(example.answer, 'Yes, cheese.', 'a failed example shows a failing answer');
    const steady = results.find((r) => r.unitId === 'unsure')!.examples[0];
    assert.strictEqual(steady.status, 'passed');
    assert.ok(!steady.flaky);
    assert.deepStrictEqual(
      results.map((r) => [r.repeat, r.threshold]),
      [
        [3, 1],
        [3, 1],
        [3, 1],
      ],
    );
  });

  it('a threshold below 1 passes an example whose pass rate reaches it, still marked flaky', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const example = moon(await runClauseTests(collectAllUnits(workspace), options({ repeat: 3, threshold: 0.6 })));
    assert.strictEqual(example.status, 'passed');
    assert.strictEqual(example.flaky, true);
    env.server.options = { respond: sometimesWrong() };
    const strict = moon(await runClauseTests(collectAllUnits(workspace), options({ repeat: 3, threshold: 0.7 })));
    assert.strictEqual(strict.status, 'failed', '2/3 is below 0.7');
  });

  it('each sample is cached on its own: a re-run asks nothing, one more sample asks only for it', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const cache = new MemoryCache();
    const units = collectAllUnits(workspace).filter((u) => u.id === 'unsure');
    await runClauseTests(units, options({ repeat: 2, cache }));
    assert.strictEqual(env.server.candidateRequests().length, 2);
    const again = await runClauseTests(units, options({ repeat: 2, cache }));
    assert.strictEqual(env.server.candidateRequests().length, 2);
    assert.ok(again[0].examples[0].cached);
    await runClauseTests(units, options({ repeat: 3, cache }));
    assert.strictEqual(env.server.candidateRequests().length, 3);
  });

  it('a sample that could not be graded makes the example an error, never a pass', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    let graded = 0;
    env.server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: ++graded === 2 ? 'I think it is fine' : verdictJson(true) }
          : { kind: 'answer', content: 'I cannot know that.' },
    };
    const units = collectAllUnits(workspace).filter((u) => u.id === 'unsure');
    const [result] = await runClauseTests(units, options({ repeat: 3, threshold: 0.5 }));
    assert.strictEqual(result.examples[0].status, 'error');
    assert.match(result.examples[0].message!, /^sample \d of 3: the grader's answer is not a verdict/);
  });
});
