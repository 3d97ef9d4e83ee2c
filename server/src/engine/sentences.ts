import type { Span } from './text';

/**
 * Each protected kind: a substring every match contains, and the pattern. The open-ended parts are
 * bounded (a URL of 2,048 characters, an id of 256): an unclosed `](` or `<http:` repeated along a
 * megabyte line was otherwise rescanned to the line's end from each of them, the square of the line.
 */
const PROTECTED_PATTERNS: [string, RegExp][] = [
  ['`', /(`+)[^`]*?\1/g], // inline code
  ['](', /\]\([^)\s]{0,2048}(?:\s+"[^"]{0,512}")?\)/g], // link destination
  ['[^', /\[\^[^\]\s]{1,256}\]/g], // [^id] marker
  ['[?]', /\[\?\]/g], // [?] reference text
  ['<http', /<https?:[^>\s]{1,2048}>/g], // autolink
  ['[...', /\[\.\.\.[^\]]{0,512}\]/g], // [...] elision
  ['http', /https?:\/\/[^\s)>\]]{0,2048}[^\s)>\].,;:!?'"’”]/g], // bare URL, without the punctuation that ends its sentence
];

/**
 * Spans of a Markdown prose string that must never be split or scanned as prose:
 * inline code, link destinations, footnote-style markers and autolinks.
 */
export function protectedSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const [needle, pattern] of PROTECTED_PATTERNS) {
    // most prose has none of these: a substring test is much cheaper than a regex scan (issue 9)
    if (!text.includes(needle)) continue;
    for (const match of text.matchAll(pattern)) {
      spans.push({ start: match.index!, end: match.index! + match[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

/**
 * Whether `offset` is inside one of the sorted `spans`, looking from index `from` on; also returns the
 * index to start from for any later offset, so that a left-to-right scan costs O(offsets + spans),
 * not O(offsets × spans) (a paragraph of 100,000 `[^id]` markers has 100,000 spans).
 */
function protectedAt(spans: Span[], offset: number, from: number): { inside: boolean; next: number } {
  let i = from;
  // spans may overlap (a marker inside a link destination): skip only those that end before the offset
  while (i < spans.length && spans[i].end <= offset) i++;
  for (let j = i; j < spans.length; j++) {
    if (spans[j].start > offset) break;
    if (offset < spans[j].end) return { inside: true, next: i };
  }
  return { inside: false, next: i };
}

/** Abbreviations that never end a sentence ("etc." often does, so it is not one of them). */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'vs',
  'cf',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'no',
  'fig',
  'approx',
  'incl',
  'resp',
  'al',
  'viz',
  'sec',
  'ch',
  'p',
  'pp',
  'u.s',
  'u.k',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'e.g.,',
  'i.e.,',
]);

const CLOSERS = new Set(['"', "'", '’', '”', ')', ']', '*', '_']);

/**
 * Splits Markdown prose into sentences. Returns spans relative to `text`, trimmed of surrounding
 * whitespace. Copes with abbreviations (e.g., i.e., etc.), quotes, `[?](#id)` references,
 * `[^id]` markers that follow the full stop, inline code and URLs.
 */
export function splitSentences(text: string, protect: Span[] = protectedSpans(text)): Span[] {
  const result: Span[] = [];
  let start = skipSpace(text, 0);
  let i = start;
  let spanCursor = 0;
  const unprotected = (offset: number) => {
    const found = protectedAt(protect, offset, spanCursor);
    spanCursor = found.next;
    return !found.inside;
  };
  while (i < text.length) {
    const ch = text[i];
    if ((ch === '.' || ch === '!' || ch === '?' || ch === '…') && unprotected(i)) {
      let end = i + 1;
      while (end < text.length && (text[end] === '.' || text[end] === '!' || text[end] === '?')) end++;
      while (end < text.length && CLOSERS.has(text[end])) end++;
      // markers and their trailing punctuation stay with the sentence they annotate
      let marker: RegExpExecArray | null;
      const markerPattern = /^\[\^[^\]\s]+\]/;
      while ((marker = markerPattern.exec(text.slice(end, end + 64)))) end += marker[0].length;
      if (end >= text.length || /\s/.test(text[end])) {
        const next = skipSpace(text, end);
        if (next >= text.length || (startsSentence(text, next) && !endsWithAbbreviation(text, start, i))) {
          if (end > start) result.push({ start, end });
          start = next;
          i = next;
          continue;
        }
      }
      i = end;
      continue;
    }
    i++;
  }
  const tailEnd = trimEnd(text, text.length);
  if (tailEnd > start) result.push({ start, end: tailEnd });
  return result;
}

function skipSpace(text: string, offset: number): number {
  while (offset < text.length && /\s/.test(text[offset])) offset++;
  return offset;
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

function startsSentence(text: string, offset: number): boolean {
  const ch = text[offset];
  if (/[\p{Lu}\p{N}]/u.test(ch)) return true;
  if ('"“‘\'*_[(`<'.includes(ch)) {
    // look through opening punctuation to the first letter
    const rest = /^[\s"“‘'*_\[(`<]*(.)/u.exec(text.slice(offset, offset + 12));
    return !!rest && !/\p{Ll}/u.test(rest[1]);
  }
  return false;
}

function endsWithAbbreviation(text: string, sentenceStart: number, dot: number): boolean {
  if (text[dot] !== '.') return false;
  const before = text.slice(Math.max(sentenceStart, dot - 12), dot);
  const found = /([\p{L}.]+)$/u.exec(before);
  const word = found?.[1]?.toLowerCase();
  if (!found || !word) return false;
  // "a.b.c" at the end of a path or URL is not an abbreviation: a standalone one follows a space or an opening mark
  const precedingChar = before[found.index - 1];
  if (precedingChar !== undefined && !/[\s("'“‘\[*_]/u.test(precedingChar)) return false;
  if (ABBREVIATIONS.has(word)) return true;
  if (/^\p{L}$/u.test(word) && /\p{Lu}/u.test(text[dot - 1])) return true; // an initial: "J. Smith"
  return /^(\p{L}\.)+\p{L}$/u.test(word); // dotted abbreviations: U.S., a.m.
}
