import type { Logger } from '../host';
import { silentLogger } from '../host';
import type { ModelClient } from '../llm/client';
import { ModelError } from '../llm/errors';
import { cancelled } from '../llm/limiter';
import type { EndpointSettings, ModelSettings } from '../llm/settings';
import type { CachedAnswer, CachedVerdict, ResultCache } from './cache';
import { hashOf } from './collect';
import { graderMessages, parseVerdict, VERDICT_SCHEMA } from './grader';
import type { CalibrationResult, ClauseTestExample, ClauseTestUnit, ExampleResult, UnitResult, Verdict } from './types';

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
  options.client.checkKey(settings.candidate);
  options.client.checkKey(settings.grader);
  return withRunSignal(options.signal, (each) =>
    Promise.all(
      units.map(async (unit): Promise<UnitResult> => {
        const examples = await Promise.all(unit.examples.map((example) => each((signal) => runExample(unit, example, { ...options, signal }))));
        return unitResult(unit, settings, examples);
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
  options.client.checkKey(settings.grader);
  return withRunSignal(options.signal, (each) =>
    Promise.all(
      units.map(async (unit): Promise<UnitResult> => {
        const jobs: Promise<CalibrationResult>[] = [];
        for (const example of unit.examples) {
          if (example.skip) continue;
          for (const reference of example.references) {
            if (reference.label !== 'GOOD' && reference.label !== 'BAD') continue;
            const label = reference.label;
            jobs.push(
              each((signal) => grade(unit, example, reference.content, { ...options, signal })).then(
                ({ verdict }): CalibrationResult => ({ exampleKey: example.key, title: example.title, uri: example.uri, range: example.range, label, reference: reference.content, verdict, agrees: verdict.pass === (label === 'GOOD') }),
                (error): CalibrationResult => {
                  if (stopsRun(error)) throw error;
                  return { exampleKey: example.key, title: example.title, uri: example.uri, range: example.range, label, reference: reference.content, agrees: false, message: (error as Error).message };
                },
              ),
            );
          }
        }
        return { ...unitResult(unit, settings, []), calibration: await Promise.all(jobs) };
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
  controller.signal.addEventListener('abort', () => children.forEach((child) => child.abort(controller.signal.reason)), { once: true });
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

async function runExample(unit: ClauseTestUnit, example: ClauseTestExample, options: RunOptions & { signal: AbortSignal }): Promise<ExampleResult> {
  const started = Date.now();
  const base = { unitId: unit.id, exampleKey: example.key, title: example.title, uri: example.uri, range: example.range };
  let result: ExampleResult;
  if (example.skip) {
    result = { ...base, status: 'skipped', message: example.skip, cached: false, promptTokens: 0, completionTokens: 0, durationMs: 0 };
  } else {
    let answer: (CachedAnswer & { cached: boolean }) | undefined;
    try {
      answer = await ask(example, options);
      const graded = await grade(unit, example, answer.answer, options);
      result = {
        ...base,
        status: graded.verdict.pass ? 'passed' : 'failed',
        answer: answer.answer,
        verdict: graded.verdict,
        cached: answer.cached && graded.cached,
        promptTokens: answer.promptTokens + graded.promptTokens,
        completionTokens: answer.completionTokens + graded.completionTokens,
        durationMs: Date.now() - started,
      };
    } catch (error) {
      if (stopsRun(error)) {
        throw error;
      }
      // the result carries the message; the log keeps a trace for the output channel
      (options.logger ?? silentLogger).info('clause test example failed', { unit: unit.id, example: example.title, error: (error as Error).message });
      result = { ...base, status: 'error', answer: answer?.answer, message: (error as Error).message, errorKind: error instanceof ModelError ? error.kind : 'internal', cached: false, promptTokens: answer?.promptTokens ?? 0, completionTokens: answer?.completionTokens ?? 0, durationMs: Date.now() - started };
    }
  }
  options.onExample?.(result);
  return result;
}

function endpointKey(endpoint: EndpointSettings) {
  return { baseUrl: endpoint.baseUrl, model: endpoint.model, temperature: endpoint.temperature, maxTokens: endpoint.maxTokens, mapDeveloperToSystem: endpoint.mapDeveloperToSystem };
}

/** The answer does not depend on the clause: editing a clause re-grades its examples without asking the model again. */
async function ask(example: ClauseTestExample, options: RunOptions & { signal: AbortSignal }): Promise<CachedAnswer & { cached: boolean }> {
  const key = hashOf({ v: CACHE_VERSION, kind: 'answer', messages: example.messages, endpoint: endpointKey(options.settings.candidate) });
  const hit = await options.cache?.get<CachedAnswer>(key);
  if (complete(hit)) return { ...hit!, cached: true };
  // an answer cut off at the token limit is an error from the client, and never gets here
  const result = await options.client.chat(options.settings.candidate, { messages: example.messages }, options.signal);
  const entry: CachedAnswer = { answer: result.content, model: result.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens, finishReason: result.finishReason };
  await options.cache?.set(key, entry);
  return { ...entry, cached: false };
}

async function grade(unit: ClauseTestUnit, example: ClauseTestExample, candidate: string, options: RunOptions & { signal: AbortSignal }): Promise<CachedVerdict & { cached: boolean }> {
  const messages = graderMessages(unit, example, candidate);
  // keyed by the clause and the example (not the whole section), so an edit re-grades only its own clause
  const key = hashOf({ v: CACHE_VERSION, kind: 'verdict', clause: unit.clauseText, section: [unit.sectionTitle, unit.authority], conversation: example.messages, references: example.references, candidate, endpoint: endpointKey(options.settings.grader) });
  const hit = await options.cache?.get<CachedVerdict>(key);
  if (complete(hit)) return { ...hit!, cached: true };
  const result = await options.client.chat(options.settings.grader, { messages, jsonSchema: VERDICT_SCHEMA, urgent: true }, options.signal);
  // throws on an answer that is not a verdict: nothing is cached then, and the next run asks again
  const verdict: Verdict = parseVerdict(result.content);
  const entry: CachedVerdict = { verdict, promptTokens: result.promptTokens, completionTokens: result.completionTokens, finishReason: result.finishReason };
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

export function tally(unit: UnitResult): { passed: number; failed: number; errors: number; skipped: number; total: number } {
  const count = (status: ExampleResult['status']) => unit.examples.filter((e) => e.status === status).length;
  return { passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped'), total: unit.examples.length };
}

/**
 * The results of a run that stopped on `error` (thrown by runClauseTests or calibrateClauses):
 * the examples that finished (collected through onExample, keyed unitId + "\\0" + exampleKey) as they were, every other one an error
 * of that cause, so that reports, lenses and the Test Explorer show what happened to each.
 */
export function stoppedRunResults(units: ClauseTestUnit[], settings: ModelSettings, finished: Map<string, ExampleResult>, error: ModelError, calibrate: boolean): UnitResult[] {
  const finishedAt = Date.now();
  return units.map((unit): UnitResult => {
    const base = { unitId: unit.id, kind: unit.kind, uri: unit.uri, range: unit.range, title: unit.kind === 'clause' ? unit.clauseText : unit.sectionTitle || unit.id, unitHash: unit.hash, model: settings.candidate.model, grader: settings.grader.model, finishedAt };
    if (calibrate) {
      const calibration = unit.examples
        .filter((e) => !e.skip)
        .flatMap((e) => e.references.filter((r) => r.label === 'GOOD' || r.label === 'BAD').map((r) => ({ exampleKey: e.key, title: e.title, uri: e.uri, range: e.range, label: r.label as 'GOOD' | 'BAD', reference: r.content, agrees: false, message: error.message })));
      return { ...base, examples: [], calibration };
    }
    const examples = unit.examples.map(
      (e): ExampleResult =>
        finished.get(unit.id + '\0' + e.key) ??
        (e.skip
          ? { unitId: unit.id, exampleKey: e.key, title: e.title, uri: e.uri, range: e.range, status: 'skipped', message: e.skip, cached: false, promptTokens: 0, completionTokens: 0, durationMs: 0 }
          : { unitId: unit.id, exampleKey: e.key, title: e.title, uri: e.uri, range: e.range, status: 'error', message: error.message, errorKind: error.kind, cached: false, promptTokens: 0, completionTokens: 0, durationMs: 0 }),
    );
    return { ...base, examples };
  });
}
