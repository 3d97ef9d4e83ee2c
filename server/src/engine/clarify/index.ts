import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { ModelClient, ChatMessage } from '../llm/client';
import { ModelError } from '../llm/errors';
import { jsonReadings } from '../llm/json';
import type { EndpointSettings } from '../llm/settings';
import type { Clause, SpecDocument } from '../model';

/** One clause and what the model needs to know around it; taken from the document at `version`. */
export interface ClarifyTarget {
  uri: string;
  version: number;
  clauseId: string;
  /** The clause exactly as written (Markdown), i.e. the document text in `range`. */
  text: string;
  plain: string;
  range: Range;
  /** `[^id]` markers of the clause: a rewrite must keep them or the clause loses its examples. */
  markerIds: string[];
  sectionId?: string;
  sectionTitle?: string;
  authority?: string;
  /** The normative sentences of the clause's section, for context. */
  sectionText: string;
  /** What follows the clause in its paragraph or list item (up to the next blank line): a clarification already there is not added again. */
  after?: string;
}

export interface ClarifyOption {
  /** A short answer to the question, shown in the picker. */
  answer: string;
  /** A sentence that, added to the clause, states this answer. */
  clarification: string;
}

export interface ClarifyingQuestion {
  question: string;
  /** Two to four. */
  options: ClarifyOption[];
  /** Index into `options`. */
  recommended: number;
}

export interface Clarification {
  /** Up to five. */
  questions: ClarifyingQuestion[];
  /** The clause rewritten to remove the ambiguity, with its markers; undefined when the model gave none. */
  rewrite?: string;
  /** The model the endpoint says answered. */
  model: string;
}

export const MAX_QUESTIONS = 5;
export const MAX_OPTIONS = 4;

/** The normative, non-commentary clause at `offset` (its span includes both ends, so a cursor right after the period counts). */
export function clauseAt(doc: SpecDocument, offset: number): Clause | undefined {
  return doc.clauses.find((clause) => !clause.commentary && offset >= clause.span.start && offset <= clause.span.end);
}

export function clarifyTarget(doc: SpecDocument, clause: Clause): ClarifyTarget {
  const section = clause.sectionId ? doc.sections.find((s) => s.id === clause.sectionId) : undefined;
  const sectionText = doc.clauses
    .filter((c) => !c.commentary && c.sectionId === clause.sectionId)
    .map((c) => c.plain)
    .join(' ');
  return {
    uri: doc.uri,
    version: doc.version,
    clauseId: clause.id,
    text: doc.text.slice(clause.span.start, clause.span.end),
    plain: clause.plain,
    range: doc.lines.range(clause.span.start, clause.span.end),
    markerIds: [...new Set(clause.markers.map((m) => m.id))],
    sectionId: section?.id,
    sectionTitle: section?.title,
    authority: clause.authority ?? section?.authority,
    sectionText,
    after: paragraphAfter(doc.text, clause.span.end),
  };
}

