import { readFileSync } from 'fs';
import * as vscode from 'vscode';
import { ModelTierResultsNotification, ModelTierTargetsRequest, type ModelTierTier } from '../../server/src/protocol';
import {
  calibrateAmbiguity,
  formatCalibration,
  ModelError,
  readLabelledSet,
  runDeepTiers,
  type DeepRun,
} from '../../server/src/engine/modelFeatures';
import { DiskCache } from '../../server/src/node/diskCache';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';
import type { ClauseTestResultStore } from './results';

const TIERS: ModelTierTier[] = ['ambiguity', 'conflicts'];

/**
 * The model tiers (ambiguity, conflicts) in the editor. As with clause tests, the model is called
 * here, in the extension host, where the key is: the server picks the clauses (targets) and shows
 * what comes back as diagnostics. Opt-in (`clarifier.modelTiers.enabled`) on save; on demand with
 * "Clarifier: Find Ambiguity with the Model". Never in an untrusted workspace.
 */
export class ModelTiers {
  private readonly running = new Map<string, AbortController>();
  /** An endpoint error is shown once per cause, not on every save. */
  private lastError: string | undefined;

  constructor(
    private readonly context: ClarifierContext,
    private readonly access: ModelAccess,
    private readonly store: ClauseTestResultStore,
  ) {
    context.push(
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.languageId !== 'markdown' || !this.enabled(document.uri)) return;
        // no key is read, no call made, in an untrusted workspace
        if (!vscode.workspace.isTrusted) return;
        void this.run(document.uri, false);
      }),
      { dispose: () => this.cancelAll() },
    );
  }

  private enabled(uri: vscode.Uri): boolean {
    return vscode.workspace.getConfiguration('clarifier', uri).get<boolean>('modelTiers.enabled', false) === true;
  }

  private cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  /** "Clarifier: Find Ambiguity with the Model" on the active editor (or the given file). */
  async find(uri?: vscode.Uri): Promise<DeepRun | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Thought Clarifier: open a spec to find its ambiguity with the model.');
      return undefined;
    }
    if (!this.access.trusted('ask a model about clauses')) return undefined;
    return this.run(target, true);
  }

  /**
   * One run over one file: targets from the server, both tiers through one client and cache, results
   * back to the server. A new run for the same file cancels the one in flight.
   */
  async run(uri: vscode.Uri, interactive: boolean): Promise<DeepRun | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const settings = this.access.settingsFor(uri);
    if (!settings) return undefined;
    const config = vscode.workspace.getConfiguration('clarifier', uri);
    const tiers = config
      .get<string[]>('modelTiers.tiers', TIERS)
      .filter((t): t is ModelTierTier => (TIERS as string[]).includes(t));
    const budget = config.get<{ ambiguity?: number; conflicts?: number }>('modelTiers.budget', {}) ?? {};
    const client = await this.access.client(settings.concurrency);
    try {
      client.checkKey(settings.candidate);
    } catch (error) {
      if (error instanceof ModelError) this.report(error, interactive);
      return undefined;
    }
    const key = uri.toString();
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    const cache = new DiskCache(this.context.storageFolder('model-tiers'), (error) =>
      this.context.logger.warn('cannot write the model tiers cache', { error: error.message }),
    );
    try {
      // clauses whose examples failed or errored, or whose grader calibration failed, are asked first
      const priorityRanges = this.store
        .all()
        .filter(
          (r) =>
            r.uri === key && (r.examples.some((e) => e.status !== 'passed') || r.calibration?.some((c) => !c.agrees)),
        )
        .map((r) => r.range);
      const targets = await this.context.sendRequest(ModelTierTargetsRequest, {
        uri: key,
        tiers,
        conflictBudget: budget.conflicts ?? 50,
        priorityRanges,
      });
      if (!targets.ambiguity.length && !targets.conflicts.length) {
        if (interactive)
          void vscode.window.showInformationMessage(
            'Thought Clarifier: this file has no normative clause to ask the model about (is it a spec?).',
          );
        return undefined;
      }
      const work = (signal: AbortSignal) =>
        runDeepTiers(targets, {
          client,
          endpoint: settings.candidate,
          cache,
          ambiguityBudget: budget.ambiguity ?? 30,
          signal,
          logger: this.context.logger,
        });
      const run = interactive
        ? await vscode.window.withProgress(
            {
              location: vscode.ProgressLocation.Notification,
              title: `Asking ${settings.candidate.model} about ${targets.ambiguity.length} clause(s)`,
              cancellable: true,
            },
            (_progress, token) => {
              token.onCancellationRequested(() => controller.abort());
              return work(controller.signal);
            },
          )
        : await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: `Clarifier: asking ${settings.candidate.model}` },
            () => work(controller.signal),
          );
      await this.context.sendNotification(ModelTierResultsNotification, {
        uris: [key],
        ambiguity: run.ambiguity?.results,
        conflicts: run.conflicts?.results,
      });
      this.lastError = undefined;
      this.summarise(run, interactive);
      return run;
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'cancelled') return undefined;
      if (error instanceof ModelError) this.report(error, interactive);
      else
        this.context.logger.error('the model tiers failed', {
          error: error instanceof Error ? error.stack : String(error),
        });
      return undefined;
    } finally {
      if (this.running.get(key) === controller) this.running.delete(key);
      await cache.close();
    }
  }

  private report(error: ModelError, interactive: boolean): void {
    this.context.logger.warn('model tiers: endpoint error', { error: error.message });
    if (!interactive && this.lastError === error.message) return;
    this.lastError = error.message;
    this.access.showModelError(error);
  }

  private summarise(run: DeepRun, interactive: boolean): void {
    const flagged = run.ambiguity?.results.filter((r) => r.verdict?.ambiguous).length ?? 0;
    const contradictions = run.conflicts?.results.filter((r) => r.verdict?.relation === 'contradiction').length ?? 0;
    const unreadable = [...(run.ambiguity?.results ?? []), ...(run.conflicts?.results ?? [])].filter((r) => r.error);
    for (const result of unreadable)
      this.context.logger.warn('model tiers: no readable answer', { error: result.error });
    const over = run.ambiguity?.overBudget ?? 0;
    const line = `model tiers: ${flagged} ambiguous clause(s), ${contradictions} contradiction(s); ${run.requests} request(s), ${run.fromCache} from cache, ${run.promptTokens + run.completionTokens} tokens${over ? `; ${over} clause(s) over the budget (run again to continue)` : ''}${unreadable.length ? `; ${unreadable.length} answer(s) could not be read (see the output)` : ''}`;
    this.context.output.info(line);
    if (interactive) void vscode.window.showInformationMessage(`Thought Clarifier: ${line}.`);
    else if (unreadable.length)
      void vscode.window
        .showWarningMessage(
          `Thought Clarifier: ${unreadable.length} model answer(s) could not be read; those clauses have no result.`,
          'Show Output',
        )
        .then((choice) => choice && this.context.output.show());
  }

  /** "Clarifier: Calibrate the Ambiguity Model Tier": recall and false alarms on a labelled set, in a new document. */
  async calibrate(): Promise<void> {
    if (!this.access.trusted('calibrate the ambiguity model tier')) return;
    const shipped = this.context.extension.asAbsolutePath('docs/calibration/ambiguity-labelled.json');
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'The shipped labelled set (48 clauses)', file: shipped },
        { label: 'Choose a JSON file…', file: '' },
      ],
      { title: 'Calibrate the ambiguity model tier on' },
    );
    if (!choice) return;
    let file = choice.file;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        filters: { 'Labelled clauses': ['json'] },
        canSelectMany: false,
      });
      if (!picked?.[0]) return;
      file = picked[0].fsPath;
    }
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(file);
    const settings = this.access.settingsFor(scope);
    if (!settings) return;
    let items;
    try {
      items = readLabelledSet(readFileSync(file, 'utf8'), vscode.workspace.asRelativePath(file));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Thought Clarifier: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    const client = await this.access.client(settings.concurrency);
    try {
      client.checkKey(settings.candidate);
      const report = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Calibrating on ${items.length} clauses with ${settings.candidate.model}`,
          cancellable: true,
        },
        (_p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return calibrateAmbiguity(items, {
            client,
            endpoint: settings.candidate,
            signal: controller.signal,
            logger: this.context.logger,
          });
        },
      );
      const document = await vscode.workspace.openTextDocument({
        content: formatCalibration(report, vscode.workspace.asRelativePath(file)),
        language: 'plaintext',
      });
      await vscode.window.showTextDocument(document);
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'cancelled') return;
      if (error instanceof ModelError) return this.access.showModelError(error);
      throw error;
    }
  }
}
