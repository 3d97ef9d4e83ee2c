import { analysisEnd } from '../../analysisLimit';
import { analyze, type Token } from '../../nlp';
import type { Sentence, SpecDocument } from '../../model';
import { protectedSpans } from '../../sentences';
import { conventionsOf } from '../../conventions';
import type { Fix, RuleContext } from '../types';
import type { Span } from '../../text';
import { IMPERATIVE_VERBS } from '../../normative';

/**
 * A sentence as the ambiguity rules read it: the Markdown source with everything that is not the
 * author's own normative wording blanked out (inline code, link targets, markers, quoted strings,
 * HTML, emphasis marks). Blanking keeps the length, so offsets into `masked` are offsets into the
 * sentence source, and findings map back to the document by adding the sentence start.
 */
export interface Prose {
  masked: string;
  tokens: Token[];
  /** States a rule: a modal of obligation or permission, or an imperative. Refined with POS tags. */
  normative: boolean;
}

/** One cache per normative flag, keyed by sentence source: no key strings are built per keystroke. */
const proseCache = [new Map<string, Prose>(), new Map<string, Prose>()];
const CACHE_LIMIT = 20000;
/**
 * The prose of the sentences of a parsed document, computed once for all rules and only for the
 * sentences a rule reads: tagging the cells of a 50,000-row table that no rule reads cost seconds.
 */
const documentProse = new WeakMap<SpecDocument, (Prose | undefined)[]>();

function proseOf(doc: SpecDocument, index: number): Prose {
  let list = documentProse.get(doc);
  if (!list) documentProse.set(doc, (list = new Array<Prose | undefined>(doc.sentences.length)));
  return (list[index] ??= readProse(doc.sentences[index]));
}

/** The text with every span replaced by spaces of the same length; one pass, however many spans (spans may overlap). */
export function blank(text: string, spans: Iterable<Span>): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  if (!sorted.length) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, cursor);
    const end = Math.min(span.end, text.length);
    if (end <= start) continue;
    parts.push(text.slice(cursor, start), ' '.repeat(end - start));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/** What maskProse blanks: a substring every match contains (a cheap test before the regex scan), and the pattern. */
const MASKED_PATTERNS: [string, RegExp][] = [
  ['<!--', /<!--[\s\S]*?-->/g], // comments
  ['<', /<\/?[A-Za-z][^>]*>/g], // inline HTML
  ['"', /"[^"\n]{1,400}?"/g], // quoted strings: someone else's words, not the rule's
  ['“', /“[^”\n]{1,400}?”/g],
  ['‘', /(?<![\p{L}\p{N}])‘[^’\n]{1,200}?’(?![\p{L}\p{N}])/gu],
  ['{#', /\{#[^}]*\}/g], // heading ids / attributes
  [
    '/',
    /(?<![\p{L}\p{N}/])(?:[\w.@-]{1,100}\/){2,}[\w.*@-]*|(?<![\p{L}\p{N}/])(?:[\w.@-]{1,100}\/)+[\w*@-]{1,100}\.[A-Za-z]{1,5}(?![\p{L}\p{N}])/gu,
  ], // paths (src/core/x.ts, tests/integration/): names, not words
  [
    '.',
    /(?<![\p{L}\p{N}/])[\w-]{1,100}\.(?:md|mdc|ts|tsx|js|mjs|json|py|rs|toml|ya?ml|sh|txt|lock|j2)(?![\p{L}\p{N}])/gu,
  ], // file names
  ['[NEEDS CLARIFICATION:', /\[NEEDS CLARIFICATION:[^\]\n]*\]/g], // spec-kit's open question: the placeholder rule reports it
  ['~~', /~~[^~\n]+~~/g], // struck-through text is withdrawn, not in force
];

export function maskProse(text: string): string {
  const spans: Span[] = [...protectedSpans(text)];
  for (const [needle, pattern] of MASKED_PATTERNS) {
    if (!text.includes(needle)) continue;
    for (const match of text.matchAll(pattern))
      spans.push({ start: match.index!, end: match.index! + match[0].length });
  }
  let masked = blank(text, spans);
  // emphasis and link brackets: markup, not words
  masked = masked.replace(/\*+|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])|[[\]]|^\s*(?:[-+*]|\d+[.)])\s/gu, (m) =>
    ' '.repeat(m.length),
  );
  return masked;
}

const OBLIGATION_AUX = new Set(['must', 'shall', 'should', 'may', 'will', 'can', 'need', 'ought']);
const IMPERATIVE_LEMMAS = new Set(['do', ...IMPERATIVE_VERBS, 'never', 'always']);

export function readProse(sentence: Pick<Sentence, 'text' | 'normative'>): Prose {
  const cache = proseCache[sentence.normative ? 1 : 0];
  const cached = cache.get(sentence.text);
  if (cached) return cached;
  const masked = maskProse(sentence.text);
  // tagging is the expensive part: a sentence the parser did not find normative is tagged only if a rule asks
  let tokens: Token[] | undefined = sentence.normative ? analyze(masked) : undefined;
  const prose: Prose = {
    masked,
    get tokens() {
      return (tokens ??= analyze(masked));
    },
    normative: !!tokens && isNormative(tokens),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sentence.text, prose);
  return prose;
}

