import type { CodeLens } from 'vscode-languageserver-types';
import {
  CalibrateClauseCommand,
  commandOf,
  RecordPrecedentFromResultCommand,
  RunClauseTestsCommand,
  ShowClauseTestReportCommand,
  type ClauseTestTarget,
  type CodeLensData,
} from '../../protocol';
import { collectUnits } from '../clauseTests/collect';
import { graderDisagreements } from '../clauseTests/disagreement';
import { ClauseTestResults } from '../clauseTests/results';
import { tally } from '../clauseTests/runner';
import type { ClauseTestUnit, UnitResult } from '../clauseTests/types';
import type { SpecWorkspace } from '../workspace';

export { ClauseTestResults };

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

/**
 * How the result was reached, where it differs from one sample, one grader and no spec in context:
 * "6/6 samples (3 each)", "1 flaky", "context spec", "graders a, b, c", "graders disagree".
 */
export function runDetails(result: UnitResult): string[] {
  const parts: string[] = [];
  if (result.examples.length && (result.repeat ?? 1) > 1) {
    const samples = result.examples.flatMap((e) => e.samples ?? []);
    parts.push(
      `${samples.filter((s) => s.status === 'passed').length}/${samples.length} samples (${result.repeat} each${(result.threshold ?? 1) < 1 ? `, pass at ${Math.round((result.threshold ?? 1) * 100)}%` : ''})`,
    );
  }
  const flaky = result.examples.filter((e) => e.flaky).length;
  if (flaky) parts.push(`≈ ${flaky} flaky`);
  // only the model's own example is the default for a trained-on spec: the lens names a context only when it adds text (the hover always names it)
  if (result.examples.length && result.context && result.context !== 'none') parts.push(`context ${result.context}`);
  if (result.graders && result.graders.length > 1) parts.push(`graders ${result.graders.join(', ')}`);
  if (graderDisagreements(result).length) parts.push('⚖ graders disagree');
  return parts;
}

/** A lens's title is one short line; what it leaves out is in its tooltip (VS Code shows it on hover). */
export interface LensText {
  title: string;
  tooltip: string;
}

function counts(result: UnitResult): { parts: string[]; detail: string[] } {
  const parts: string[] = [];
  const detail: string[] = [];
  if (result.examples.length) {
    const count = tally(result);
    const ran = count.total - count.skipped;
    // an error (unreachable, cut off, unreadable verdict) says nothing about the clause: never counted as a failure
    if (count.errors) parts.push(`⚠ ${count.errors}/${ran} not graded`);
    if (count.failed) parts.push(`✗ ${count.failed}/${ran} failed`);
    if (!count.errors && !count.failed) parts.push(`✓ ${count.passed}/${ran} passed`);
    detail.push(
      `${count.passed} of ${ran} examples passed, ${count.failed} failed, ${count.errors} not run or not graded${count.skipped ? `, ${count.skipped} skipped` : ''}.`,
    );
  }
  if (result.calibration?.length) {
    const total = result.calibration.length;
    const disagreements = result.calibration.filter((c) => !c.agrees).length;
    parts.push(
      disagreements ? `⚠ grader confuses GOOD/BAD ${disagreements}/${total}` : `grader ✓ GOOD/BAD ${total}/${total}`,
    );
    detail.push(
      disagreements
        ? `The grader judged ${disagreements} of the ${total} GOOD and BAD references the wrong way: under this wording it cannot tell them apart.`
        : `The grader judged all ${total} GOOD and BAD references the right way.`,
    );
  }
  return { parts, detail };
}

/**
 * The result lens: "✓ 3/3 passed · 2 min ago", "✗ 1/3 failed · just now", or stale after an edit; the
 * models and the time are in the tooltip. `now` is the one clock of a whole file's lenses.
 */
export function resultLens(result: UnitResult, currentHash: string, now: number): LensText | undefined {
  const { parts, detail } = counts(result);
  if (!parts.length) return undefined;
  const when = ago(result.finishedAt, now);
  const stale = result.unitHash !== currentHash;
  const title = `${stale ? '$(history) stale · ' : ''}${[...parts, ...runDetails(result)].join(' · ')} · ${when}`;
  const tooltip = [
    stale ? 'The clause or its examples changed since this run: run it again.' : '',
    ...detail,
    `Model under test: ${result.model}; grader: ${result.grader}.`,
    `Finished ${new Date(result.finishedAt).toLocaleString()} (${when}). Click for the report.`,
  ]
    .filter(Boolean)
    .join('\n');
  return { title, tooltip };
}

