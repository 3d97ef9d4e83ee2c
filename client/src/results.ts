import * as vscode from 'vscode';
import { ClauseTestResultsNotification } from '../../server/src/protocol';
import { mergeUnitResult, type UnitResult } from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';

const RESULTS_KEY = 'clarifier.clauseTestResults';

/**
 * The clause-test results of this workspace: kept in workspace state (they survive a reload), given
 * to the server for its result lenses, and given back to a restarted server, which has forgotten them.
 */
export class ClauseTestResultStore {
  private readonly changed = new vscode.EventEmitter<UnitResult[]>();
  /** Fires with every result after each change. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: ClarifierContext) {
    context.push(
      this.changed,
      context.onDidStartServer(
        () => void context.sendNotification(ClauseTestResultsNotification, { results: this.all(), replace: true }),
      ),
    );
  }

  all(): UnitResult[] {
    return this.context.workspaceState.get<UnitResult[]>(RESULTS_KEY, []);
  }

  /** Adds finished runs (an example run alone keeps its unit's other examples), or replaces all of them. */
  async publish(results: UnitResult[], replace = false): Promise<void> {
    const merged = new Map(this.all().map((r) => [r.uri + '\0' + r.unitId, r]));
    if (replace) merged.clear();
    for (const result of results) {
      const key = result.uri + '\0' + result.unitId;
      merged.set(key, mergeUnitResult(merged.get(key), result));
    }
    const all = [...merged.values()];
    await this.context.workspaceState.update(RESULTS_KEY, all);
    this.changed.fire(all);
    await this.context.sendNotification(ClauseTestResultsNotification, { results, replace });
  }
}
