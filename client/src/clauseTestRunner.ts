import * as vscode from 'vscode';
import { ClauseTestPlanRequest, type ClauseTestPlan, type ClauseTestTarget } from '../../server/src/protocol';
import {
  calibrateClauses,
  ModelError,
  runClauseTests,
  stoppedRunResults,
  type ExampleResult,
  type UnitResult,
} from '../../server/src/engine/modelFeatures';
import { DiskCache } from '../../server/src/node/diskCache';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';
import { summarise } from './report';
import type { ClauseTestResultStore } from './results';

/**
 * Clause tests on the client side: the model calls run here, in the extension host, because the
 * API key lives in SecretStorage and must never travel over the LSP connection. The server plans
 * (which examples belong to which clause) and draws the lenses from the results sent back.
 */
/** Sees a run started from a lens or the palette, e.g. the Test Explorer, which shows it too. */
export interface RunObserver {
  example(result: ExampleResult): void;
  /** The run's results (also of examples an endpoint error stopped), or a string saying why nothing ran; undefined when cancelled. */
  end(results: UnitResult[] | string | undefined): void;
}

export class ClauseTestRunner {
  private observer: ((uri: string, units: ClauseTestPlan['units']) => RunObserver) | undefined;

  constructor(
    private readonly context: ClarifierContext,
    private readonly access: ModelAccess,
    private readonly store: ClauseTestResultStore,
  ) {}

  private get cacheFolder(): string {
    return this.context.storageFolder('clause-tests');
  }

  /** Each planned file's text without examples, for runs with the whole spec in context. */
  private readonly specTexts = new Map<string, string>();

  /** The server's plan for a file: its clauses and sections with examples, optionally only some. */
  async plan(uri: string, unitIds?: string[]): Promise<ClauseTestPlan> {
    const plan = await this.context.sendRequest(ClauseTestPlanRequest, { uri, unitIds });
    if (plan.specText !== undefined) this.specTexts.set(uri, plan.specText);
    return plan;
  }

  /**
   * Runs (or calibrates) units with the settings of `scope`. Returns the results, also of a run
   * stopped by an endpoint error (its unfinished examples are errors with the cause, and the error
   * is shown with the setting that fixes it); a string saying why nothing ran (untrusted
   * workspace, invalid settings: already shown); undefined when cancelled.
   */
  async execute(
    scope: vscode.Uri,
    units: ClauseTestPlan['units'],
    calibrate: boolean,
    signal: AbortSignal,
    onExample?: (result: ExampleResult) => void,
  ): Promise<UnitResult[] | string | undefined> {
    if (!this.access.trusted('run clause tests')) return 'not run: model calls are off in an untrusted workspace';
    const settings = this.access.settingsFor(scope);
    if (!settings) return 'not run: the clarifier.model settings are invalid (see the notification)';
    const runSettings = this.access.runSettingsFor(scope);
    if (!runSettings) return 'not run: the clarifier.clauseTests settings are invalid (see the notification)';
    const logger = this.context.logger;
    const cache = new DiskCache(this.cacheFolder, (error) =>
      logger.warn('cannot write the clause-test cache', { error: error.message }),
    );
    const finished = new Map<string, ExampleResult>();
    const report = (result: ExampleResult) => {
      finished.set(result.unitId + '\0' + result.exampleKey, result);
      onExample?.(result);
    };
    let results: UnitResult[];
    try {
      const options = {
        client: await this.access.client(settings.concurrency),
        settings,
        cache,
        signal,
        logger,
        onExample: report,
        ...runSettings,
        specText: (uri: string) => this.specTexts.get(uri),
      };
      results = calibrate ? await calibrateClauses(units, options) : await runClauseTests(units, options);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      if (error.kind === 'cancelled') return undefined;
      this.access.showModelError(error);
      // what finished stands; every other example shows the cause, in the lens, the Problems panel and the Test Explorer
      results = stoppedRunResults(units, settings, finished, error, calibrate, runSettings);
    } finally {
      await cache.close();
    }
    await this.store.publish(results);
    return results;
  }

  /** One observer of lens and palette runs (the Test Explorer's runs go through execute() directly). */
  observeRuns(observer: (uri: string, units: ClauseTestPlan['units']) => RunObserver): void {
    this.observer = observer;
  }

  /** The lens and palette commands: a file's (or some clauses') examples with a cancellable progress notification. */
  async run(target: ClauseTestTarget | undefined, calibrate: boolean): Promise<void> {
    if (!this.access.trusted('run clause tests')) return;
    const uri = target?.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri) return;
    const { units } = await this.plan(uri, target?.unitIds);
    if (!units.length) {
      void vscode.window.showInformationMessage(
        'No clause in this file has examples to run: add a [^id] marker with examples/<id>.md, or an **Example**: transcript.',
      );
      return;
    }
    // skipped examples are neither counted nor run: the same number as the "Run all N examples" lens
    const total = units.reduce(
      (n, unit) =>
        n +
        unit.examples
          .filter((e) => !e.skip)
          .reduce(
            (k, e) => k + (calibrate ? e.references.filter((r) => r.label === 'GOOD' || r.label === 'BAD').length : 1),
            0,
          ),
      0,
    );
    const title = calibrate ? `Calibrating the grader on ${total} references` : `Running ${total} examples`;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let done = 0;
        const observer = calibrate ? undefined : this.observer?.(uri, units);
        let results: UnitResult[] | string | undefined;
        try {
          results = await this.execute(vscode.Uri.parse(uri), units, calibrate, controller.signal, (result) => {
            if (result.status !== 'skipped')
              progress.report({ increment: 100 / Math.max(1, total), message: `${++done}/${total}` });
            observer?.example(result);
          });
        } finally {
          observer?.end(results);
        }
        if (Array.isArray(results)) summarise(results, calibrate);
      },
    );
  }

  /** "Clear Clause Test Results": the stored results and the cached answers. */
  async clear(): Promise<void> {
    await new DiskCache(this.cacheFolder).clear();
    await this.store.publish([], true);
    void vscode.window.showInformationMessage('Clarifier: clause test results and cached answers cleared.');
  }
}
