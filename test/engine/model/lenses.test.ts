import * as assert from 'assert';
import { writeFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { collectUnits } from '../../../server/src/engine/clauseTests/collect';
import type { UnitResult } from '../../../server/src/engine/clauseTests/types';
import { oneRunTime } from '../../../server/src/engine/clauseTests/runner';
import { ClauseTestResults, clauseTestLenses } from '../../../server/src/engine/languageFeatures/clauseTestLenses';
import { loadWorkspace, SPEC, writeFixture } from '../../support/clauseTestFixture';

describe('clause test code lenses', () => {
  let fixture: ReturnType<typeof writeFixture>;
  beforeEach(() => {
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  const resultFor = (
    unit: ReturnType<typeof collectUnits>[number],
    statuses: ('passed' | 'failed' | 'error')[],
    finishedAt: number,
  ): UnitResult => ({
    unitId: unit.id,
    kind: unit.kind,
    uri: unit.uri,
    range: unit.range,
    title: unit.clauseText,
    unitHash: unit.hash,
    model: 'gpt-x',
    grader: 'judge',
    finishedAt,
    examples: statuses.map((status, i) => ({
      unitId: unit.id,
      exampleKey: `k${i}`,
      title: `e${i}`,
      uri: unit.uri,
      range: unit.range,
      status,
      cached: false,
      promptTokens: 0,
      completionTokens: 0,
      durationMs: 1,
    })),
  });

  it('puts "▶ Run N examples" above each clause and section with examples, and a file-wide run at the top', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const lenses = clauseTestLenses(uri, workspace, new ClauseTestResults());
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command!.title}`);
    assert.deepStrictEqual(titles, [
      '0: ▶ Run all 4 examples',
      '2: ▶ Run 2 examples',
      '2: Calibrate grader',
      '2: ▶ Run 1 example',
      '4: ▶ Run 1 example',
      '4: Calibrate grader',
    ]);
    assert.ok(
      lenses.every((l) => (l.data as { tooltip?: string })?.tooltip),
      'every lens explains itself in its tooltip',
    );
    assert.deepStrictEqual(lenses[1].command!.arguments, [{ uri, unitIds: ['lie1'] }]);
    assert.deepStrictEqual(
      clauseTestLenses(
        URI.file(path.join(fixture.dir, 'examples', 'lie1.md')).toString(),
        workspace,
        new ClauseTestResults(),
      ),
      [],
      'example files get no lenses of their own',
    );
  });

  it('shows the last result, and marks it stale after the clause is edited', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const units = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([
      resultFor(units[0], ['failed', 'passed'], now - 2 * 60_000),
      resultFor(units[1], ['passed'], now - 5_000),
    ]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('✗ 1/2 failed · 2 min ago'), titles.join('\n'));
    assert.ok(titles.includes('✓ 1/1 passed · just now'), titles.join('\n'));

    writeFileSync(
      fixture.specPath,
      SPEC.replace('admit uncertainty when it is unsure', 'say so when it does not know'),
    );
    await workspace.refreshFromDisk(uri);
    const after = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(after.includes('✗ 1/2 failed · 2 min ago'), 'the untouched clause keeps its result');
    assert.ok(after.includes('$(history) stale · ✓ 1/1 passed · just now'), after.join('\n'));
    assert.ok(after.includes('Clause tests: 2/3 passed · 1 failed · 1 stale · just now'), after.join('\n'));
  });

  it('offers "Record as precedent…" beside a result with answers, not beside a stale one', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const units = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const answered = resultFor(units[0], ['failed', 'passed'], now);
    answered.examples = answered.examples.map((e) => ({ ...e, answer: `answer of ${e.title}` }));
    const results = new ClauseTestResults();
    results.add([answered, resultFor(units[1], ['error'], now)]);
    const record = clauseTestLenses(uri, workspace, results, now).filter(
      (l) => l.command!.title === 'Record as precedent…',
    );
    assert.deepStrictEqual(
      record.map((l) => [l.range.start.line, l.command!.command, l.command!.arguments]),
      [[units[0].range.start.line, 'clarifier.recordPrecedent', [{ uri, unitId: 'lie1' }]]],
      'only where an answer came back',
    );
    writeFileSync(fixture.specPath, SPEC.replace('should not lie to the user', 'must not lie to the user'));
    await workspace.refreshFromDisk(uri);
    assert.ok(
      !clauseTestLenses(uri, workspace, results, now).some((l) => l.command!.title === 'Record as precedent…'),
      'a stale result’s answers may not fit the examples any more',
    );
  });

  it('a run of one example updates that example and keeps the others in the result lens', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const [unit] = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([resultFor(unit, ['failed', 'passed'], now - 2 * 60_000)]);
    const rerun = resultFor(unit, ['passed', 'passed'], now);
    results.add([{ ...rerun, examples: rerun.examples.slice(0, 1) }]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('✓ 2/2 passed · just now'), titles.join('\n'));
  });

  it('one run gives neighbouring clauses one time, and one request labels every lens from one clock', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const units = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    // the units of one run finish 40 s apart: 50 s and 90 s before now would read "just now" and "2 min ago"
    const run = oneRunTime([
      resultFor(units[0], ['passed'], now - 90_000),
      resultFor(units[1], ['passed'], now - 50_000),
    ]);
    const results = new ClauseTestResults();
    results.add(run);
    const labels = clauseTestLenses(uri, workspace, results, now)
      .map((l) => l.command!.title)
      .filter((t) => /passed/.test(t));
    assert.deepStrictEqual(labels, [
      'Clause tests: 2/2 passed · just now',
      '✓ 1/1 passed · just now',
      '✓ 1/1 passed · just now',
    ]);
    const later = clauseTestLenses(uri, workspace, results, now - 50_000 + 3 * 60_000)
      .map((l) => l.command!.title)
      .filter((t) => /passed/.test(t));
    assert.deepStrictEqual(
      later,
      ['Clause tests: 2/2 passed · 3 min ago', '✓ 1/1 passed · 3 min ago', '✓ 1/1 passed · 3 min ago'],
      'they age together',
    );
  });

  it('the result lens is short; the models, counts and time are in its tooltip', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const [unit] = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([resultFor(unit, ['failed', 'passed'], now)]);
    const lens = clauseTestLenses(uri, workspace, results, now).find((l) => l.command!.title.startsWith('✗'))!;
    assert.strictEqual(lens.command!.title, '✗ 1/2 failed · just now');
    const tooltip = (lens.data as { tooltip: string }).tooltip;
    assert.match(tooltip, /1 of 2 examples passed, 1 failed/);
    assert.match(tooltip, /Model under test: gpt-x; grader: judge\./);
  });

  it('names the spec context only when the model saw some of the spec, and several graders when they voted', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const [unit, second] = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([
      { ...resultFor(unit, ['passed', 'passed'], now), context: 'none' },
      { ...resultFor(second, ['passed'], now), context: 'clause', graders: ['a', 'b', 'c'] },
    ]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('✓ 2/2 passed · just now'), titles.join('\n'));
    assert.ok(titles.includes('✓ 1/1 passed · context clause · graders a, b, c · just now'), titles.join('\n'));
  });

  it('errors show as errors in the result lens, never as failures', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const [unit, second] = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([resultFor(unit, ['error', 'failed'], now), resultFor(second, ['error'], now)]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('⚠ 1/2 not graded · ✗ 1/2 failed · just now'), titles.join('\n'));
    assert.ok(titles.includes('⚠ 1/1 not graded · just now'), titles.join('\n'));
    assert.ok(titles.includes('Clause tests: 0/3 passed · 1 failed · 2 not graded · just now'), titles.join('\n'));
  });
});
