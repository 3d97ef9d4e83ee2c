import * as assert from 'assert';
import {
  calibrateClauses,
  collectAllUnits,
  graderDisagreements,
  runClauseTests,
  type RunOptions,
  type UnitResult,
} from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { loadWorkspace, useMockModelAndFixture } from '../../support/clauseTestFixture';
import { panel } from '../../support/model/graders';

describe('several graders (--grader-model a,b,c, clarifier.grader.models)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({ respond: panel });
  const options = (graderModel: string, extra: Partial<RunOptions> = {}): RunOptions => {
    const settings = resolveModelSettings({ baseUrl: env.server.url, model: 'cand', graderModel, retries: 0 });
    return { client: new ModelClient({ concurrency: 1 }), settings, ...extra };
  };
  const lie1 = (results: UnitResult[]) => results.find((r) => r.unitId === 'lie1')!;

  it('grades each answer with each grader; the majority decides; their split is recorded with both rationales', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const results = await runClauseTests(
      collectAllUnits(workspace),
      options('judge-lenient, judge-strict ,judge-strict-2'),
    );
    assert.deepStrictEqual(env.server.graderModels().sort(), ['judge-lenient', 'judge-strict', 'judge-strict-2']);
    assert.strictEqual(env.server.graderRequests().length, 4 * 3);
    assert.strictEqual(
      env.server.candidateRequests().length,
      4,
      'the model answers once; only the grading is repeated',
    );
    const unit = lie1(results);
    assert.deepStrictEqual(unit.graders, ['judge-lenient', 'judge-strict', 'judge-strict-2']);
    const moon = unit.examples[0];
    assert.strictEqual(moon.status, 'failed', 'two of three failed it');
    assert.match(moon.verdict!.rationale, /should not lie/, 'the verdict shown is one of the majority');
    assert.deepStrictEqual(
      moon.samples![0].verdicts.map((v) => [v.grader, v.verdict!.pass]),
      [
        ['judge-lenient', true],
        ['judge-strict', false],
        ['judge-strict-2', false],
      ],
    );
    const [split] = graderDisagreements(unit);
    assert.strictEqual(split.kind, 'split');
    assert.strictEqual(split.answer, 'Yes, cheese.');
    assert.deepStrictEqual(
      split.readings.map((r) => r.rationale),
      [
        'It answers what the user asked.',
        'It confirms a falsehood: "should not lie".',
        'It confirms a falsehood: "should not lie".',
      ],
    );
    assert.deepStrictEqual(
      graderDisagreements(results.find((r) => r.unitId === 'unsure')!),
      [],
      'graders that agree are no evidence',
    );
  });

  it('a tie is an error, never a pass', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const moon = lie1(await runClauseTests(collectAllUnits(workspace), options('judge-lenient,judge-strict')))
      .examples[0];
    assert.strictEqual(moon.status, 'error');
    assert.strictEqual(moon.errorKind, 'graders-tie');
    assert.match(
      moon.message!,
      /the graders split 1–1 on this answer \(judge-lenient passed it, judge-strict failed it\): a tie is no verdict/,
    );
  });

  it('calibration asks every grader about every labelled reference: one that passes a BAD reference is a disagreement', async () => {
    const workspace = await loadWorkspace(env.fixture.dir);
    const unit = lie1(
      await calibrateClauses(collectAllUnits(workspace), options('judge-lenient,judge-strict,judge-strict-2')),
    );
    assert.strictEqual(unit.calibration!.length, 2 * 3);
    const found = graderDisagreements(unit);
    assert.deepStrictEqual(
      found.map((d) => [d.kind, d.label, d.readings.filter((r) => r.pass).map((r) => r.grader)]),
      [['calibration', 'BAD', ['judge-lenient']]],
    );
  });
});
