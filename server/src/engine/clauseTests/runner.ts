import type { Logger } from '../host';
import { silentLogger } from '../host';
import type { ModelClient } from '../llm/client';
import { ModelError } from '../llm/errors';
import { cancelled } from '../llm/limiter';
import type { EndpointSettings, ModelSettings } from '../llm/settings';
import type { CachedAnswer, CachedVerdict, ResultCache } from './cache';
import { hashOf } from './collect';
import { contextFor, contextMessages, type SpecContextSetting } from './context';
import { graderMessages, parseVerdict, VERDICT_SCHEMA } from './grader';
import type {
  CalibrationResult,
  ClauseTestExample,
  ClauseTestUnit,
  ExampleResult,
  GraderVerdict,
  SampleResult,
  SpecContext,
  UnitResult,
  Verdict,
} from './types';
import type { ChatMessage } from '../llm/client';

/**
 * Bump when the grader prompt, the verdict reader or the cache layout changes, so that old
 * verdicts are not reused. 2: verdicts read by the lenient reader of version 1 (which read a
 * cut-off `{"pass": false, ...` as a pass) are never reused.
 */
const CACHE_VERSION = 2;

export interface RunOptions {
  client: ModelClient;
  settings: ModelSettings;
  /** Omit for --no-cache. */
  cache?: ResultCache;
  signal?: AbortSignal;
  logger?: Logger;
  /** Called as each example finishes, for progress and live editor updates. */
  onExample?: (result: ExampleResult) => void;
  /** What of the spec the model under test sees before each example; `auto` (the default) is each unit's defaultContext. */
  context?: SpecContextSetting;
  /** The spec's text without examples (specContextText), for the `spec` context, by spec uri. */
  specText?: (uri: string) => string | undefined;
  /** Samples of the model's answer per example (default 1). */
  repeat?: number;
  /** The share of samples that must pass for the example to pass (default 1: every sample). */
  threshold?: number;
}

export class RunOptionsError extends Error {}

/** Checks repeat and threshold; throws RunOptionsError with what is expected. */
export function checkRunOptions(options: Pick<RunOptions, 'repeat' | 'threshold'>): void {
  const { repeat, threshold } = options;
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1 || repeat > 100))
    throw new RunOptionsError(`repeat must be a whole number from 1 to 100, not ${repeat}`);
  if (threshold !== undefined && (!(threshold > 0) || threshold > 1))
    throw new RunOptionsError(
      `threshold must be a share of the samples above 0 and at most 1 (e.g. 0.8), not ${threshold}`,
    );
}

/**
 * Runs every example of the units: the model under test answers, the grader judges the answer
 * against the clause. All examples run at once under the client's concurrency limit. A
 * configuration or endpoint error (no key, 401, unreachable, unknown model) stops the whole run
 * and is thrown; a failure that concerns one example (an unreadable verdict, a timeout after the
 * retries) becomes that example's error.
 */
export async function runClauseTests(units: ClauseTestUnit[], options: RunOptions): Promise<UnitResult[]> {
  const { settings } = options;
  checkRunOptions(options);
  options.client.checkKey(settings.candidate);
  for (const grader of settings.graders) options.client.checkKey(grader);
  return withRunSignal(options.signal, (each) =>
    Promise.all(
      units.map(async (unit): Promise<UnitResult> => {
        const context = contextFor(unit, options.context);
        const examples = await Promise.all(
          unit.examples.map((example) => runExample(unit, example, context, options, each)),
        );
        return {
          ...unitResult(unit, settings, examples),
          context,
          repeat: options.repeat ?? 1,
          threshold: options.threshold ?? 1,
          ...(settings.graders.length > 1 ? { graders: settings.graders.map((g) => g.model) } : {}),
        };
      }),
    ),
  ).then(oneRunTime);
}

/**
 * The units of one run finish seconds apart, but the author started one run: every unit gets the time
 * the run finished, so neighbouring clauses never say "just now" and "1 min ago" for the same run.
 */
export function oneRunTime(results: UnitResult[]): UnitResult[] {
  const finishedAt = Math.max(0, ...results.map((r) => r.finishedAt));
  return results.map((r) => ({ ...r, finishedAt }));
}

/**
 * Grades the spec's own GOOD and BAD references. A grader that passes a BAD answer or fails a
 * GOOD one cannot separate them under this clause's wording: the clause is ambiguous in practice.
 */
