import type { Position, Range } from 'vscode-languageserver-types';

/** Maps string offsets (UTF-16 code units) to LSP positions and back. */
export class LineIndex {
  private readonly lineStarts: number[];
  /** A lone \r ends a line too (old Mac line endings): then lines are found by a slower scan. */
  private readonly loneCarriageReturn: boolean;

  constructor(
    readonly text: string,
    lineStarts?: number[],
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      this.loneCarriageReturn = false;
      return;
    }
    const starts = [0];
    this.loneCarriageReturn = /\r(?!\n)/.test(text);
    if (this.loneCarriageReturn) {
      // old Mac line endings: a lone \r ends a line too
      for (const match of text.matchAll(/\r\n?|\n/g)) starts.push(match.index! + match[0].length);
    } else {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /**
   * The index of `text`, which is `previous.text` with [start, oldEnd) replaced by [start, newEnd):
   * line starts before the edit are kept, those after it shifted, and only the edit is scanned.
   */
  static afterEdit(previous: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    // a lone \r (old Mac line ending) near the edit could pair up with a \n: rebuild in that rare case
    const nearby =
      text.slice(Math.max(0, start - 1), newEnd + 1) + previous.text.slice(Math.max(0, start - 1), oldEnd + 1);
    if (previous.loneCarriageReturn || nearby.includes('\r')) return new LineIndex(text);
    const old = previous.lineStarts;
    const delta = newEnd - oldEnd;
    // a line start q follows the line break at q - 1: kept when that break is before the edit
    let keep = 0;
    while (keep < old.length && old[keep] <= start) keep++;
    const starts = old.slice(0, keep);
    for (let i = text.indexOf('\n', start); i >= 0 && i < newEnd; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    let after = keep;
    while (after < old.length && old[after] - 1 < oldEnd) after++;
    for (; after < old.length; after++) starts.push(old[after] + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
  }

  /** Offset just past the last character of the line, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Where the line holding `offset` starts: a binary search, where searching back for a line break is O(line). */
  lineStartOf(offset: number): number {
    return this.lineStart(this.positionAt(offset).line);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** A half-open span of string offsets [start, end). */
export interface Span {
  start: number;
  end: number;
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_~\[\]()<>!?.,:;"'’“”]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

/**
 * The anchor GitHub gives a heading: its rendered text (Markdown and HTML markup removed),
 * lower-cased, with everything but letters, digits, marks, `_`, `-` and spaces dropped and each
 * space turned into `-` (so "Policies & Mandatory Rules" is "policies--mandatory-rules").
 * Repeats get -1, -2... in document order; the caller counts them.
 */
export function githubSlug(title: string): string {
  return title
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}])[*_](?=\S)(.+?)(?<=\S)[*_](?=[^\p{L}\p{N}]|$)/gu, '$1$2')
    .replace(/`/g, '')
    .replace(/&(?:[a-z]+|#\d+);/gi, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** decodeURIComponent that never throws: malformed percent-encoding (`%`, `%zz`) stays as written. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A footnote definition line, `[^id]:` (up to three spaces of indent), with the id as group 1. For matchAll. */
export const FOOTNOTE_DEFINITION = /^[ \t]{0,3}\[\^([^\]\s]+)\]:/gm;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text with every lone UTF-16 surrogate replaced by U+FFFD, one code unit for one, so every
 * offset stays. Reading a file as UTF-8 gives the same; an editor's buffer sent over LSP can still
 * hold one, and a lone surrogate in a link or a marker id makes every URI built from it throw.
 */
export function wellFormed(text: string): string {
  const native = text as string & { isWellFormed?: () => boolean; toWellFormed?: () => string };
  if (native.isWellFormed && native.toWellFormed) return native.isWellFormed() ? text : native.toWellFormed();
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
