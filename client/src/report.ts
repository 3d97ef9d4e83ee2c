import * as vscode from 'vscode';
import type { ClauseTestPlan, ClauseTestTarget } from '../../server/src/protocol';
import {
  CALIBRATION_MESSAGE,
  tally,
  type ClauseTestUnit,
  type UnitResult,
} from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import { reportPage } from './reportPage';
import type { ClauseTestResultStore } from './results';

/**
 * "Show Clause Test Report": the stored results of a file, or of the clauses a lens names, as the
 * same self-contained page `clarifier test --format html` writes, in a webview. The page runs no
 * script and loads nothing (its CSP says so); it follows the stored results while it is open.
 */
export class ClauseTestReport {
  private panel: vscode.WebviewPanel | undefined;
  private target: ClauseTestTarget | undefined;
  private rendered: string | undefined;

  constructor(
    context: ClarifierContext,
    private readonly store: ClauseTestResultStore,
    private readonly plan: (uri: string) => Promise<ClauseTestPlan>,
  ) {
    context.push(store.onDidChange(() => void (this.panel && this.render())));
  }

  /** The HTML the open report shows, for the editor tests; undefined when none is open. */
  get html(): string | undefined {
    return this.panel ? this.rendered : undefined;
  }

  async show(target: ClauseTestTarget | undefined): Promise<void> {
    const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    this.target = uri ? { uri, unitIds: target?.unitIds } : undefined;
    const title =
      this.target?.unitIds?.length === 1 ? `Clause Test Report: ${this.target.unitIds[0]}` : 'Clause Test Report';
    if (!this.panel) {
      // no script, no local resource: the page is inert HTML and CSS
      this.panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title, vscode.ViewColumn.Beside, {
        enableScripts: false,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = title;
    await this.render();
    this.panel?.reveal(undefined, true);
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const results = selectResults(this.store.all(), this.target);
    // the conversations and reference answers come from the server's plan of each file
    const units: ClauseTestUnit[] = [];
    for (const uri of new Set(results.map((r) => r.uri))) {
      try {
        units.push(...(await this.plan(uri)).units);
      } catch {
        // the server is down: the page shows the results without their conversations
      }
    }
    const where = (uri: string, line: number) =>
      `${vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false)}:${line}`;
    this.rendered = reportPage(results, units, where);
    panel.webview.html = this.rendered;
  }
}

export const REPORT_VIEW_TYPE = 'clarifier.clauseTestReport';

/** A file's results, or the named clauses' when they have any. */
export function selectResults(all: UnitResult[], target: ClauseTestTarget | undefined): UnitResult[] {
  const uri = target?.uri;
  const results = all.filter((r) => !uri || r.uri === uri || (target?.unitIds === undefined && r.uri.startsWith(uri)));
  const focus = target?.unitIds ? results.filter((r) => target.unitIds!.includes(r.unitId)) : results;
  return focus.length ? focus : results;
}

/** The notification after a run: how many examples failed, or whether the grader separates GOOD from BAD. */
export function summarise(results: UnitResult[], calibrate: boolean): void {
  if (calibrate) {
    const confused = results.filter((r) => r.calibration?.some((c) => !c.agrees)).length;
    void vscode.window.showInformationMessage(
      confused
        ? `Calibration: under ${confused} clause(s) ${CALIBRATION_MESSAGE}.`
        : 'Calibration: the grader separates the GOOD and BAD references of every clause.',
    );
    return;
  }
  void summaryMessage(results);
}

/** Errors (not run, not graded) apart from failures: an error says nothing about the clause. */
export function summaryText(results: UnitResult[]): { text: string; severity: 'info' | 'warning' } {
  const counts = results.map(tally);
  const sum = (pick: (c: ReturnType<typeof tally>) => number) => counts.reduce((n, c) => n + pick(c), 0);
  const [passed, failed, errors, ran] = [
    sum((c) => c.passed),
    sum((c) => c.failed),
    sum((c) => c.errors),
    sum((c) => c.total - c.skipped),
  ];
  if (errors) {
    const first = results.flatMap((r) => r.examples).find((e) => e.status === 'error')?.message ?? '';
    return {
      text: `Clause tests: ${passed}/${ran} passed, ${failed} failed, ${errors} not run or not graded: ${first}`,
      severity: 'warning',
    };
  }
  return {
    text: failed ? `Clause tests: ${failed}/${ran} examples failed.` : `Clause tests: ${ran}/${ran} examples passed.`,
    severity: 'info',
  };
}

function summaryMessage(results: UnitResult[]) {
  const { text, severity } = summaryText(results);
  return severity === 'warning' ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text);
}
