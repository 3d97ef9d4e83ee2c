import { hashOf } from '../clauseTests/collect';
import type { ResultCache } from '../clauseTests/cache';
import type { ChatMessage, ChatRequest, ChatResult } from '../llm/client';
import { ModelError } from '../llm/errors';
import { jsonReadings } from '../llm/json';
import type { EndpointSettings } from '../llm/settings';
import type { Logger } from '../host';
import { silentLogger } from '../host';
import type { Span } from '../text';

/**
 * The ambiguity model tier: a model reads one clause, with its section and the spec's definitions,
 * and says whether it admits readings that lead to different behaviour. Plain data in and out:
 * targets are built by the server (or the CLI) and the model is called wherever the key lives
 * (the CLI, `clarifier lsp --stdio`, or the VS Code extension host).
 */

export const MODEL_AMBIGUITY = 'ambiguity-model';
/** Model requests per run; clauses answered from the cache cost nothing and do not count. */
export const DEFAULT_CLAUSE_BUDGET = 30;

export const AMBIGUITY_KINDS = [
  'vague-term',
  'missing-condition',
  'over-broad-scope',
  'unclear-reference',
  'conflicting-clause',
] as const;
export type AmbiguityKind = (typeof AMBIGUITY_KINDS)[number] | 'other';

export const KIND_LABEL: Record<AmbiguityKind, string> = {
  'vague-term': 'vague term',
  'missing-condition': 'missing condition',
  'over-broad-scope': 'over-broad scope',
  'unclear-reference': 'unclear actor or reference',
  'conflicting-clause': 'conflicts with another clause',
  other: 'ambiguous',
};

/** One clause to ask about, with what the model sees around it. */
export interface AmbiguityTarget {
  uri: string;
  /** The clause as plain text on one line: also how its finding finds it again after edits. */
  text: string;
  span: Span;
  sectionId?: string;
  sectionTitle?: string;
  /** The other normative sentences of the clause's section, possibly shortened. */
  sectionText: string;
  /** Definitions of terms the clause uses, as the spec states them. */
  definitions: string[];
  /** Why it comes early: "offline findings", "failing examples"; empty for the rest. */
  priorityReasons: string[];
}

export interface ClarifyAnswer {
  answer: string;
  /** A sentence that, appended to the clause, settles the question this way. */
  clarification: string;
}

export interface AmbiguityVerdict {
  ambiguous: boolean;
  kind?: AmbiguityKind;
  /** Two or three, one sentence each; empty when not ambiguous. */
  readings: string[];
  /** An input on which the readings lead to different behaviour. */
  divergingInput: string;
  question: string;
  answers: ClarifyAnswer[];
}

export interface AmbiguityResult {
  target: AmbiguityTarget;
  verdict?: AmbiguityVerdict;
  /** Why there is no verdict: the answer could not be read. Never a finding. */
  error?: string;
  model: string;
  cached: boolean;
}

export interface AmbiguityRun {
  results: AmbiguityResult[];
  requests: number;
  fromCache: number;
  /** Clauses not asked because the budget was spent. */
  overBudget: number;
  promptTokens: number;
  completionTokens: number;
}