export async function calibrateClauses(units: ClauseTestUnit[], options: RunOptions): Promise<UnitResult[]> {
  const { settings } = options;
  for (const grader of settings.graders) options.client.checkKey(grader);
  const several = settings.graders.length > 1;
  return withRunSignal(options.signal, (each) =>
    Promise.all(
      units.map(async (unit): Promise<UnitResult> => {
        const jobs: Promise<CalibrationResult>[] = [];
        for (const example of unit.examples) {
          if (example.skip) continue;
          for (const reference of example.references) {
            if (reference.label !== 'GOOD' && reference.label !== 'BAD') continue;
            const label = reference.label;
            for (const grader of settings.graders) {
              const base = {
                exampleKey: example.key,
                title: example.title,
                uri: example.uri,
                range: example.range,
                label,
                reference: reference.content,
                ...(several ? { grader: grader.model } : {}),
              };
              jobs.push(
                each((signal) => grade(unit, example, reference.content, grader, { ...options, signal })).then(
                  ({ verdict }): CalibrationResult => ({
                    ...base,
                    verdict,
                    agrees: verdict.pass === (label === 'GOOD'),
                  }),
                  (error): CalibrationResult => {
                    if (stopsRun(error)) throw error;
                    return { ...base, agrees: false, message: (error as Error).message };
                  },
                ),
              );
            }
          }
        }
        return {
          ...unitResult(unit, settings, []),
          ...(several ? { graders: settings.graders.map((g) => g.model) } : {}),
          calibration: await Promise.all(jobs),
        };
      }),
    ),
  ).then(oneRunTime);
}

function unitResult(unit: ClauseTestUnit, settings: ModelSettings, examples: ExampleResult[]): UnitResult {
  return {
    unitId: unit.id,
    kind: unit.kind,
    uri: unit.uri,
    range: unit.range,
    title: unit.kind === 'clause' ? unit.clauseText : unit.sectionTitle || unit.id,
    unitHash: unit.hash,
    model: settings.candidate.model,
    grader: settings.grader.model,
    finishedAt: Date.now(),
    examples,
  };
}

/** Runs one call with its own signal, aborted with the run's. */
type EachCall = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/**
 * One abort for the run: the caller's, plus an abort of everything in flight when one call hits a
 * run-stopping error. Each call gets a child signal rather than the run's own: hundreds of queued
 * and in-flight requests listening to one signal would trip the runtime's listener-leak warning.
 */
async function withRunSignal<T>(outer: AbortSignal | undefined, run: (each: EachCall) => Promise<T>): Promise<T> {
  if (outer?.aborted) throw cancelled();
  const controller = new AbortController();
  const children = new Set<AbortController>();
  controller.signal.addEventListener(
    'abort',
    () => children.forEach((child) => child.abort(controller.signal.reason)),
    { once: true },
  );
  const each: EachCall = async (call) => {
    const child = new AbortController();
    if (controller.signal.aborted) child.abort(controller.signal.reason);
    children.add(child);
    try {
      return await call(child.signal);
    } finally {
      children.delete(child);
    }
  };
  const forward = () => controller.abort();
  outer?.addEventListener('abort', forward, { once: true });
  try {
    return await run(each);
  } catch (error) {
    controller.abort();
    if (outer?.aborted) throw cancelled();
    throw error;
  } finally {
    outer?.removeEventListener('abort', forward);
  }
}

/** Configuration and endpoint-wide errors stop the run (ModelError.stopsRun); the rest stay with their example. */
function stopsRun(error: unknown): boolean {
  return error instanceof ModelError && error.stopsRun;
}

/** A cache entry made from a complete answer: entries of any other kind are asked again. */
function complete(entry: { finishReason?: string } | undefined): boolean {
  return !!entry && entry.finishReason !== undefined && entry.finishReason !== 'length';
}

/**
 * One example: `repeat` samples of the model's answer (with the spec context in front), each
 * judged by every grader. A sample passes or fails by the graders' majority; a tie, or a grader
 * that gave no verdict, makes it an error (never a pass). The example passes when its share of
 * passed samples reaches the threshold; samples that disagree make it flaky.
 */
