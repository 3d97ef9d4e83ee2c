import type { Span } from './text';

export interface RawBlock extends Span {
  kind: 'markdown' | 'commentary';
  text: string;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const ADMONITION = /^(?:!!!|\?\?\?\+?)[ \t]+\S/;

/**
 * Cuts a Markdown document into independent top-level blocks at places where CommonMark cannot
 * carry state across: a non-indented line after a blank line, an ATX heading, or a fence, never
 * inside a fence or an HTML comment. Parsing each block on its own gives the same tree as parsing
 * the whole, and lets an edit re-parse only the blocks whose text changed.
 */
export function splitBlocks(text: string, from = 0): RawBlock[] {
  const blocks: RawBlock[] = [];
  let blockStart = from;
  let blockKind = 'markdown' as RawBlock['kind'];
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  let previousBlank = true;
  let pos = from;

  const cut = (at: number, nextKind: RawBlock['kind']) => {
    if (at > blockStart) blocks.push({ start: blockStart, end: at, kind: blockKind, text: text.slice(blockStart, at) });
    blockStart = at;
    blockKind = nextKind;
  };

  while (pos < text.length) {
    let lineEnd = text.indexOf('\n', pos);
    const next = lineEnd < 0 ? text.length : lineEnd + 1;
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.charCodeAt(lineEnd - 1) === 13 ? text.slice(pos, lineEnd - 1) : text.slice(pos, lineEnd);
    const blank = line.trim() === '';

    if (fence) {
      const close = FENCE_OPEN.exec(line);
      if (close && close[2][0] === fence.char && close[2].length >= fence.length && close[3].trim() === '') fence = undefined;
    } else if (inComment) {
      if (line.includes('-->')) inComment = false;
    } else {
      const indented = /^\s/.test(line);
      if (blockKind === 'commentary' && !blank && !indented) cut(pos, 'markdown');
      const fenceOpen = FENCE_OPEN.exec(line);
      const startsBlock = !blank && !indented && (previousBlank || ATX_HEADING.test(line) || !!fenceOpen || ADMONITION.test(line));
      if (startsBlock && blockKind === 'markdown') cut(pos, ADMONITION.test(line) ? 'commentary' : 'markdown');
      else if (startsBlock && ADMONITION.test(line)) cut(pos, 'commentary');
      if (fenceOpen && !(fenceOpen[2][0] === '`' && fenceOpen[3].includes('`'))) {
        fence = { char: fenceOpen[2][0], length: fenceOpen[2].length };
      } else if (blockKind !== 'commentary') {
        const open = line.lastIndexOf('<!--');
        if (open >= 0 && line.indexOf('-->', open + 4) < 0) inComment = true;
      }
    }
    previousBlank = blank;
    pos = next;
  }
  cut(text.length, 'markdown');
  return blocks;
}
