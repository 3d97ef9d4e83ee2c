import type { ResultCache } from '../clauseTests/cache';
import { hashOf } from '../clauseTests/collect';
import { jsonReadings } from '../llm/json';
import type { ResolvedConfig } from '../config';
import type { Logger } from '../host';
import { silentLogger } from '../host';
// types only: the engine and the server bundle stay free of the SDK; the CLI's deep entry brings the client
import type { ChatRequest, ChatResult } from '../llm/client';
import { ModelError } from '../llm/errors';
import type { EndpointSettings } from '../llm/settings';
import type { Clause, SpecDocument } from '../model';
import type { Finding } from '../rules/types';
import type { Span } from '../text';
import type { SpecWorkspace } from '../workspace';
import { storeConflictResults, storedConflictResults } from '../deep/store';
import { conflictIndex, exceptionFix, short } from './analysis';

export const MODEL_CONFLICT = 'conflict-model';
export const DEFAULT_PAIR_BUDGET = 50;

export type Relation = 'contradiction' | 'entailment' | 'neutral';

export interface ModelVerdict {
  relation: Relation;
  /** One sentence. */
  reason: string;
  /** The condition under which both clauses can hold; empty when the model names none. */
  bothHoldWhen: string;
}

/** A clause as plain data: model results cross bundle boundaries (dist/lint.js and dist/deep.js) and the cache. */
export interface ClauseRef {
  uri: string;
  text: string;
  span: Span;
  sectionId?: string;
}

export interface ModelPair {
  a: ClauseRef;
  b: ClauseRef;
}

export interface ModelPairResult extends ModelPair {
  verdict?: ModelVerdict;
  /** Why there is no verdict: the answer could not be read. */
  error?: string;
  model: string;
  cached: boolean;
}

export interface ModelTierRun {
  results: ModelPairResult[];
  requests: number;
  fromCache: number;
  promptTokens: number;
  completionTokens: number;
}

/** Anything with ModelClient's `chat`: the shared client and its limiter, retries and timeouts. */
export interface ChatClient {
  chat(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

export interface ModelTierOptions {
  client: ChatClient;
  endpoint: EndpointSettings;
  cache?: ResultCache;
  signal?: AbortSignal;
  logger?: Logger;
}

export const CONTRADICTION_SCHEMA = {
  name: 'clause_relation',
  schema: {
    type: 'object',
    properties: {
      relation: { type: 'string', enum: ['contradiction', 'entailment', 'neutral'] },
      reason: { type: 'string', description: 'one sentence that says why' },
      bothHoldWhen: {
        type: 'string',
        description: 'the condition under which both clauses can hold, or an empty string',
      },
    },
    required: ['relation', 'reason', 'bothHoldWhen'],
    additionalProperties: false,
  },
};

const SYSTEM = `You compare two clauses of one specification that an assistant or a system must obey together.
Say "contradiction" when some situation that both clauses cover makes it impossible to obey both; "entailment" when obeying one always obeys the other; "neutral" otherwise, including when one clause is an explicit exception to the other.
Answer with JSON only: {"relation": "contradiction" | "entailment" | "neutral", "reason": "one sentence", "bothHoldWhen": "the condition under which both can hold, or empty"}.`;

/** The pairs most worth asking about: those sharing the most index keys, within the budget. */
export function candidatePairs(workspace: SpecWorkspace, budget: number, config?: ResolvedConfig): ModelPair[] {
  return conflictIndex(workspace, config)
    .similarPairs(budget)
    .map(({ a, b }) => ({ a: refOf(a.uri, a.clause), b: refOf(b.uri, b.clause) }));
}

function refOf(uri: string, clause: Clause): ClauseRef {
  return { uri, text: flat(clause.plain), span: clause.span, sectionId: clause.sectionId };
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The same two texts and model give the same key in either order. */
export function pairCacheKey(a: string, b: string, model: string): string {
  return hashOf(['conflict-model/1', model, ...[flat(a), flat(b)].sort()]);
}

/**
 * Asks the model about each pair, concurrently within the client's limit. An unreadable answer
 * fails its pair only; a configuration or endpoint error (no key, unreachable, unknown model)
 * or cancellation stops the run and is thrown.
 */
export async function judgePairs(pairs: ModelPair[], options: ModelTierOptions): Promise<ModelTierRun> {
  const { client, endpoint, cache } = options;
  const logger = options.logger ?? silentLogger;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let requests = 0;
  let fromCache = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  const one = async (pair: ModelPair): Promise<ModelPairResult> => {
    const key = pairCacheKey(pair.a.text, pair.b.text, endpoint.model);
    const hit = await cache?.get<ModelVerdict>(key);
    if (hit) {
      fromCache++;
      return { ...pair, verdict: hit, model: endpoint.model, cached: true };
    }
    // asked in the order of the cache key, so that a cached verdict and a fresh one mean the same
    const [first, second] = flat(pair.a.text) <= flat(pair.b.text) ? [pair.a, pair.b] : [pair.b, pair.a];
    requests++;
    let result: ChatResult;
    try {
      result = await client.chat(
        endpoint,
        {
          messages: [
            { role: 'system', content: SYSTEM },
            { role: 'user', content: `Clause A:\n${first.text}\n\nClause B:\n${second.text}` },
          ],
          jsonSchema: CONTRADICTION_SCHEMA,
        },
        signal,
      );
    } catch (error) {
      // an answer cut off, too large or too slow concerns this pair; an endpoint-wide error stops the run
      if (!(error instanceof ModelError) || error.stopsRun) throw error;
      logger.warn('no model verdict for a clause pair', { error: error.message });
      return { ...pair, error: error.message, model: endpoint.model, cached: false };
    }
    promptTokens += result.promptTokens;
    completionTokens += result.completionTokens;
    try {
      const verdict = parseContradiction(result.content);
      await cache?.set(key, verdict);
      return { ...pair, verdict, model: result.model, cached: false };
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      logger.warn('unreadable model answer about a clause pair', { error: error.message });
      return { ...pair, error: error.message, model: result.model, cached: false };
    }
  };
  // Promise.all rejects with the first error, the cause, not the cancellations it causes in the other pairs
  const results = await Promise.all(
    pairs.map((pair) =>
      one(pair).catch((error) => {
        // the first endpoint error stops the requests still waiting for the limiter
        stop.abort();
        throw error;
      }),
    ),
  );
  return { results, requests, fromCache, promptTokens, completionTokens };
}

/** Reads a relation from structured output or, for endpoints without it, from JSON in prose or a fence, or a leading word. */
export function parseContradiction(text: string): ModelVerdict {
  const trimmed = text.trim();
  for (const value of jsonReadings(trimmed)) {
    const verdict = fromObject(value);
    if (verdict) return verdict;
  }
  const word = /^\W*(contradiction|contradicts|contradictory|entailment|entails|neutral)\b[\s:.,-]*([\s\S]*)$/i.exec(
    trimmed,
  );
  if (word) return { relation: relationOf(word[1])!, reason: firstSentence(word[2]), bothHoldWhen: '' };
  const shown = trimmed.length > 200 ? trimmed.slice(0, 200) + '…' : trimmed;
  throw new ModelError(
    'bad-answer',
    `the model's answer about two clauses is not a relation: expected JSON like {"relation": "contradiction", "reason": "...", "bothHoldWhen": "..."}, got ${shown ? JSON.stringify(shown) : 'an empty answer'}. Use a model that supports JSON output.`,
  );
}

function relationOf(value: unknown): Relation | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\s*contradict/i.test(value)) return 'contradiction';
  if (/^\s*entail/i.test(value)) return 'entailment';
  if (/^\s*(neutral|compatible|consistent|unrelated)/i.test(value)) return 'neutral';
  return undefined;
}

function fromObject(value: unknown): ModelVerdict | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const relation = ['relation', 'verdict', 'label', 'answer', 'result']
    .map((k) => relationOf(record[k]))
    .find((r) => r);
  if (!relation) return undefined;
  const text = (keys: string[]) =>
    (keys.map((k) => record[k]).find((v) => typeof v === 'string') as string | undefined) ?? '';
  return {
    relation,
    reason: firstSentence(text(['reason', 'rationale', 'explanation'])),
    bothHoldWhen: flat(text(['bothHoldWhen', 'both_hold_when', 'condition'])).slice(0, 300),
  };
}