async function runExample(
  unit: ClauseTestUnit,
  example: ClauseTestExample,
  context: SpecContext,
  options: RunOptions,
  each: EachCall,
): Promise<ExampleResult> {
  const started = Date.now();
  const base = {
    unitId: unit.id,
    exampleKey: example.key,
    title: example.title,
    uri: example.uri,
    range: example.range,
  };
  let result: ExampleResult;
  if (example.skip) {
    result = {
      ...base,
      status: 'skipped',
      message: example.skip,
      cached: false,
      promptTokens: 0,
      completionTokens: 0,
      durationMs: 0,
    };
  } else {
    const messages = [...contextMessages(unit, context, options.specText?.(unit.uri)), ...example.messages];
    const repeat = options.repeat ?? 1;
    const samples = await Promise.all(
      Array.from({ length: repeat }, (_, index) => runSample(unit, example, messages, index, options, each)),
    );
    result = {
      ...base,
      ...combineSamples(samples, options.threshold ?? 1, repeat > 1 || options.settings.graders.length > 1),
      durationMs: Date.now() - started,
    };
    if (result.status === 'error')
      (options.logger ?? silentLogger).info('clause test example failed', {
        unit: unit.id,
        example: example.title,
        error: result.message,
      });
  }
  options.onExample?.(result);
  return result;
}

interface SampleRun extends SampleResult {
  errorKind?: string;
  cached: boolean;
  promptTokens: number;
  completionTokens: number;
}

async function runSample(
  unit: ClauseTestUnit,
  example: ClauseTestExample,
  messages: ChatMessage[],
  index: number,
  options: RunOptions,
  each: EachCall,
): Promise<SampleRun> {
  let answer: (CachedAnswer & { cached: boolean }) | undefined;
  try {
    answer = await each((signal) => ask(messages, index, { ...options, signal }));
    const answered = answer;
    const graded = await Promise.all(
      options.settings.graders.map((grader) =>
        each((signal) => grade(unit, example, answered.answer, grader, { ...options, signal })).then(
          (g) => ({
            grader: grader.model,
            verdict: g.verdict,
            cached: g.cached,
            promptTokens: g.promptTokens,
            completionTokens: g.completionTokens,
          }),
          (error) => {
            if (stopsRun(error)) throw error;
            return {
              grader: grader.model,
              message: (error as Error).message,
              errorKind: error instanceof ModelError ? error.kind : 'internal',
              cached: false,
              promptTokens: 0,
              completionTokens: 0,
            };
          },
        ),
      ),
    );
    const verdicts: GraderVerdict[] = graded.map((g) =>
      'verdict' in g ? { grader: g.grader, verdict: g.verdict } : { grader: g.grader, message: g.message },
    );
    const tokens = {
      promptTokens: answer.promptTokens + graded.reduce((n, g) => n + g.promptTokens, 0),
      completionTokens: answer.completionTokens + graded.reduce((n, g) => n + g.completionTokens, 0),
    };
    const cached = answer.cached && graded.every((g) => g.cached);
    const failedGrader = graded.find((g) => !('verdict' in g)) as
      { grader: string; message: string; errorKind: string } | undefined;
    if (failedGrader) {
      const who = options.settings.graders.length > 1 ? `grader ${failedGrader.grader}: ` : '';
      return {
        status: 'error',
        answer: answer.answer,
        verdicts,
        message: who + failedGrader.message,
        errorKind: failedGrader.errorKind,
        cached,
        ...tokens,
      };
    }
    const passes = verdicts.filter((v) => v.verdict!.pass).length;
    const fails = verdicts.length - passes;
    if (passes === fails) {
      const message = `the graders split ${passes}–${fails} on this answer (${verdicts.map((v) => `${v.grader} ${v.verdict!.pass ? 'passed' : 'failed'} it`).join(', ')}): a tie is no verdict. Use an odd number of graders, or make the clause say what decides.`;
      return { status: 'error', answer: answer.answer, verdicts, message, errorKind: 'graders-tie', cached, ...tokens };
    }
    return { status: passes > fails ? 'passed' : 'failed', answer: answer.answer, verdicts, cached, ...tokens };
  } catch (error) {
    if (stopsRun(error)) throw error;
    return {
      status: 'error',
      answer: answer?.answer,
      verdicts: [],
      message: (error as Error).message,
      errorKind: error instanceof ModelError ? error.kind : 'internal',
      cached: false,
      promptTokens: answer?.promptTokens ?? 0,
      completionTokens: answer?.completionTokens ?? 0,
    };
  }
}