/** The rest of the clause's paragraph or list item: up to a blank line, the next list item or heading. */
function paragraphAfter(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 2000);
  const end = rest.search(/\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s|\n#/);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

export const CLARIFY_SCHEMA = {
  name: 'clause_clarification',
  schema: {
    type: 'object',
    properties: {
      questions: {
        type: 'array',
        description: `at most ${MAX_QUESTIONS} questions, most important first`,
        items: {
          type: 'object',
          properties: {
            question: {
              type: 'string',
              description: 'one question whose answer two careful readers of the clause could disagree on',
            },
            options: {
              type: 'array',
              description: `two to ${MAX_OPTIONS} concrete answers`,
              items: {
                type: 'object',
                properties: {
                  answer: { type: 'string', description: 'a short answer, a few words' },
                  clarification: {
                    type: 'string',
                    description: 'one sentence that, appended to the clause, states this answer',
                  },
                },
                required: ['answer', 'clarification'],
                additionalProperties: false,
              },
            },
            recommended: { type: 'integer', description: 'index (from 0) of the recommended option' },
          },
          required: ['question', 'options', 'recommended'],
          additionalProperties: false,
        },
      },
      rewrite: {
        type: 'string',
        description: 'the clause rewritten with the recommended answers, as one or two sentences',
      },
    },
    required: ['questions', 'rewrite'],
    additionalProperties: false,
  },
};

const INSTRUCTIONS = `You help the author of a behaviour specification make one clause unambiguous.
Find what two careful readers (or a model and a grader) could read differently in the clause: vague qualifiers, unstated scope, missing conditions, unclear actors or timing.
Ask at most ${MAX_QUESTIONS} clarifying questions, most important first; ask none about what the clause already settles. Give each question two to ${MAX_OPTIONS} concrete answer options and recommend one.
For each option write "clarification": one complete sentence in the spec's voice that, appended to the clause, states that answer.
Then rewrite the clause with the recommended answers. Keep its meaning, its modal verb (must/should/may) and every footnote marker such as [^id] exactly as written.
Answer with JSON only: {"questions": [{"question": "...", "options": [{"answer": "...", "clarification": "..."}], "recommended": 0}], "rewrite": "..."}.`;

export function clarifyMessages(target: ClarifyTarget): ChatMessage[] {
  const context = [
    target.sectionTitle && `Section: ${target.sectionTitle}${target.sectionId ? ` (#${target.sectionId})` : ''}`,
    target.authority && `Authority: ${target.authority}`,
  ]
    .filter(Boolean)
    .join('\n');
  const parts = [`## Clause\n<clause>\n${target.text}\n</clause>`];
  if (context || (target.sectionText && target.sectionText !== target.plain))
    parts.push(
      `## Section context\n${context}${target.sectionText && target.sectionText !== target.plain ? `\n<section>\n${target.sectionText}\n</section>` : ''}`,
    );
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/**
 * Asks the model for clarifying questions and a rewrite of one clause. Endpoint problems come
 * back as the client's ModelError (what to fix); an answer that cannot be read as questions is a
 * ModelError of kind 'bad-answer'. Nothing here changes a document.
 */
export async function clarifyClause(
  client: ModelClient,
  endpoint: EndpointSettings,
  target: ClarifyTarget,
  signal?: AbortSignal,
): Promise<Clarification> {
  // five questions with four options each do not fit the short answers clause tests ask for
  const roomy: EndpointSettings = { ...endpoint, maxTokens: Math.max(endpoint.maxTokens ?? 0, 2048) };
  const result = await client.chat(roomy, { messages: clarifyMessages(target), jsonSchema: CLARIFY_SCHEMA }, signal);
  return { ...parseClarification(result.content, target.markerIds), model: result.model };
}

export const UNREADABLE_PREFIX = "the model's answer could not be read as clarifying questions";

function unreadable(reason: string, text: string): ModelError {
  const trimmed = text.trim();
  const shown = trimmed.length > 200 ? trimmed.slice(0, 200) + '…' : trimmed;
  return new ModelError(
    'bad-answer',
    `${UNREADABLE_PREFIX}: ${reason}, got ${shown ? JSON.stringify(shown) : 'an empty answer'}. Use a model that supports JSON output.`,
  );
}

/**
 * Reads structured output or, for endpoints without it, JSON wrapped in prose or a code fence.
 * Tolerates options given as plain strings, `recommended` given as the answer's text, and other
 * common spellings; drops questions with fewer than two usable options.
 */
export function parseClarification(text: string, markerIds: string[] = []): Omit<Clarification, 'model'> {
  const trimmed = text.trim();
  const readings = jsonReadings(trimmed);
  if (!readings.length) throw unreadable('expected JSON like {"questions": [...], "rewrite": "..."}', text);
  let value = readings[0];
  if (Array.isArray(value)) value = { questions: value };
  if (!value || typeof value !== 'object') throw unreadable('expected a JSON object', text);
  const object = value as Record<string, unknown>;
  const rawQuestions = object.questions ?? object.clarifying_questions ?? object.clarifyingQuestions;
  if (rawQuestions !== undefined && !Array.isArray(rawQuestions)) throw unreadable('"questions" is not a list', text);
  const questions = ((rawQuestions as unknown[] | undefined) ?? [])
    .map(readQuestion)
    .filter((q): q is ClarifyingQuestion => !!q)
    .slice(0, MAX_QUESTIONS);
  const rawRewrite = object.rewrite ?? object.rewritten_clause ?? object.rewrittenClause ?? object.rewritten;
  const rewrite =
    typeof rawRewrite === 'string' && rawRewrite.trim() ? keepMarkers(oneLine(rawRewrite), markerIds) : undefined;
  if (!questions.length && !rewrite)
    throw unreadable('no question with at least two answer options and no rewrite', text);
  return { questions, rewrite };
}

function readQuestion(raw: unknown): ClarifyingQuestion | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const object = raw as Record<string, unknown>;
  const question = typeof object.question === 'string' ? oneLine(object.question) : '';
  const rawOptions = object.options ?? object.answers ?? object.choices;
  if (!question || !Array.isArray(rawOptions)) return undefined;
  const options = rawOptions
    .map(readOption)
    .filter((o): o is ClarifyOption => !!o)
    .slice(0, MAX_OPTIONS);
  if (options.length < 2) return undefined;
  const recommendedRaw = object.recommended ?? object.recommendation ?? object.recommended_option;
  let recommended = 0;
  if (
    typeof recommendedRaw === 'number' &&
    Number.isInteger(recommendedRaw) &&
    recommendedRaw >= 0 &&
    recommendedRaw < options.length
  )
    recommended = recommendedRaw;
  else if (typeof recommendedRaw === 'string') {
    const byText = options.findIndex(
      (o) =>
        o.answer.toLowerCase() === recommendedRaw.trim().toLowerCase() ||
        o.clarification.toLowerCase() === recommendedRaw.trim().toLowerCase(),
    );
    const byNumber = /^\d+$/.test(recommendedRaw.trim()) ? Number(recommendedRaw.trim()) : -1;
    recommended = byText >= 0 ? byText : byNumber >= 0 && byNumber < options.length ? byNumber : 0;
  }
  return { question, options, recommended };
}

function readOption(raw: unknown): ClarifyOption | undefined {
  if (typeof raw === 'string') return raw.trim() ? { answer: oneLine(raw), clarification: asSentence(raw) } : undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const object = raw as Record<string, unknown>;
  const answer = [object.answer, object.label, object.option, object.text].find(
    (v): v is string => typeof v === 'string' && !!v.trim(),
  );
  const clarification = [object.clarification, object.sentence, object.text].find(
    (v): v is string => typeof v === 'string' && !!v.trim(),
  );
  if (!answer && !clarification) return undefined;
  return { answer: oneLine(answer ?? clarification!), clarification: asSentence(clarification ?? answer!) };
}

/** A clause lives inside a paragraph or a list item: a line break in inserted text would split it. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Capitalised, ending in sentence punctuation. */
function asSentence(text: string): string {
  const line = oneLine(text);
  const capitalised = line.charAt(0).toUpperCase() + line.slice(1);
  return /[.!?]["')\]]*$/.test(capitalised) ? capitalised : capitalised + '.';
}

/** Puts back any `[^id]` marker the rewrite dropped, before its final punctuation. */
function keepMarkers(rewrite: string, markerIds: string[]): string {
  const missing = markerIds
    .filter((id) => !rewrite.includes(`[^${id}]`))
    .map((id) => `[^${id}]`)
    .join('');
  if (!missing) return rewrite;
  const end = /[.!?]["')\]]*$/.exec(rewrite);
  return end ? rewrite.slice(0, end.index) + missing + rewrite.slice(end.index) : rewrite + missing;
}

/** The user's answer to one question: the option picked, or none (skipped). */
export interface PickedAnswer {
  question: string;
  answer: string;
  clarification: string;
}

/** The options the user picked, in question order; `picks[i]` is an index into question i's options, undefined when skipped. */
export function pickedAnswers(questions: ClarifyingQuestion[], picks: (number | undefined)[]): PickedAnswer[] {
  return questions.flatMap((q, i) => {
    const option = picks[i] === undefined ? undefined : q.options[picks[i]!];
    return option ? [{ question: q.question, answer: option.answer, clarification: option.clarification }] : [];
  });
}

/** The first answer's rewrite was written with the recommended options: it stands only when the user picked exactly those. */
export function picksAreRecommended(questions: ClarifyingQuestion[], picks: (number | undefined)[]): boolean {
  return questions.every((q, i) => picks[i] === q.recommended);
}

export const REWRITE_SCHEMA = {
  name: 'clause_rewrite',
  schema: {
    type: 'object',
    properties: {
      rewrite: { type: 'string', description: 'the clause rewritten so that it states every chosen answer' },
    },
    required: ['rewrite'],
    additionalProperties: false,
  },
};

export function rewriteMessages(target: ClarifyTarget, picked: PickedAnswer[]): ChatMessage[] {
  const answers = picked
    .map((p, i) => `${i + 1}. ${p.question}\n   Answer: ${p.answer} (${p.clarification})`)
    .join('\n');
  const parts = [`## Clause\n<clause>\n${target.text}\n</clause>`, `## The author's answers\n${answers}`];
  if (target.after)
    parts.push(`## Already written right after the clause (do not repeat it)\n<after>\n${target.after}\n</after>`);
  return [
    {
      role: 'system',
      content: `You help the author of a behaviour specification make one clause unambiguous. The author answered clarifying questions about the clause.
Rewrite the clause, as one or two sentences in the spec's voice, so that it states every one of the author's answers and nothing they did not choose. Keep its meaning, its modal verb (must/should/may) and every footnote marker such as [^id] exactly as written. Do not repeat what is already written right after the clause.
Answer with JSON only: {"rewrite": "..."}.`,
    },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/**
 * The rewrite that states the answers the user picked: the first answer's rewrite when the picks
 * are its recommended options, otherwise (or when it gave none) one more model call with the picks. Undefined
 * when the user picked nothing and there were questions (nothing to state).
 */
export async function rewriteWithAnswers(
  client: ModelClient,
  endpoint: EndpointSettings,
  target: ClarifyTarget,
  clarification: Clarification,
  picks: (number | undefined)[],
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (clarification.rewrite && picksAreRecommended(clarification.questions, picks)) return clarification.rewrite;
  const picked = pickedAnswers(clarification.questions, picks);
  if (!picked.length) return undefined;
  const result = await client.chat(
    endpoint,
    { messages: rewriteMessages(target, picked), jsonSchema: REWRITE_SCHEMA },
    signal,
  );
  const value = jsonReadings(result.content.trim())[0] as Record<string, unknown> | undefined;
  const rewrite =
    value && typeof value === 'object'
      ? (value.rewrite ?? value.rewritten_clause ?? value.clause)
      : typeof value === 'string'
        ? value
        : undefined;
  if (typeof rewrite !== 'string' || !rewrite.trim())
    throw unreadable('expected JSON like {"rewrite": "..."}', result.content);
  return rewrite;
}

/** Sentences compared as a reader would: case, spacing, quotes, markers and final punctuation aside. */
function sentenceKey(text: string): string {
  return text
    .replace(/\[\^[^\]\s]+\]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`*_]/g, '')
    .replace(/[.!?;:,]+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?]["')\]]*)\s+(?=[A-Z"'(\[])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A clarification the clause or the rest of its paragraph already states is not added again. */
function alreadyStated(target: ClarifyTarget, sentence: string): boolean {
  const key = sentenceKey(sentence);
  const present = [...sentencesOf(target.text), ...sentencesOf(target.after ?? '')].map(sentenceKey);
  return !!key && present.includes(key);
}

/**
 * The edit that adds chosen clarifications right after the clause: as sentences after a clause
 * that ends a sentence, in parentheses after one that does not (a list item without a period).
 * It inserts at the clause's end and replaces nothing; a sentence already there is not repeated.
 */
export function clarificationEdit(target: ClarifyTarget, clarifications: string[]): TextEdit {
  const sentences = [...new Set(clarifications.map(asSentence))].filter((s) => !alreadyStated(target, s));
  if (!sentences.length) return { range: { start: target.range.end, end: target.range.end }, newText: '' };
  // a footnote marker may follow the period: "... be brief.[^brief]"
  const endsSentence = /[.!?:;]["')\]*_]*$/.test(target.text.trimEnd().replace(/(\[\^[^\]\s]+\])+$/, ''));
  const newText = endsSentence
    ? ' ' + sentences.join(' ')
    : ` (${sentences.map((s) => s.replace(/[.]$/, '')).join('; ')})`;
  return { range: { start: target.range.end, end: target.range.end }, newText };
}

/** The rewrite as a replacement of exactly the clause's span; a sentence the rest of the paragraph already states is dropped from it. */
export function rewriteEdit(target: ClarifyTarget, rewrite: string): TextEdit {
  const line = oneLine(rewrite);
  const after = sentencesOf(target.after ?? '').map(sentenceKey);
  const kept = sentencesOf(line).filter((s, i) => i === 0 || !after.includes(sentenceKey(s)));
  return { range: target.range, newText: keepMarkers(kept.join(' '), target.markerIds) };
}
