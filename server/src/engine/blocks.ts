import { readFrontMatter } from './recognition';
import type { Span } from './text';

export interface RawBlock extends Span {
  /** `frontmatter` is the YAML block at the start of a file: it is kept (positions stay right) but never read as Markdown. */
  kind: 'markdown' | 'commentary' | 'frontmatter';
  text: string;
  /**
   * The block is a piece of a huge list or quote cut for size (BIG_CONTAINER): joined with the
   * piece before it, remark would read one container again, so it is parsed on its own.
   */
  continuesContainer?: boolean;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const ADMONITION = /^(?:!!!|\?\?\?\+?)[ \t]+\S/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE_LINE = /^ {0,3}>/;
const BLANK_QUOTE_LINE = /^ {0,3}>[ \t>]*$/;
/**
 * A list or block quote longer than this is cut between two of its top-level items (list items, or
 * paragraphs of the quote): remark's container tokenizer takes time quadratic in the lines of one
 * container, and a 10 MB list took minutes. Each piece parses as a list (quote) of its own; the
 * items, their sentences and links are the same.
 */
const BIG_CONTAINER = 8 * 1024;

/**
 * Cuts a Markdown document into independent top-level blocks at places where CommonMark cannot
 * carry state across: a non-indented line after a blank line, an ATX heading, or a fence, never
 * inside a fence or an HTML comment. Parsing each block on its own gives the same tree as parsing
 * the whole, and lets an edit re-parse only the blocks whose text changed.
 *
 * Splitting is a forward scan whose state is the same at every block start, so it may begin at
 * any block start (`from`) and may stop at the first boundary where `stopAt` says the rest is known
 * (an edit's caller reuses the blocks after the edited window from there).
 */
export function splitBlocks(text: string, from = 0, stopAt?: (offset: number) => boolean): RawBlock[] {
  const blocks: RawBlock[] = [];
  let blockStart = from;
  let blockKind = 'markdown' as RawBlock['kind'];
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  let previousBlank = true;
  let previousLine = '';
  /** What the current block is when it starts with a list item or a quote line: where it may be cut if huge. */
  let container: 'list' | 'quote' | undefined;
  /** A fence inside a block quote (the splitter's `fence` only sees fences outside quotes). */
  let quotedFence: string | undefined;
  let blockContinues = false;
  let pos = from;
  // YAML front matter opens the file only: at the document start (after a BOM)
  if (from === 0 || (from === 1 && text.charCodeAt(0) === 0xfeff)) {
    const frontMatter = readFrontMatter(text, from);
    if (frontMatter) {
      blocks.push({ start: from, end: frontMatter.end, kind: 'frontmatter', text: text.slice(from, frontMatter.end) });
      if (stopAt?.(frontMatter.end)) return blocks;
      blockStart = pos = frontMatter.end;
    }
  }

  /** Ends the current block at `at`; true when the caller asked to stop at this boundary. */
  const cut = (at: number, nextKind: RawBlock['kind']): boolean => {
    if (at > blockStart) {
      const block: RawBlock = { start: blockStart, end: at, kind: blockKind, text: text.slice(blockStart, at) };
      if (blockContinues) block.continuesContainer = true;
      blocks.push(block);
      if (stopAt?.(at)) return true;
    }
    blockContinues = false;
    blockStart = at;
    blockKind = nextKind;
    return false;
  };

  // a lone \r ends a line too (old Mac line endings), as in CommonMark: read as one line, a file of
  // them was one block, and remark took minutes over 80 KB. Searched for again only once passed, so
  // a file without \r costs one search.
  let carriageReturn = text.indexOf('\r', pos);
  while (pos < text.length) {
    if (carriageReturn >= 0 && carriageReturn < pos) carriageReturn = text.indexOf('\r', pos);
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    if (carriageReturn >= 0 && carriageReturn < lineEnd) lineEnd = carriageReturn;
    const next =
      lineEnd >= text.length
        ? text.length
        : text.charCodeAt(lineEnd) === 13 && text.charCodeAt(lineEnd + 1) === 10
          ? lineEnd + 2
          : lineEnd + 1;
    const line = text.slice(pos, lineEnd);
    const blank = line.trim() === '';

    if (fence) {
      const close = FENCE_OPEN.exec(line);
      // CommonMark: a closing fence is indented at most 3 spaces; one indented further is content
      if (
        close &&
        close[1].length <= 3 &&
        !close[1].includes('\t') &&
        close[2][0] === fence.char &&
        close[2].length >= fence.length &&
        close[3].trim() === ''
      )
        fence = undefined;
    } else if (inComment) {
      if (line.includes('-->')) inComment = false;
    } else {
      if (
        container &&
        !blank &&
        blockKind === 'markdown' &&
        pos - blockStart >= BIG_CONTAINER &&
        (container === 'list'
          ? LIST_ITEM.test(line) && !THEMATIC_BREAK.test(line)
          : !quotedFence && /^>/.test(line) && BLANK_QUOTE_LINE.test(previousLine) && !BLANK_QUOTE_LINE.test(line))
      ) {
        if (cut(pos, 'markdown')) return blocks;
        blockContinues = true;
      }
      const indented = /^\s/.test(line);
      if (blockKind === 'commentary' && !blank && !indented && cut(pos, 'markdown')) return blocks;
      const fenceOpen = FENCE_OPEN.exec(line);
      const startsBlock =
        !blank && !indented && (previousBlank || ATX_HEADING.test(line) || !!fenceOpen || ADMONITION.test(line));
      if (startsBlock && blockKind === 'markdown') {
        if (cut(pos, ADMONITION.test(line) ? 'commentary' : 'markdown')) return blocks;
      } else if (startsBlock && ADMONITION.test(line) && cut(pos, 'commentary')) return blocks;
      if (fenceOpen && !(fenceOpen[2][0] === '`' && fenceOpen[3].includes('`'))) {
        fence = { char: fenceOpen[2][0], length: fenceOpen[2].length };
      } else if (blockKind !== 'commentary') {
        const open = line.lastIndexOf('<!--');
        if (open >= 0 && line.indexOf('-->', open + 4) < 0) inComment = true;
      }
      if (pos === blockStart) {
        container =
          LIST_ITEM.test(line) && !THEMATIC_BREAK.test(line) ? 'list' : QUOTE_LINE.test(line) ? 'quote' : undefined;
        quotedFence = undefined;
      }
      if (container === 'quote' && QUOTE_LINE.test(line)) {
        const quoted = FENCE_OPEN.exec(line.replace(/^(?: {0,3}>[ \t]?)+/, ''));
        if (quoted && (!quotedFence || quoted[2].startsWith(quotedFence)))
          quotedFence = quotedFence ? undefined : quoted[2];
      }
    }
    previousBlank = blank;
    previousLine = line;
    pos = next;
  }
  cut(text.length, 'markdown');
  return blocks;
}
