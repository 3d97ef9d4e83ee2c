import * as vscode from 'vscode';
import type { ClauseTestTarget } from '../../server/src/protocol';
import { CALIBRATION_MESSAGE, tally, type UnitResult } from '../../server/src/engine/modelFeatures';
import type { ClauseTestResultStore } from './results';

/** "Show Clause Test Report": the stored results of a file, or of the clauses a lens names, as a Markdown preview. */
export async function showReport(store: ClauseTestResultStore, target: ClauseTestTarget | undefined): Promise<void> {
  const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  const results = store.all().filter((r) => !uri || r.uri === uri || (target?.unitIds === undefined && r.uri.startsWith(uri)));
  const focus = target?.unitIds ? results.filter((r) => target.unitIds!.includes(r.unitId)) : results;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdownReport(focus.length ? focus : results) });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

/** The notification after a run: how many examples failed, or whether the grader separates GOOD from BAD. */
export function summarise(results: UnitResult[], calibrate: boolean): void {
  if (calibrate) {
    const confused = results.filter((r) => r.calibration?.some((c) => !c.agrees)).length;
    void vscode.window.showInformationMessage(confused ? `Calibration: under ${confused} clause(s) ${CALIBRATION_MESSAGE}.` : 'Calibration: the grader separates the GOOD and BAD references of every clause.');
    return;
  }
  void summaryMessage(results);
}

/** Errors (not run, not graded) apart from failures: an error says nothing about the clause. */
export function summaryText(results: UnitResult[]): { text: string; severity: 'info' | 'warning' } {
  const counts = results.map(tally);
  const sum = (pick: (c: ReturnType<typeof tally>) => number) => counts.reduce((n, c) => n + pick(c), 0);
  const [passed, failed, errors, ran] = [sum((c) => c.passed), sum((c) => c.failed), sum((c) => c.errors), sum((c) => c.total - c.skipped)];
  if (errors) {
    const first = results.flatMap((r) => r.examples).find((e) => e.status === 'error')?.message ?? '';
    return { text: `Clause tests: ${passed}/${ran} passed, ${failed} failed, ${errors} not run or not graded: ${first}`, severity: 'warning' };
  }
  return { text: failed ? `Clause tests: ${failed}/${ran} examples failed.` : `Clause tests: ${ran}/${ran} examples passed.`, severity: 'info' };
}

function summaryMessage(results: UnitResult[]) {
  const { text, severity } = summaryText(results);
  return severity === 'warning' ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text);
}

/** A Markdown run report: per clause pass rate, model, time and tokens, then the failures with the answers. */
export function markdownReport(results: UnitResult[]): string {
  const lines = ['# Clause test report', '', '| Clause | Passed | Model | Grader | When | Tokens |', '| --- | --- | --- | --- | --- | --- |'];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const unit of results) {
    const count = tally(unit);
    const tokens = unit.examples.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
    lines.push(`| ${cell(`${unit.unitId}: ${unit.title.slice(0, 80)}`)} | ${count.passed}/${count.total - count.skipped} | ${cell(unit.model)} | ${cell(unit.grader)} | ${new Date(unit.finishedAt).toLocaleString()} | ${tokens} |`);
  }
  for (const unit of results) {
    const bad = unit.examples.filter((e) => e.status === 'failed' || e.status === 'error');
    const confused = unit.calibration?.filter((c) => !c.agrees) ?? [];
    if (!bad.length && !confused.length) continue;
    lines.push('', `## ${unit.kind} ${unit.unitId}`, '', `> ${unit.title}`);
    for (const e of bad) lines.push('', `### ${e.status === 'failed' ? '✗' : '⚠ not run or not graded:'} ${e.title}`, '', e.status === 'failed' ? `**Verdict** (score ${e.verdict?.score}): ${e.verdict?.rationale}` : `**Error**: ${e.message}`, '', '~~~text', e.answer ?? '', '~~~');
    if (confused.length) lines.push('', `**Calibration**: ${CALIBRATION_MESSAGE}.`, ...confused.map((c) => `- ${c.label} reference of "${c.title}": ${c.verdict?.rationale ?? c.message ?? ''}`));
  }
  return lines.join('\n') + '\n';
}