/** Anything with ModelClient's `chat`: the shared client and its limiter, retries and timeouts. */
export interface ChatClient {
  chat(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
}

export interface AmbiguityTierOptions {
  client: ChatClient;
  endpoint: EndpointSettings;
  /** Most model requests in this run. */
  budget?: number;
  cache?: ResultCache;
  signal?: AbortSignal;
  logger?: Logger;
}

export const AMBIGUITY_SCHEMA = {
  name: 'clause_ambiguity',
  schema: {
    type: 'object',
    properties: {
      ambiguous: {
        type: 'boolean',
        description: 'true only when the readings lead to different behaviour on some input',
      },
      kind: { type: 'string', enum: [...AMBIGUITY_KINDS, ''] },
      readings: {
        type: 'array',
        items: { type: 'string' },
        description: 'two or three readings, one sentence each; empty when not ambiguous',
      },
      divergingInput: {
        type: 'string',
        description: 'an input on which the readings lead to different behaviour; empty when not ambiguous',
      },
      question: { type: 'string', description: 'the clarifying question that settles it; empty when not ambiguous' },
      answers: {
        type: 'array',
        description: 'two to four answers to the question',
        items: {
          type: 'object',
          properties: {
            answer: { type: 'string', description: 'a few words' },
            clarification: {
              type: 'string',
              description: "one sentence in the spec's voice that, appended to the clause, states this answer",
            },
          },
          required: ['answer', 'clarification'],
          additionalProperties: false,
        },
      },
    },
    required: ['ambiguous', 'kind', 'readings', 'divergingInput', 'question', 'answers'],
    additionalProperties: false,
  },
};

/** Changing the prompt changes this version, so that cached verdicts of another prompt are not reused. */
const PROMPT_VERSION = 'ambiguity-model/1';

export const AMBIGUITY_SYSTEM = `You review one clause of a specification that people or an AI model must follow.
Decide whether the clause admits materially different readings: two readings under which a reasonable model or person would act differently on some concrete input.
It is NOT ambiguous when its wording is general but every reasonable reading leads to the same behaviour, when only the style could be better, or when the section or the definitions settle the question. Most clauses are clear enough to act on: then answer {"ambiguous": false, "kind": "", "readings": [], "divergingInput": "", "question": "", "answers": []}.
Only when it is ambiguous, give:
- "readings": two or three readings, one sentence each, that lead to different behaviour;
- "divergingInput": one concrete input (a user message or a situation) on which the readings act differently;
- "kind": one of ${AMBIGUITY_KINDS.map((k) => `"${k}"`).join(', ')};
- "question": one clarifying question for the author that settles it;
- "answers": two to four answers, each {"answer": "a few words", "clarification": "one sentence that, appended to the clause, states this answer"}.
Answer with JSON only.`;

export function ambiguityMessages(target: AmbiguityTarget): ChatMessage[] {
  const parts = [`## Clause\n<clause>\n${target.text}\n</clause>`];
  const section = target.sectionText && target.sectionText !== target.text ? target.sectionText : '';
  if (target.sectionTitle || section)
    parts.push(
      `## Its section${target.sectionTitle ? `: ${target.sectionTitle}` : ''}${section ? `\n<section>\n${section}\n</section>` : ''}`,
    );
  if (target.definitions.length)
    parts.push(`## Definitions the spec gives\n<definitions>\n${target.definitions.join('\n')}\n</definitions>`);
  return [
    { role: 'system', content: AMBIGUITY_SYSTEM },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** The clause, what the model sees around it, the model and the prompt: any change is a new question. */
export function ambiguityCacheKey(target: AmbiguityTarget, model: string): string {
  return hashOf([
    PROMPT_VERSION,
    model,
    target.text,
    target.sectionTitle ?? '',
    target.sectionText,
    target.definitions,
  ]);
}

interface Cached {
  verdict: AmbiguityVerdict;
  model: string;
}

/**
 * Asks about each clause in the given order (highest value first), concurrently within the
 * client's limit. Cached clauses cost nothing; at most `budget` requests are sent, the rest are
 * counted as over budget. An unreadable answer fails its clause only and is never cached; a
 * configuration or endpoint error, or cancellation, stops the run and is thrown.
 */
export async function askAboutClauses(
  targets: AmbiguityTarget[],
  options: AmbiguityTierOptions,
): Promise<AmbiguityRun> {
  const { client, endpoint, cache } = options;
  const logger = options.logger ?? silentLogger;
  const budget = options.budget ?? DEFAULT_CLAUSE_BUDGET;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const run: AmbiguityRun = {
    results: [],
    requests: 0,
    fromCache: 0,
    overBudget: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
  if (signal.aborted) throw new ModelError('cancelled', 'cancelled');

  const slots: (AmbiguityResult | Promise<AmbiguityResult> | undefined)[] = [];
  const toAsk: number[] = [];
  for (const [index, target] of targets.entries()) {
    const hit = await cache?.get<Cached>(ambiguityCacheKey(target, endpoint.model));
    if (hit?.verdict) {
      run.fromCache++;
      slots[index] = { target, verdict: hit.verdict, model: hit.model, cached: true };
    } else if (toAsk.length < budget) toAsk.push(index);
    else run.overBudget++;
  }

  const one = async (target: AmbiguityTarget): Promise<AmbiguityResult> => {
    run.requests++;
    let result: ChatResult;
    try {
      result = await client.chat(
        endpoint,
        { messages: ambiguityMessages(target), jsonSchema: AMBIGUITY_SCHEMA },
        signal,
      );
    } catch (error) {
      // an answer cut off, too large or too slow concerns this clause; an endpoint-wide error stops the run
      if (!(error instanceof ModelError) || error.stopsRun) throw error;
      logger.warn('no model reading of a clause', { error: error.message });
      return { target, error: error.message, model: endpoint.model, cached: false };
    }
    run.promptTokens += result.promptTokens;
    run.completionTokens += result.completionTokens;
    try {
      const verdict = parseAmbiguity(result.content);
      await cache?.set(ambiguityCacheKey(target, endpoint.model), { verdict, model: result.model } satisfies Cached);
      return { target, verdict, model: result.model, cached: false };
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      logger.warn('unreadable model answer about a clause', { error: error.message });
      return { target, error: error.message, model: result.model, cached: false };
    }
  };
  for (const index of toAsk) {
    slots[index] = one(targets[index]).catch((error) => {
      // the first endpoint error stops the requests still waiting for the limiter
      stop.abort();
      throw error;
    });
  }
  const settled = await Promise.all(slots.filter((slot) => slot !== undefined));
  run.results = settled;
  return run;
}

export const UNREADABLE_AMBIGUITY = "the model's answer about a clause could not be read";

function unreadable(reason: string, text: string): ModelError {
  const trimmed = text.trim();
  const shown = trimmed.length > 200 ? trimmed.slice(0, 200) + '…' : trimmed;
  return new ModelError(
    'bad-answer',
    `${UNREADABLE_AMBIGUITY}: ${reason}, got ${shown ? JSON.stringify(shown) : 'an empty answer'}. Use a model that supports JSON output.`,
  );
}

/**
 * Reads a verdict from structured output or, for endpoints without it, JSON in prose or a fence.
 * A plain "none" (or "not ambiguous") is a clear clause. Anything else that is not a complete
 * verdict (no `ambiguous`, ambiguous with fewer than two distinct readings, no diverging input or
 * no question, cut off) throws: an answer that cannot be read never becomes a finding.
 */
export function parseAmbiguity(text: string): AmbiguityVerdict {
  const trimmed = text.trim();
  for (const value of jsonReadings(trimmed)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    const flag = ambiguousFlag(record);
    if (flag === undefined) continue;
    if (!flag) return clear();
    const readings = [
      ...new Set(
        list(record.readings ?? record.interpretations)
          .map(oneLine)
          .filter(Boolean),
      ),
    ].slice(0, 3);
    if (readings.length < 2) throw unreadable('it says "ambiguous" but gives fewer than two distinct readings', text);
    const divergingInput = oneLine(firstString(record, ['divergingInput', 'diverging_input', 'input', 'example']));
    if (!divergingInput) throw unreadable('it says "ambiguous" but gives no input on which the readings diverge', text);
    const question = oneLine(firstString(record, ['question', 'clarifyingQuestion', 'clarifying_question']));
    if (!question) throw unreadable('it says "ambiguous" but asks no clarifying question', text);
    let answers = list(record.answers ?? record.options)
      .map(readAnswer)
      .filter((a): a is ClarifyAnswer => !!a)
      .slice(0, 4);
    // without usable answers, each reading is one
    if (answers.length < 2)
      answers = readings.map((reading) => ({
        answer: reading.length > 60 ? reading.slice(0, 57) + '…' : reading,
        clarification: asSentence(reading),
      }));
    return { ambiguous: true, kind: kindOf(record.kind ?? record.type), readings, divergingInput, question, answers };
  }
  if (
    /^\W*(none|no ambiguity|not ambiguous|unambiguous|clear)\W*$/i.test(trimmed) ||
    /^\W*none\b[\s.:,-]/i.test(trimmed)
  )
    return clear();
  throw unreadable(
    'expected JSON like {"ambiguous": false, ...} or {"ambiguous": true, "readings": [...], "divergingInput": "...", "question": "...", "answers": [...]}',
    text,
  );
}

function clear(): AmbiguityVerdict {
  return { ambiguous: false, readings: [], divergingInput: '', question: '', answers: [] };
}

function ambiguousFlag(record: Record<string, unknown>): boolean | undefined {
  const raw = record.ambiguous ?? record.is_ambiguous ?? record.isAmbiguous;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    if (/^\s*(true|yes)\s*$/i.test(raw)) return true;
    if (/^\s*(false|no|none)\s*$/i.test(raw)) return false;
    return undefined;
  }
  const verdict = record.verdict ?? record.answer;
  if (typeof verdict === 'string') {
    if (/^\s*(none|clear|not ambiguous|unambiguous)\s*$/i.test(verdict)) return false;
    if (/^\s*ambiguous\s*$/i.test(verdict)) return true;
  }
  return undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function firstString(record: Record<string, unknown>, keys: string[]): string {
  for (const key of keys) if (typeof record[key] === 'string') return record[key] as string;
  return '';
}

function readAnswer(raw: unknown): ClarifyAnswer | undefined {
  if (typeof raw === 'string') return raw.trim() ? { answer: oneLine(raw), clarification: asSentence(raw) } : undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const answer = oneLine(firstString(record, ['answer', 'label', 'option']));
  const clarification = oneLine(firstString(record, ['clarification', 'sentence']));
  if (!answer && !clarification) return undefined;
  return { answer: answer || clarification, clarification: asSentence(clarification || answer) };
}

function kindOf(value: unknown): AmbiguityKind {
  const text = typeof value === 'string' ? value.toLowerCase().replace(/[\s_]+/g, '-') : '';
  const known = AMBIGUITY_KINDS.find((kind) => kind === text);
  if (known) return known;
  if (/vague/.test(text)) return 'vague-term';
  if (/condition/.test(text)) return 'missing-condition';
  if (/broad|scope/.test(text)) return 'over-broad-scope';
  if (/reference|actor|pronoun/.test(text)) return 'unclear-reference';
  if (/conflict|contradict/.test(text)) return 'conflicting-clause';
  return 'other';
}

function oneLine(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

function asSentence(text: string): string {
  const line = oneLine(text);
  const capitalised = line.charAt(0).toUpperCase() + line.slice(1);
  return /[.!?]["')\]]*$/.test(capitalised) ? capitalised : capitalised + '.';
}

export function shortText(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…';
}