function firstSentence(text: string): string {
  const clean = flat(text);
  const end = /[.!?](\s|$)/.exec(clean);
  return (end ? clean.slice(0, end.index + 1) : clean).slice(0, 300);
}

/** Keeps the model tier's results for lint-time findings; replaces those of an earlier run about the same files (all, without `uris`). */
export function storeModelResults(workspace: SpecWorkspace, results: ModelPairResult[], uris?: Iterable<string>): void {
  storeConflictResults(workspace, results, uris);
}

export function storedModelResults(workspace: SpecWorkspace): readonly ModelPairResult[] {
  return storedConflictResults(workspace);
}

/**
 * Contradictions the model found, on this document's clauses. Clauses are found again by their
 * text, so that an edit elsewhere moves the finding with its clause and an edit of the clause
 * drops it until the next model run.
 */
export function modelConflictFindings(workspace: SpecWorkspace, doc: SpecDocument): Finding[] {
  const findings: Finding[] = [];
  for (const result of storedModelResults(workspace)) {
    if (result.verdict?.relation !== 'contradiction') continue;
    for (const [self, other] of [
      [result.a, result.b],
      [result.b, result.a],
    ] as const) {
      if (self.uri !== doc.uri) continue;
      const clause = findClause(doc, self.text);
      if (!clause) continue;
      const otherDoc = workspace.get(other.uri);
      const otherClause = otherDoc ? findClause(otherDoc, other.text) : undefined;
      if (otherDoc && !otherClause) continue; // the other clause was edited away
      const where = `${other.sectionId ? ` in #${other.sectionId}` : ''}${other.uri === self.uri ? '' : ` of ${other.uri.split('/').pop()}`}`;
      const { reason, bothHoldWhen } = result.verdict;
      findings.push({
        ruleId: MODEL_CONFLICT,
        severity: 'warning',
        span: clause.span,
        message: `Model finding (${result.model}): "${short(self.text)}" contradicts "${short(other.text)}"${where}: ${reason || 'the model gave no reason.'}${bothHoldWhen ? ` Both can hold if ${bothHoldWhen.replace(/\.$/, '')}.` : ''} State which one wins, or mark one as an exception to the other.`,
        related: [
          {
            uri: other.uri,
            span: otherClause?.span ?? other.span,
            message: `the contradicting clause: "${short(other.text, 50)}"`,
          },
        ],
        fixes: [exceptionFix({ doc, clause }, MODEL_CONFLICT)],
      });
    }
  }
  return findings;
}

function findClause(doc: SpecDocument, text: string): Clause | undefined {
  return doc.clauses.find((clause) => flat(clause.plain) === text);
}