/** The example's result from its samples: an error if any sample is one, else pass or fail by the threshold. */
function combineSamples(
  samples: SampleRun[],
  threshold: number,
  keepSamples: boolean,
): Omit<ExampleResult, 'unitId' | 'exampleKey' | 'title' | 'uri' | 'range' | 'durationMs'> {
  const tokens = {
    promptTokens: samples.reduce((n, s) => n + s.promptTokens, 0),
    completionTokens: samples.reduce((n, s) => n + s.completionTokens, 0),
    cached: samples.every((s) => s.cached),
  };
  const kept = keepSamples
    ? {
        samples: samples.map(({ status, answer, verdicts, message }): SampleResult => ({
          status,
          answer,
          verdicts,
          ...(message ? { message } : {}),
        })),
      }
    : {};
  const passed = samples.filter((s) => s.status === 'passed');
  const failed = samples.filter((s) => s.status === 'failed');
  const flaky = passed.length > 0 && failed.length > 0;
  const error = samples.find((s) => s.status === 'error');
  if (error) {
    const which = samples.length > 1 ? `sample ${samples.indexOf(error) + 1} of ${samples.length}: ` : '';
    return {
      status: 'error',
      answer: error.answer,
      message: which + error.message,
      errorKind: error.errorKind,
      ...tokens,
      ...kept,
      ...(flaky ? { flaky } : {}),
    };
  }
  const passRate = passed.length / samples.length;
  // a float threshold such as 0.8 of 5 samples: 4/5 must count as reaching it
  const pass = passRate + 1e-9 >= threshold;
  const shown = pass ? passed[0] : failed[0];
  const verdict = majorityVerdict(shown);
  return {
    status: pass ? 'passed' : 'failed',
    answer: shown.answer,
    verdict,
    ...tokens,
    ...kept,
    ...(samples.length > 1 ? { passRate } : {}),
    ...(flaky ? { flaky } : {}),
  };
}

/** The verdict that speaks for a sample: the first grader's among those on the winning side. */
function majorityVerdict(sample: SampleRun): Verdict {
  const winning = sample.verdicts.find((v) => v.verdict && v.verdict.pass === (sample.status === 'passed'));
  return winning!.verdict!;
}

function endpointKey(endpoint: EndpointSettings) {
  return {
    baseUrl: endpoint.baseUrl,
    model: endpoint.model,
    temperature: endpoint.temperature,
    maxTokens: endpoint.maxTokens,
    mapDeveloperToSystem: endpoint.mapDeveloperToSystem,
  };
}

/**
 * The answer depends on what the model is sent (the spec context and the example's messages), not
 * on the clause's wording: with context `none`, editing a clause re-grades its examples without
 * asking the model again. Sample n > 0 has its own entry, so that repeats are separate answers.
 */
async function ask(
  messages: ChatMessage[],
  sample: number,
  options: RunOptions & { signal: AbortSignal },
): Promise<CachedAnswer & { cached: boolean }> {
  const key = hashOf({
    v: CACHE_VERSION,
    kind: 'answer',
    messages,
    endpoint: endpointKey(options.settings.candidate),
    ...(sample ? { sample } : {}),
  });
  const hit = await options.cache?.get<CachedAnswer>(key);
  if (complete(hit)) return { ...hit!, cached: true };
  // an answer cut off at the token limit is an error from the client, and never gets here
  const result = await options.client.chat(options.settings.candidate, { messages }, options.signal);
  const entry: CachedAnswer = {
    answer: result.content,
    model: result.model,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    finishReason: result.finishReason,
  };
  await options.cache?.set(key, entry);
  return { ...entry, cached: false };
}

async function grade(
  unit: ClauseTestUnit,
  example: ClauseTestExample,
  candidate: string,
  grader: EndpointSettings,
  options: RunOptions & { signal: AbortSignal },
): Promise<CachedVerdict & { cached: boolean }> {
  const messages = graderMessages(unit, example, candidate);
  // keyed by the clause and the example (not the whole section), so an edit re-grades only its own clause
  const key = hashOf({
    v: CACHE_VERSION,
    kind: 'verdict',
    clause: unit.clauseText,
    section: [unit.sectionTitle, unit.authority],
    conversation: example.messages,
    references: example.references,
    candidate,
    endpoint: endpointKey(grader),
  });
  const hit = await options.cache?.get<CachedVerdict>(key);
  if (complete(hit)) return { ...hit!, cached: true };
  const result = await options.client.chat(
    grader,
    { messages, jsonSchema: VERDICT_SCHEMA, urgent: true },
    options.signal,
  );
  // throws on an answer that is not a verdict: nothing is cached then, and the next run asks again
  const verdict: Verdict = parseVerdict(result.content);
  const entry: CachedVerdict = {
    verdict,
    promptTokens: result.promptTokens,
    completionTokens: result.completionTokens,
    finishReason: result.finishReason,
  };
  await options.cache?.set(key, entry);
  return { ...entry, cached: false };
}

