import { readFileSync } from 'fs';
import * as path from 'path';
import { DiskCache } from '../node/diskCache';
import {
  calibrateAmbiguity,
  CalibrationSetError,
  DEFAULT_CLAUSE_BUDGET,
  DEFAULT_PAIR_BUDGET,
  formatCalibration,
  ModelClient,
  readLabelledSet,
  runDeepTiers,
  type CalibrationReport,
  type DeepRun,
  type DeepTargets,
  type DeepTier,
  type Logger,
  type ModelSettings,
  type ModelSettingsInput,
} from '../engine/modelFeatures';
import { withHeadlessModel, type HeadlessOutcome } from './headlessModel';
import { defaultCacheDir } from './testCommand';

/** `clarifier lint --deep[=ambiguity,conflicts]`: the model tiers, with the same settings as `clarifier test`. */
export interface DeepOptions {
  model: ModelSettingsInput;
  tiers: DeepTier[];
  /** Model requests per run for the ambiguity tier; clause pairs per run for the conflict tier. */
  budgets: { ambiguity: number; conflicts: number };
  cache: boolean;
  cacheDir?: string;
  /** From the environment only. */
  apiKey?: string;
  signal?: AbortSignal;
}

export const DEFAULT_BUDGETS = { ambiguity: DEFAULT_CLAUSE_BUDGET, conflicts: DEFAULT_PAIR_BUDGET };

/** The labelled set shipped with the package, beside the bundles' folder. */
export function defaultCalibrationSet(): string {
  return path.join(__dirname, '..', 'docs', 'calibration', 'ambiguity-labelled.json');
}

type Outcome<T> = HeadlessOutcome<T>;

/**
 * Loaded by dist/lint.js by path, only with --deep or --calibrate: the SDK stays out of plain
 * linting. Targets and results are plain data, and errors come back as text, because this bundle
 * has its own copies of the engine's classes.
 */
export async function runDeep(
  targets: DeepTargets,
  options: DeepOptions,
  cwd: string,
  logger: Logger,
): Promise<Outcome<{ run: DeepRun }>> {
  return withClient(options, cwd, logger, async (client, endpoint, cache) => ({
    run: await runDeepTiers(targets, {
      client,
      endpoint,
      cache,
      ambiguityBudget: options.budgets.ambiguity,
      signal: options.signal,
      logger,
    }),
  }));
}

/** `clarifier lint --calibrate[=FILE]`: the ambiguity tier on a labelled set. */
export async function runCalibration(
  setFile: string | undefined,
  options: DeepOptions,
  cwd: string,
  logger: Logger,
): Promise<Outcome<{ report: CalibrationReport; text: string }>> {
  const file = setFile ? path.resolve(cwd, setFile) : defaultCalibrationSet();
  let items;
  try {
    items = readLabelledSet(readFileSync(file, 'utf8'), path.relative(cwd, file) || file);
  } catch (error) {
    if (error instanceof CalibrationSetError) return { setupError: error.message };
    return {
      setupError: `cannot read the labelled set ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    };
  }
  return withClient(options, cwd, logger, async (client, endpoint, cache) => {
    const report = await calibrateAmbiguity(items, { client, endpoint, cache, signal: options.signal, logger });
    return { report, text: formatCalibration(report, path.relative(cwd, file) || file) };
  });
}

async function withClient<T>(
  options: DeepOptions,
  cwd: string,
  logger: Logger,
  body: (client: ModelClient, endpoint: ModelSettings['candidate'], cache: DiskCache | undefined) => Promise<T>,
): Promise<Outcome<T>> {
  return withHeadlessModel(
    options.model,
    { apiKey: options.apiKey, logger, concurrency: (settings) => settings.concurrency },
    async (client, settings) => {
      const folder = options.cacheDir
        ? path.resolve(cwd, options.cacheDir)
        : path.join(path.dirname(defaultCacheDir()), 'model-tiers');
      const cache = options.cache
        ? new DiskCache(folder, (error) => logger.warn('cannot write the model tiers cache', { error: error.message }))
        : undefined;
      try {
        return await body(client, settings.candidate, cache);
      } finally {
        await cache?.close();
      }
    },
  );
}