/** The file's summary after a run: "Clause tests: 12/14 passed · 2 failed · just now", over the units that have a result. */
export function fileSummaryLens(
  units: ClauseTestUnit[],
  results: (UnitResult | undefined)[],
  now: number,
): LensText | undefined {
  let passed = 0;
  let failed = 0;
  let errors = 0;
  let ran = 0;
  let stale = 0;
  let latest = 0;
  let tested = 0;
  units.forEach((unit, i) => {
    const result = results[i];
    if (!result?.examples.length) return;
    tested++;
    const count = tally(result);
    passed += count.passed;
    failed += count.failed;
    errors += count.errors;
    ran += count.total - count.skipped;
    if (result.unitHash !== unit.hash) stale++;
    latest = Math.max(latest, result.finishedAt);
  });
  if (!tested) return undefined;
  const parts = [`Clause tests: ${passed}/${ran} passed`];
  if (failed) parts.push(`${failed} failed`);
  if (errors) parts.push(`${errors} not graded`);
  if (stale) parts.push(`${stale} stale`);
  parts.push(ago(latest, now));
  const untested = units.length - tested;
  const tooltip = [
    `Last results of ${tested} of the ${units.length} clauses and sections with examples in this file${untested ? ` (${untested} never run)` : ''}.`,
    `${passed} examples passed, ${failed} failed, ${errors} not run or not graded.`,
    stale ? `${stale} results are stale: the clause or its examples changed since.` : '',
    'Click for the report.',
  ]
    .filter(Boolean)
    .join('\n');
  return { title: parts.join(' · '), tooltip };
}

function lens(range: CodeLens['range'], command: NonNullable<CodeLens['command']>, tooltip: string): CodeLens {
  const data: CodeLensData = { tooltip };
  return { range, command, data };
}

/**
 * Code lenses for one spec file: a run lens above each clause or section with examples, the last result
 * beside it, and at the top a file-wide run and the file's summary. Every relative time in them is
 * computed from one `now`, so the labels of neighbouring clauses agree.
 */
export function clauseTestLenses(
  uri: string,
  workspace: SpecWorkspace,
  results: ClauseTestResults,
  now = Date.now(),
): CodeLens[] {
  const doc = workspace.get(uri);
  if (!doc || !workspace.isSpec(uri)) return [];
  const units = collectUnits(doc, workspace);
  const lenses: CodeLens[] = [];
  const runnable = (unit: ClauseTestUnit) => unit.examples.filter((e) => !e.skip).length;
  const total = units.reduce((n, unit) => n + runnable(unit), 0);
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (units.length > 1 && total) {
    lenses.push(
      lens(
        top,
        commandOf(RunClauseTestsCommand, `▶ Run all ${total} examples`, { uri }),
        `Run all ${total} examples of the ${units.length} clauses and sections in this file: the model under test answers each, the grader judges the answer against its clause.`,
      ),
    );
  }
  const unitResults = units.map((unit) => results.get(uri, unit.id));
  const summary = fileSummaryLens(units, unitResults, now);
  if (summary) lenses.push(lens(top, commandOf(ShowClauseTestReportCommand, summary.title, { uri }), summary.tooltip));
  units.forEach((unit, i) => {
    const count = runnable(unit);
    if (!count) return;
    const target: ClauseTestTarget = { uri, unitIds: [unit.id] };
    const what = unit.kind === 'clause' ? 'this clause' : 'this section';
    lenses.push(
      lens(
        unit.range,
        commandOf(RunClauseTestsCommand, `▶ Run ${count} example${count === 1 ? '' : 's'}`, target),
        `Run the ${count} example${count === 1 ? '' : 's'} of ${what}: the model under test answers, the grader judges each answer against the clause.`,
      ),
    );
    if (
      unit.examples.some(
        (e) => e.references.some((r) => r.label === 'GOOD') && e.references.some((r) => r.label === 'BAD'),
      )
    ) {
      lenses.push(
        lens(
          unit.range,
          commandOf(CalibrateClauseCommand, 'Calibrate grader', target),
          `Grade the spec's own GOOD and BAD answers for ${what}: a grader that cannot tell them apart shows the wording is ambiguous in practice.`,
        ),
      );
    }
    const unitResult = unitResults[i];
    const result = unitResult && resultLens(unitResult, unit.hash, now);
    if (result)
      lenses.push(lens(unit.range, commandOf(ShowClauseTestReportCommand, result.title, target), result.tooltip));
    // a decided answer becomes an example: offered while the answers still belong to these examples
    if (result && unitResult.unitHash === unit.hash && unitResult.examples.some((e) => e.answer !== undefined)) {
      lenses.push(
        lens(
          unit.range,
          commandOf(RecordPrecedentFromResultCommand, 'Record as precedent…', { uri, unitId: unit.id }),
          'Write one of these answers into the examples as a GOOD or BAD reference.',
        ),
      );
    }
  });
  return lenses;
}
