import * as assert from 'assert';
import { writeFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { collectUnits } from '../../server/src/engine/clauseTests/collect';
import type { UnitResult } from '../../server/src/engine/clauseTests/types';
import { ClauseTestResults, clauseTestLenses } from '../../server/src/engine/languageFeatures/clauseTestLenses';
import { loadWorkspace, SPEC, writeFixture } from './fixture';

describe('clause test code lenses', () => {
  let fixture: ReturnType<typeof writeFixture>;
  beforeEach(() => {
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  const resultFor = (unit: ReturnType<typeof collectUnits>[number], statuses: ('passed' | 'failed' | 'error')[], finishedAt: number): UnitResult => ({
    unitId: unit.id, kind: unit.kind, uri: unit.uri, range: unit.range, title: unit.clauseText, unitHash: unit.hash, model: 'gpt-x', grader: 'judge', finishedAt,
    examples: statuses.map((status, i) => ({ unitId: unit.id, exampleKey: `k${i}`, title: `e${i}`, uri: unit.uri, range: unit.range, status, cached: false, promptTokens: 0, completionTokens: 0, durationMs: 1 })),
  });

  it('puts "▶ Run N examples" above each clause and section with examples, and a file-wide run at the top', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const lenses = clauseTestLenses(uri, workspace, new ClauseTestResults());
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command!.title}`);
    assert.deepStrictEqual(titles, ['0: ▶ Run all 4 examples in this file', '2: ▶ Run 2 examples', '2: Calibrate grader', '2: ▶ Run 1 example', '4: ▶ Run 1 example', '4: Calibrate grader']);
    assert.deepStrictEqual(lenses[1].command!.arguments, [{ uri, unitIds: ['lie1'] }]);
    assert.deepStrictEqual(clauseTestLenses(URI.file(path.join(fixture.dir, 'examples', 'lie1.md')).toString(), workspace, new ClauseTestResults()), [], 'example files get no lenses of their own');
  });

  it('shows the last result, and marks it stale after the clause is edited', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const units = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([resultFor(units[0], ['failed', 'passed'], now - 2 * 60_000), resultFor(units[1], ['passed'], now - 5_000)]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('✗ 1/2 failed · gpt-x · 2 min ago'), titles.join('\n'));
    assert.ok(titles.includes('✓ 1/1 passed · gpt-x · just now'), titles.join('\n'));

    writeFileSync(fixture.specPath, SPEC.replace('admit uncertainty when it is unsure', 'say so when it does not know'));
    await workspace.refreshFromDisk(uri);
    const after = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(after.includes('✗ 1/2 failed · gpt-x · 2 min ago'), 'the untouched clause keeps its result');
    assert.ok(after.some((t) => /^\$\(history\) stale: .*✓ 1\/1 passed/.test(t)), after.join('\n'));
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
    const record = clauseTestLenses(uri, workspace, results, now).filter((l) => l.command!.title === 'Record as precedent…');
    assert.deepStrictEqual(record.map((l) => [l.range.start.line, l.command!.command, l.command!.arguments]), [[units[0].range.start.line, 'clarifier.recordPrecedent', [{ uri, unitId: 'lie1' }]]], 'only where an answer came back');
    writeFileSync(fixture.specPath, SPEC.replace('should not lie to the user', 'must not lie to the user'));
    await workspace.refreshFromDisk(uri);
    assert.ok(!clauseTestLenses(uri, workspace, results, now).some((l) => l.command!.title === 'Record as precedent…'), 'a stale result’s answers may not fit the examples any more');
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
    assert.ok(titles.includes('✓ 2/2 passed · gpt-x · just now'), titles.join('\n'));
  });

  it('errors show as errors in the result lens, never as failures', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const uri = URI.file(fixture.specPath).toString();
    const [unit, second] = collectUnits(workspace.get(uri)!, workspace);
    const now = Date.now();
    const results = new ClauseTestResults();
    results.add([resultFor(unit, ['error', 'failed'], now), resultFor(second, ['error'], now)]);
    const titles = clauseTestLenses(uri, workspace, results, now).map((l) => l.command!.title);
    assert.ok(titles.includes('⚠ 1/2 not run or not graded · ✗ 1/2 failed · gpt-x · just now'), titles.join('\n'));
    assert.ok(titles.includes('⚠ 1/1 not run or not graded · gpt-x · just now'), titles.join('\n'));
  });
});