/** Counts for a summary line or a lens. */
/**
 * The stored result of a unit after a new run of it. A run of some of its examples (one example
 * run from the Test Explorer) updates those examples and keeps the others; a calibration run keeps
 * the example results and the other way round. An edited unit (another hash) starts afresh.
 */
export function mergeUnitResult(previous: UnitResult | undefined, result: UnitResult): UnitResult {
  if (!previous || previous.unitHash !== result.unitHash) return result;
  const fresh = new Map(result.examples.map((e) => [e.exampleKey, e]));
  const examples = previous.examples.map((e) => fresh.get(e.exampleKey) ?? e);
  const known = new Set(previous.examples.map((e) => e.exampleKey));
  examples.push(...result.examples.filter((e) => !known.has(e.exampleKey)));
  return { ...previous, ...result, examples, calibration: result.calibration ?? previous.calibration };
}

export function tally(unit: UnitResult): {
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  total: number;
} {
  const count = (status: ExampleResult['status']) => unit.examples.filter((e) => e.status === status).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    total: unit.examples.length,
  };
}

/**
 * The results of a run that stopped on `error` (thrown by runClauseTests or calibrateClauses):
 * the examples that finished (collected through onExample, keyed unitId + "\\0" + exampleKey) as they were, every other one an error
 * of that cause, so that reports, lenses and the Test Explorer show what happened to each.
 */
export function stoppedRunResults(
  units: ClauseTestUnit[],
  settings: ModelSettings,
  finished: Map<string, ExampleResult>,
  error: ModelError,
  calibrate: boolean,
  run: Pick<RunOptions, 'context' | 'repeat' | 'threshold'> = {},
): UnitResult[] {
  const finishedAt = Date.now();
  return units.map((unit): UnitResult => {
    const graders = settings.graders.length > 1 ? { graders: settings.graders.map((g) => g.model) } : {};
    const how = calibrate
      ? graders
      : { context: contextFor(unit, run.context), repeat: run.repeat ?? 1, threshold: run.threshold ?? 1, ...graders };
    const base = {
      unitId: unit.id,
      kind: unit.kind,
      uri: unit.uri,
      range: unit.range,
      title: unit.kind === 'clause' ? unit.clauseText : unit.sectionTitle || unit.id,
      unitHash: unit.hash,
      model: settings.candidate.model,
      grader: settings.grader.model,
      finishedAt,
      ...how,
    };
    if (calibrate) {
      const calibration = unit.examples
        .filter((e) => !e.skip)
        .flatMap((e) =>
          e.references
            .filter((r) => r.label === 'GOOD' || r.label === 'BAD')
            .map((r) => ({
              exampleKey: e.key,
              title: e.title,
              uri: e.uri,
              range: e.range,
              label: r.label as 'GOOD' | 'BAD',
              reference: r.content,
              agrees: false,
              message: error.message,
            })),
        );
      return { ...base, examples: [], calibration };
    }
    const examples = unit.examples.map(
      (e): ExampleResult =>
        finished.get(unit.id + '\0' + e.key) ??
        (e.skip
          ? {
              unitId: unit.id,
              exampleKey: e.key,
              title: e.title,
              uri: e.uri,
              range: e.range,
              status: 'skipped',
              message: e.skip,
              cached: false,
              promptTokens: 0,
              completionTokens: 0,
              durationMs: 0,
            }
          : {
              unitId: unit.id,
              exampleKey: e.key,
              title: e.title,
              uri: e.uri,
              range: e.range,
              status: 'error',
              message: error.message,
              errorKind: error.kind,
              cached: false,
              promptTokens: 0,
              completionTokens: 0,
              durationMs: 0,
            }),
    );
    return { ...base, examples };
  });
}
