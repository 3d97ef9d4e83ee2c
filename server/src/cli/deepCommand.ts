import * as path from 'path';
import { DiskCache } from '../node/diskCache';
import { judgePairs, type ModelPair, type ModelTierRun } from '../engine/conflicts/modelTier';
import type { Logger } from '../engine/host';
import { ModelClient } from '../engine/llm/client';
import { ModelError, redact } from '../engine/llm/errors';
import { resolveModelSettings, SettingsError, type ModelSettingsInput } from '../engine/llm/settings';
import { defaultCacheDir } from './testCommand';

/** `clarifier lint --deep`: the model tier of conflict detection, with the same settings as `clarifier test`. */
export interface DeepOptions {
  model: ModelSettingsInput;
  /** Pairs asked about per run. */
  budget: number;
  cache: boolean;
  cacheDir?: string;
  /** From the environment only. */
  apiKey?: string;
  signal?: AbortSignal;
}

/**
 * Loaded by dist/lint.js by path, only with --deep: the SDK stays out of plain linting. Pairs and
 * results are plain data, and errors come back as text, because this bundle has its own copies of
 * the engine's classes.
 */
export async function askModelAboutPairs(pairs: ModelPair[], options: DeepOptions, cwd: string, logger: Logger): Promise<{ run: ModelTierRun } | { setupError: string }> {
  let settings;
  try {
    settings = resolveModelSettings(options.model);
  } catch (error) {
    if (error instanceof SettingsError) return { setupError: error.message };
    throw error;
  }
  const client = new ModelClient({ apiKey: options.apiKey, concurrency: settings.concurrency, logger });
  const folder = options.cacheDir ? path.resolve(cwd, options.cacheDir) : path.join(path.dirname(defaultCacheDir()), 'conflict-model');
  const cache = options.cache ? new DiskCache(folder, (error) => logger.warn('cannot write the conflict-model cache', { error: error.message })) : undefined;
  try {
    // a missing key is a setup error even when every pair is cached or there is none
    client.checkKey(settings.candidate);
    return { run: await judgePairs(pairs, { client, endpoint: settings.candidate, cache, signal: options.signal, logger }) };
  } catch (error) {
    if (error instanceof ModelError) return { setupError: redact(error.message, options.apiKey) };
    throw error;
  } finally {
    await cache?.close();
  }
}
