import * as vscode from 'vscode';
import { ClauseTestPlanRequest, type ClauseTestPlan, type ClauseTestTarget } from '../../server/src/protocol';
import { calibrateClauses, DiskCache, ModelError, runClauseTests, type ExampleResult, type UnitResult } from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';
import { summarise } from './report';
import type { ClauseTestResultStore } from './results';

/**
 * Clause tests on the client side: the model calls run here, in the extension host, because the
 * API key lives in SecretStorage and must never travel over the LSP connection. The server plans
 * (which examples belong to which clause) and draws the lenses from the results sent back.
 */
export class ClauseTestRunner {
  constructor(
    private readonly context: ClarifierContext,
    private readonly access: ModelAccess,
    private readonly store: ClauseTestResultStore,
  ) {}

  private get cacheFolder(): string {
    return this.context.storageFolder('clause-tests');
  }

  /** The server's plan for a file: its clauses and sections with examples, optionally only some. */
  plan(uri: string, unitIds?: string[]): Promise<ClauseTestPlan> {
    return this.context.sendRequest(ClauseTestPlanRequest, { uri, unitIds });
  }

  /** Runs (or calibrates) units with the settings of `scope`; undefined when cancelled or stopped by an error already shown. */
  async execute(scope: vscode.Uri, units: ClauseTestPlan['units'], calibrate: boolean, signal: AbortSignal, onExample?: (result: ExampleResult) => void): Promise<UnitResult[] | undefined> {
    if (!this.access.trusted('run clause tests')) return undefined;
    const settings = this.access.settingsFor(scope);
    if (!settings) return undefined;
    const logger = this.context.logger;
    const cache = new DiskCache(this.cacheFolder, (error) => logger.warn('cannot write the clause-test cache', { error: error.message }));
    try {
      const options = { client: await this.access.client(settings.concurrency), settings, cache, signal, logger, onExample };
      const results = calibrate ? await calibrateClauses(units, options) : await runClauseTests(units, options);
      await this.store.publish(results);
      return results;
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'cancelled') return undefined;
      if (error instanceof ModelError) return void this.access.showModelError(error);
      throw error;
    } finally {
      await cache.close();
    }
  }

  /** The lens and palette commands: a file's (or some clauses') examples with a cancellable progress notification. */
  async run(target: ClauseTestTarget | undefined, calibrate: boolean): Promise<void> {
    if (!this.access.trusted('run clause tests')) return;
    const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri) return;
    const { units } = await this.plan(uri, target?.unitIds);
    if (!units.length) {
      void vscode.window.showInformationMessage('No clause in this file has examples to run: add a [^id] marker with examples/<id>.md, or an **Example**: transcript.');
      return;
    }
    const total = units.reduce((n, unit) => n + (calibrate ? unit.examples.reduce((k, e) => k + e.references.filter((r) => r.label === 'GOOD' || r.label === 'BAD').length, 0) : unit.examples.length), 0);
    const title = calibrate ? `Calibrating the grader on ${total} references` : `Running ${total} examples`;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let done = 0;
      const results = await this.execute(vscode.Uri.parse(uri), units, calibrate, controller.signal, () => progress.report({ increment: 100 / Math.max(1, total), message: `${++done}/${total}` }));
      if (results) summarise(results, calibrate);
    });
  }

  /** "Clear Clause Test Results": the stored results and the cached answers. */
  async clear(): Promise<void> {
    await new DiskCache(this.cacheFolder).clear();
    await this.store.publish([], true);
    void vscode.window.showInformationMessage('Clarifier: clause test results and cached answers cleared.');
  }
}
