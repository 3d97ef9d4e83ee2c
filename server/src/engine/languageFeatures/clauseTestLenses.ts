import type { CodeLens } from 'vscode-languageserver-types';
import { CalibrateClauseCommand, commandOf, RecordPrecedentFromResultCommand, RunClauseTestsCommand, ShowClauseTestReportCommand, type ClauseTestTarget } from '../../protocol';
import { collectUnits } from '../clauseTests/collect';
import { mergeUnitResult, tally } from '../clauseTests/runner';
import type { ClauseTestUnit, UnitResult } from '../clauseTests/types';
import type { SpecWorkspace } from '../workspace';

/** The latest result per unit, keyed by file and unit id. */
export class ClauseTestResults {
  private readonly byUnit = new Map<string, UnitResult>();

  add(results: UnitResult[]): void {
    for (const result of results) {
      const key = result.uri + '\0' + result.unitId;
      this.byUnit.set(key, mergeUnitResult(this.byUnit.get(key), result));
    }
  }

  clear(): void {
    this.byUnit.clear();
  }

  get(uri: string, unitId: string): UnitResult | undefined {
    return this.byUnit.get(uri + '\0' + unitId);
  }
}

/** "2 min ago", coarse on purpose: the lens is not redrawn every second. */
export function ago(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The result lens: "✓ 3/3 passed · model · 2 min ago", "✗ 1/3 failed · ...", or stale after an edit. */
export function resultLensTitle(result: UnitResult, currentHash: string, now: number): string | undefined {
  const parts: string[] = [];
  if (result.examples.length) {
    const count = tally(result);
    const ran = count.total - count.skipped;
    // an error (unreachable, cut off, unreadable verdict) says nothing about the clause: never counted as a failure
    if (count.errors) parts.push(`⚠ ${count.errors}/${ran} not run or not graded`);
    if (count.failed) parts.push(`✗ ${count.failed}/${ran} failed`);
    if (!count.errors && !count.failed) parts.push(`✓ ${count.passed}/${ran} passed`);
  }
  if (result.calibration?.length) {
    const disagreements = result.calibration.filter((c) => !c.agrees).length;
    parts.push(disagreements ? `⚠ grader confuses GOOD and BAD (${disagreements}/${result.calibration.length})` : `grader separates GOOD/BAD ${result.calibration.length}/${result.calibration.length}`);
  }
  if (!parts.length) return undefined;
  parts.push(result.model, ago(result.finishedAt, now));
  const title = parts.join(' · ');
  return result.unitHash === currentHash ? title : `$(history) stale: the clause or its examples changed since ${title}`;
}

/** Code lenses for one spec file: a run lens above each clause or section with examples, and the last result beside it. */
export function clauseTestLenses(uri: string, workspace: SpecWorkspace, results: ClauseTestResults, now = Date.now()): CodeLens[] {
  const doc = workspace.get(uri);
  if (!doc || !workspace.isSpec(uri)) return [];
  const units = collectUnits(doc, workspace);
  const lenses: CodeLens[] = [];
  const runnable = (unit: ClauseTestUnit) => unit.examples.filter((e) => !e.skip).length;
  const total = units.reduce((n, unit) => n + runnable(unit), 0);
  if (units.length > 1 && total) {
    lenses.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: commandOf(RunClauseTestsCommand, `▶ Run all ${total} examples in this file`, { uri }) });
  }
  for (const unit of units) {
    const count = runnable(unit);
    if (!count) continue;
    const target: ClauseTestTarget = { uri, unitIds: [unit.id] };
    lenses.push({ range: unit.range, command: commandOf(RunClauseTestsCommand, `▶ Run ${count} example${count === 1 ? '' : 's'}`, target) });
    if (unit.examples.some((e) => e.references.some((r) => r.label === 'GOOD') && e.references.some((r) => r.label === 'BAD'))) {
      lenses.push({ range: unit.range, command: commandOf(CalibrateClauseCommand, 'Calibrate grader', target) });
    }
    const result = results.get(uri, unit.id);
    const title = result && resultLensTitle(result, unit.hash, now);
    if (title) lenses.push({ range: unit.range, command: commandOf(ShowClauseTestReportCommand, title, target) });
    // a decided answer becomes an example: offered while the answers still belong to these examples
    if (title && result.unitHash === unit.hash && result.examples.some((e) => e.answer !== undefined)) {
      lenses.push({ range: unit.range, command: commandOf(RecordPrecedentFromResultCommand, 'Record as precedent…', { uri, unitId: unit.id }) });
    }
  }
  return lenses;
}