/** A sentence states a rule when it has a deontic modal or starts with an imperative verb. */
export function isNormative(tokens: Token[]): boolean {
  const words = tokens.filter((t) => t.pos !== 'PUNCT' && t.pos !== 'SPACE');
  if (!words.length) return false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const lower = word.text.toLowerCase();
    if (OBLIGATION_AUX.has(lower) && lower !== 'will' && lower !== 'can' && (word.pos === 'AUX' || word.pos === 'VERB'))
      return true;
    if (
      (lower === 'required' ||
        lower === 'expected' ||
        lower === 'allowed' ||
        lower === 'prohibited' ||
        lower === 'forbidden') &&
      words[i - 1]?.lemma === 'be'
    )
      return true;
    if (
      (lower === 'need' || lower === 'needs' || lower === 'has' || lower === 'have') &&
      words[i + 1]?.text.toLowerCase() === 'to'
    )
      return true;
  }
  const first = words[0];
  const firstLower = first.text.toLowerCase();
  if (
    IMPERATIVE_LEMMAS.has(firstLower) ||
    (first.pos === 'VERB' && first.text === first.lemma.replace(/^./, (c) => c.toUpperCase()))
  )
    return true;
  if ((firstLower === 'never' || firstLower === 'always') && words[1]?.pos === 'VERB') return true;
  return false;
}

/** A finding relative to the start of the sentence source. */
export interface LocalFinding {
  start: number;
  end: number;
  message: string;
  /** Edits relative to the sentence source. */
  fixes?: LocalFix[];
  /** Rule-specific data the doc-level step may need (e.g. the term or acronym). */
  subject?: string;
}

export interface LocalFix {
  title: string;
  edits: { start: number; end: number; newText: string }[];
  preferred?: boolean;
  safe?: boolean;
  /** The fix leaves a blank (see blanks.ts) the author must fill in. */
  needsInput?: boolean;
}

export interface SentenceScope {
  /** Include `!!! meta` commentary (off by default: it explains, it does not rule). */
  commentary?: boolean;
  /** Only sentences that state a rule. */
  normativeOnly?: boolean;
}

/** The prose a rule reads: every sentence outside code and transcripts, commentary off by default. */
export function* proseSentences(
  ctx: RuleContext,
  scope: SentenceScope = {},
): Generator<{ sentence: Sentence; prose: Prose }> {
  // block quotes and table rows are not the author's clauses (see conventions.ts)
  const { notClause } = conventionsOf(ctx.doc);
  // past the limit a file is read for structure only (see analysis-limit)
  const end = analysisEnd(ctx.doc, ctx.config.maxAnalyzedSentences);
  for (let i = 0; i < end; i++) {
    const sentence = ctx.doc.sentences[i];
    if (sentence.commentary && !scope.commentary) continue;
    if (notClause.has(sentence)) continue;
    if (scope.normativeOnly && !sentence.normative) continue;
    const prose = proseOf(ctx.doc, i);
    if (scope.normativeOnly && !prose.normative) continue;
    yield { sentence, prose };
  }
}

/**
 * Runs a per-sentence detector with a cache keyed by sentence text, so that a keystroke re-analyses
 * only the sentences it changed.
 */
export function sentenceDetector(
  detect: (prose: Prose, text: string) => LocalFinding[],
): (sentence: Sentence, prose: Prose) => LocalFinding[] {
  return perSentence(detect);
}

/**
 * Caches any per-sentence computation. Prose objects are shared by every sentence with the same
 * text (see readProse), so keying by the object is keying by text without hashing it again.
 */
export function perSentence<T>(compute: (prose: Prose, text: string) => T): (sentence: Sentence, prose: Prose) => T {
  const cache = new WeakMap<Prose, T>();
  return (sentence, prose) => {
    let found = cache.get(prose);
    if (found === undefined) {
      found = compute(prose, sentence.text);
      cache.set(prose, found);
    }
    return found;
  };
}

export function toFixes(base: number, fixes: LocalFix[] | undefined): Fix[] | undefined {
  return fixes?.map((fix) => ({
    ...fix,
    edits: fix.edits.map((edit) => ({
      span: { start: base + edit.start, end: base + edit.end },
      newText: edit.newText,
    })),
  }));
}

/** Reports local findings of one sentence at their document offsets. */
export function reportLocal(
  ctx: RuleContext,
  sentence: Sentence,
  findings: LocalFinding[],
  severity?: 'hint' | 'information' | 'warning',
): void {
  const base = sentence.span.start;
  for (const found of findings) {
    ctx.report({
      span: { start: base + found.start, end: base + found.end },
      message: found.message,
      fixes: toFixes(base, found.fixes),
      ...(severity ? { severity } : {}),
    });
  }
}

/** Finds whole-word phrase matches (case-insensitive) in masked text, as spans. */
export function findPhrases(masked: string, phrases: RegExp): Span[] {
  const spans: Span[] = [];
  for (const match of masked.matchAll(phrases))
    spans.push({ start: match.index!, end: match.index! + match[0].length });
  return spans;
}

/** The token covering a masked-text offset. */
export function tokenAt(tokens: Token[], offset: number): number {
  return tokens.findIndex((t) => t.start <= offset && offset < t.end);
}

export function isStrict(ctx: RuleContext): boolean {
  return ctx.config.profile === 'strict';
}
