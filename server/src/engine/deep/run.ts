import type { ResultCache } from '../clauseTests/cache';
import { judgePairs, type ModelTierRun } from '../conflicts/modelTier';
import type { Logger } from '../host';
import type { EndpointSettings } from '../llm/settings';
import { askAboutClauses, DEFAULT_CLAUSE_BUDGET, type AmbiguityRun, type ChatClient } from './ambiguity';
import type { DeepTargets } from './targets';

export interface DeepRunOptions {
  client: ChatClient;
  endpoint: EndpointSettings;
  /** Most model requests for the ambiguity tier (cached clauses are free). */
  ambiguityBudget?: number;
  /** One cache for both tiers: keys differ by prompt, clause text, context and model. */
  cache?: ResultCache;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface DeepRun {
  ambiguity?: AmbiguityRun;
  conflicts?: ModelTierRun;
  requests: number;
  fromCache: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * Both model tiers over targets the engine chose, with one client (one concurrency limit) and one
 * cache: the CLI, `clarifier lsp --stdio` and the VS Code extension host all run this. A
 * configuration or endpoint error, or cancellation, stops both tiers and is thrown; an unreadable
 * answer fails its clause or pair only.
 */
export async function runDeepTiers(targets: DeepTargets, options: DeepRunOptions): Promise<DeepRun> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const common = {
    client: options.client,
    endpoint: options.endpoint,
    cache: options.cache,
    signal,
    logger: options.logger,
  };
  const stopping = <T>(promise: Promise<T>) =>
    promise.catch((error) => {
      stop.abort();
      throw error;
    });
  const [ambiguity, conflicts] = await Promise.all([
    targets.ambiguity.length
      ? stopping(
          askAboutClauses(targets.ambiguity, { ...common, budget: options.ambiguityBudget ?? DEFAULT_CLAUSE_BUDGET }),
        )
      : undefined,
    targets.conflicts.length ? stopping(judgePairs(targets.conflicts, common)) : undefined,
  ]);
  const both = [ambiguity, conflicts].filter((run): run is AmbiguityRun | ModelTierRun => !!run);
  const sum = (pick: (run: AmbiguityRun | ModelTierRun) => number) => both.reduce((total, run) => total + pick(run), 0);
  return {
    ambiguity,
    conflicts,
    requests: sum((r) => r.requests),
    fromCache: sum((r) => r.fromCache),
    promptTokens: sum((r) => r.promptTokens),
    completionTokens: sum((r) => r.completionTokens),
  };
}
