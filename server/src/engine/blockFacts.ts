import type { Nodes, Parent, Root } from 'mdast';
import { parseMarkdown } from './markdown';
import type { HeadingAttribute, Marker, Reference, Transcript } from './model';
import { parseTranscript } from './transcript';
import { protectedSpans, splitSentences } from './sentences';
import { FOOTNOTE_DEFINITION, type Span } from './text';
import type { RawBlock } from './blocks';

/** What one block contributes to the spec model, with offsets relative to the block's start. */
export interface BlockFacts {
  headings: HeadingFact[];
  prose: ProseFact[];
  exampleTitles: { title: string; span: Span }[];
  fences: FenceFact[];
  references: Reference[];
  markers: Marker[];
  comments: { text: string; span: Span }[];
  /** Ids of GFM footnote definitions (`[^id]: text`) in the block: their `[^id]` uses are footnotes. */
  footnotes: string[];
  commentary?: { kind: string; title: string; span: Span; bodySpan: Span };
  /** The block could not be read: the reader threw (reported as internal-error; the block yields nothing else). */
  problems?: import('./isolation').InternalProblem[];
  /** The order in which headings, example titles, fences and prose appear. */
  order: { kind: 'heading' | 'exampleTitle' | 'fence' | 'prose'; index: number }[];
}

export interface HeadingFact {
  level: number;
  title: string;
  titleSpan: Span;
  span: Span;
  id?: string;
  idSpan?: Span;
  attributes: HeadingAttribute[];
}

export interface ProseFact {
  span: Span;
  listItem: boolean;
  requirementId?: string;
  sentences: { span: Span; text: string; plain: string; markers: Marker[]; tableCell?: boolean }[];
}

export interface FenceFact {
  lang: string;
  /** Parsed once per block text; offsets relative to the block like everything else here. */
  transcript?: Transcript;
  span: Span;
  contentSpan: Span;
  fenced: boolean;
}

// an unquoted value holds no quote: a value that could be read both ways took exponential time
const HEADING_ATTRIBUTES = /\{\s*#([^\s}]+)((?:\s+[^\s=}]+=(?:"[^"]*"|[^\s}"]*))*)\s*\}\s*#*\s*$/;
const ATTRIBUTE = /([^\s=}]+)=("[^"]*"|[^\s}]*)/g;
export const TRANSCRIPT_LANGS = new Set(['xml', 'transcript', 'chat', '']);
const EXAMPLE_TITLE = /^\*\*Example\*\*\s*:\s*|^\*\*Example:\*\*\s*/;
const MARKER = /\[\^([^\]\s]+)\]/g;
const REQUIREMENT_ID =
  /^(?:\*\*|__)?([A-Z][A-Z0-9]{0,9}(?:[-_.][A-Z0-9]+)*[-_.]?\d+[a-z]?)(?:\*\*|__)?\s*(?:[:.)]|\s[-–—])(?=\s|$)/;
const LINK = /\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;

export function extractBlockFacts(block: RawBlock): BlockFacts {
  if (block.kind === 'frontmatter') return emptyBlockFacts();
  const facts = blockFactsWithFootnotes(block.text);
  if (block.kind === 'commentary') extractCommentary(block.text, facts);
  else extractMarkdown(block.text, facts);
  return facts;
}

function extractCommentary(text: string, facts: BlockFacts) {
  const firstLineEnd = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
  const head = /^(?:!!!|\?\?\?\+?)[ \t]+([\w-]+)(?:[ \t]+"([^"]*)")?/.exec(text.slice(0, firstLineEnd));
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  facts.commentary = {
    kind: head?.[1] ?? 'note',
    title: head?.[2] ?? '',
    span: { start: 0, end },
    bodySpan: { start: Math.min(firstLineEnd + 1, end), end },
  };
  addComments(facts, text, 0);
  // The body is indented Markdown that CommonMark would read as code: read its paragraphs as prose.
  for (const paragraph of text.slice(firstLineEnd).matchAll(/(?:^|\n)((?:[ \t]+\S[^\n]*(?:\n|$))+)/g)) {
    const start = firstLineEnd + paragraph.index! + paragraph[0].indexOf(paragraph[1]);
    const raw = paragraph[1].replace(/\s+$/, '');
    addProse(facts, raw, start, false);
    addLinks(facts, raw, start);
  }
}

function extractMarkdown(text: string, facts: BlockFacts) {
  let tree: Root;
  try {
    tree = parseMarkdown(forParser(text));
  } catch {
    return; // micromark does not throw on any input we know of; a block that fails is skipped, not fatal
  }
  readTree(tree.children, text, 0, facts);
}

/** What the Markdown parser reads: the same length and offsets as the source (see capNesting, maskMarkers). */
function forParser(text: string): string {
  return maskMarkers(capNesting(text));
}

/** Blocks read with one parser call; the parser's cost per call is about that of a 100-character block. */
const BATCH_BLOCKS = 32;
const BATCH_CHARACTERS = 64 * 1024;

/**
 * The facts of many blocks, as extractBlockFacts gives them one by one, with far fewer parser
 * calls: runs of Markdown blocks are joined and parsed once, and the top-level nodes are handed
 * back to the block they lie in. Blocks are cut where CommonMark carries no state across, so the
 * joined parse is the separate parses side by side; should a node ever straddle two blocks (a
 * lazy continuation line, an HTML block the splitter does not know), that run is read block by
 * block instead. A test compares both ways on every block of the corpora.
 */
export function extractManyBlockFacts(blocks: readonly RawBlock[]): BlockFacts[] {
  const result: BlockFacts[] = new Array(blocks.length);
  let run: number[] = [];
  let runLength = 0;
  const flush = () => {
    if (run.length === 1) result[run[0]] = extractBlockFacts(blocks[run[0]]);
    else if (run.length) readRun(blocks, run, result);
    run = [];
    runLength = 0;
  };
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    // only Markdown blocks that end a line can be joined (the last block of a file may not)
    if (block.kind !== 'markdown' || !block.text.endsWith('\n')) {
      flush();
      result[i] = extractBlockFacts(block);
      continue;
    }
    if (run.length >= BATCH_BLOCKS || runLength + block.text.length > BATCH_CHARACTERS || block.continuesContainer)
      flush();
    run.push(i);
    runLength += block.text.length;
  }
  flush();
  return result;
}

function readRun(blocks: readonly RawBlock[], run: number[], result: BlockFacts[]) {
  const starts: number[] = [];
  let joined = '';
  for (const index of run) {
    starts.push(joined.length);
    joined += blocks[index].text;
  }
  let tree: Root | undefined;
  try {
    tree = parseMarkdown(forParser(joined));
  } catch {
    tree = undefined;
  }
  // hand each top-level node to its block; any node that crosses a block boundary voids the run
  const children: Nodes[][] = run.map(() => []);
  let b = 0;
  for (const node of tree?.children ?? []) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    while (b + 1 < run.length && start >= starts[b + 1]) b++;
    const blockEnd = b + 1 < run.length ? starts[b + 1] : joined.length;
    if (end > blockEnd) {
      tree = undefined;
      break;
    }
    children[b].push(node);
  }
  run.forEach((index, i) => {
    if (!tree) {
      result[index] = extractBlockFacts(blocks[index]);
      return;
    }
    const block = blocks[index];
    const facts = blockFactsWithFootnotes(block.text);
    readTree(children[i], block.text, starts[i], facts);
    result[index] = facts;
  });
}

/**
 * The facts of a block before its tree is read, with the footnote definitions it holds: they are read
 * by line from the raw text, whatever the block is (even inside a fence).
 */
export function blockFactsWithFootnotes(text: string): BlockFacts {
  const facts = emptyBlockFacts();
  for (const definition of text.matchAll(FOOTNOTE_DEFINITION)) facts.footnotes.push(definition[1]);
  return facts;
}

export function emptyBlockFacts(): BlockFacts {
  return {
    headings: [],
    prose: [],
    exampleTitles: [],
    fences: [],
    references: [],
    markers: [],
    comments: [],
    footnotes: [],
    order: [],
  };
}

/**
 * A line that could open or interrupt a block (heading, quote, list item, fence, HTML, thematic
 * break, setext underline) or start a link reference definition: a block with one of these inside
 * is left to remark.
 */
const BLOCK_SYNTAX =
  /^ {0,3}(?:#{1,6}(?: |$)|>|[-*+](?: |$)|\d{1,9}[.)](?: |$)|`{3}|~{3}|<|\[|=+ *$|-+ *$|(?:[-*_] *){3,}$)/;
/** A list item's first line: indent, then a bullet or a number with its delimiter, one space, content. */
const LIST_LINE = /^( *)(?:([-*+])|(\d{1,9})([.)])) (?=\S)/;
const PLAIN_HEADING = /^(#{1,6}) +(?=\S)/;
/** An inline link with simple text and destination: no brackets, code, escapes, entities or emphasis marks inside. */
const SIMPLE_LINK = /\[([^[\]\n`\\<>&*_!]*)\]\(([^()\s<>\\&`]*)\)/g;

/**
 * The facts of a block of plain Markdown, read without remark: one ATX heading, one paragraph, a
 * tight list of one-line items (nested lists too), or a block quote of paragraphs, whose inline
 * content has at most emphasis, code spans and simple `[text](url)` links. These
 * are what large specs are mostly made of, and remark-parse costs about 2 s a megabyte (more as a
 * batch grows), so a 10 MB file would take far longer than its budget. Anything less plain returns
 * undefined and goes through remark; the facts are read from the same tree shapes remark would give
 * (see readTree), and a test checks that this matches remark on every block of the corpora.
 */
export function plainBlockFacts(block: RawBlock): BlockFacts | undefined {
  if (block.kind !== 'markdown') return undefined;
  const text = block.text;
  if (text.includes('\r') || text.includes('\t')) return undefined;
  // the content lines, then nothing but blank lines
  let contentEnd = text.length;
  while (contentEnd > 0 && (text.charCodeAt(contentEnd - 1) === 10 || text.charCodeAt(contentEnd - 1) === 32))
    contentEnd--;
  if (contentEnd === 0) return undefined;
  contentEnd = text.indexOf('\n', contentEnd);
  if (contentEnd < 0) contentEnd = text.length;
  const lines: Span[] = [];
  for (let start = 0; start < contentEnd;) {
    let end = text.indexOf('\n', start);
    if (end < 0 || end > contentEnd) end = contentEnd;
    // a blank line inside, or trailing spaces (a hard break, or where remark ends a node) are left to remark
    if (end === start || text.charCodeAt(end - 1) === 32) return undefined;
    lines.push({ start, end });
    start = end + 1;
  }
  const first = text.slice(lines[0].start, lines[0].end);
  const nodes: Nodes[] = [];
  const heading = PLAIN_HEADING.exec(first);
  if (heading) {
    if (lines.length > 1 || /[[<]/.test(first) || /^#+$/.test(first.slice(heading[0].length))) return undefined;
    nodes.push({
      type: 'heading',
      depth: heading[1].length as 1,
      children: [],
      position: nodePosition(0, lines[0].end),
    });
  } else if (LIST_LINE.test(first)) {
    const list = plainList(text, lines);
    if (!list) return undefined;
    nodes.push(list);
  } else if (first.startsWith('>')) {
    const quote = plainQuote(text, lines);
    if (!quote) return undefined;
    nodes.push(quote);
  } else {
    const paragraph = plainParagraph(text, lines);
    if (!paragraph) return undefined;
    nodes.push(paragraph);
  }
  const facts = blockFactsWithFootnotes(text);
  readTree(nodes, text, 0, facts);
  return facts;
}

/** One list of a tight list being read: its indent, its kind of marker, and its last item so far. */
interface OpenList {
  indent: number;
  /** `-`, `*` or `+` for a bullet list; `.` or `)` for an ordered one. */
  marker: string;
  node: { children: Nodes[] };
  /** The column where the last item's content starts: a nested list is indented exactly that far. */
  contentColumn: number;
  lastItem?: { children: Nodes[] };
}

/**
 * A tight list whose every line is an item, nested lists indented exactly to their parent item's
 * content (as editors and formatters write them), or undefined for any other shape: lazy
 * continuation lines, loose items, siblings with different markers or indents are left to remark.
 */
function plainList(text: string, lines: Span[]): Nodes | undefined {
  const open: OpenList[] = [];
  let root: Nodes | undefined;
  for (const line of lines) {
    const item = LIST_LINE.exec(text.slice(line.start, line.end));
    if (!item) return undefined;
    const indent = item[1].length;
    const marker = item[2] ?? item[4];
    while (open.length && indent < open[open.length - 1].indent) open.pop();
    let list = open[open.length - 1];
    if (list && indent === list.indent) {
      if (marker !== list.marker) return undefined; // another marker starts another list
    } else {
      // the first line opens the list; a deeper line opens a list inside the last item
      if (list ? indent !== list.contentColumn : indent !== 0) return undefined;
      // a nested list interrupts its item's paragraph: CommonMark lets an ordered one do that only from 1
      if (list && item[3] !== undefined && item[3] !== '1') return undefined;
      const node = {
        type: 'list',
        ordered: item[3] !== undefined,
        spread: false,
        children: [] as Nodes[],
        position: nodePosition(line.start, line.end),
      } as Nodes & { children: Nodes[] };
      if (list) list.lastItem!.children.push(node);
      else root = node;
      list = { indent, marker, node, contentColumn: 0 };
      open.push(list);
    }
    const paragraph = plainParagraph(text, [{ start: line.start + item[0].length, end: line.end }]);
    if (!paragraph) return undefined;
    const listItem = {
      type: 'listItem',
      spread: false,
      children: [paragraph],
      position: nodePosition(line.start, line.end),
    } as Nodes & { children: Nodes[] };
    list.node.children.push(listItem);
    list.lastItem = listItem;
    list.contentColumn = item[0].length;
  }
  return root;
}

/**
 * A block quote whose every line is `> text` or a bare `>`, holding plain paragraphs, or undefined:
 * nested quotes, lists and code inside, lazy continuation lines are left to remark.
 */
function plainQuote(text: string, lines: Span[]): Nodes | undefined {
  const paragraphs: Nodes[] = [];
  let run: Span[] = [];
  const flush = () => {
    if (!run.length) return true;
    const paragraph = plainParagraph(text, run);
    run = [];
    if (!paragraph) return false;
    paragraphs.push(paragraph);
    return true;
  };
  for (const line of lines) {
    if (line.end - line.start === 1 && text.charCodeAt(line.start) === 62 /* > */) {
      if (!flush()) return undefined;
      continue;
    }
    // `> ` then content that does not start with a space (that would be indented code, or a list's continuation)
    if (!text.startsWith('> ', line.start) || text.charCodeAt(line.start + 2) === 32) return undefined;
    run.push({ start: line.start + 2, end: line.end });
  }
  if (!flush()) return undefined;
  return {
    type: 'blockquote',
    children: paragraphs as never,
    position: nodePosition(0, lines[lines.length - 1].end),
  };
}

/** A paragraph over `lines` with the links remark would find in it, or undefined when it is not plain. */
function plainParagraph(text: string, lines: Span[]): Nodes | undefined {
  for (const line of lines) if (BLOCK_SYNTAX.test(text.slice(line.start, line.end))) return undefined;
  const start = lines[0].start;
  const end = lines[lines.length - 1].end;
  if (text.charCodeAt(start) === 32) return undefined; // indented: maybe code, or a list item's continuation
  const masked = maskCodeSpans(maskMarkers(text.slice(start, end)));
  if (masked === undefined || masked.includes('<')) return undefined; // inline HTML, comments or autolinks
  const links: Nodes[] = [];
  if (masked.includes('[') || masked.includes(']')) {
    if (/\\|!\[/.test(masked)) return undefined; // escapes decide what a bracket is
    let brackets = 0;
    for (let i = 0; i < masked.length; i++) if (masked[i] === '[' || masked[i] === ']') brackets++;
    for (const link of masked.matchAll(SIMPLE_LINK)) {
      brackets -= 2;
      const at = start + link.index!;
      const textStart = at + 1;
      links.push({
        type: 'link',
        url: link[2],
        children: link[1]
          ? [{ type: 'text', value: link[1], position: nodePosition(textStart, textStart + link[1].length) }]
          : [],
        position: nodePosition(at, at + link[0].length),
      });
    }
    if (brackets !== 0) return undefined; // a bracket that is not part of a simple link
  }
  return { type: 'paragraph', children: links as never, position: nodePosition(start, end) };
}

const BACKTICKS = /`+/g;

/**
 * The text with the content of every code span replaced by `x` (same length; the backticks stay, so
 * a link with code in its text is left to remark), or undefined when a code span cannot be told for
 * sure without remark: an escape near a backtick, or a `<` in a span that may open an HTML tag or
 * autolink running past the span's end (CommonMark lets those win over the code span).
 */
function maskCodeSpans(text: string): string | undefined {
  if (!text.includes('`')) return text;
  if (text.includes('\\')) return undefined;
  const runs = [...text.matchAll(BACKTICKS)].map((run) => ({ start: run.index!, length: run[0].length }));
  let masked = '';
  let copied = 0;
  for (let i = 0; i < runs.length; i++) {
    // a run opens a span closed by the next run of the same length; a run with no such partner is literal
    let close = i + 1;
    while (close < runs.length && runs[close].length !== runs[i].length) close++;
    if (close === runs.length) continue;
    const contentStart = runs[i].start + runs[i].length;
    const contentEnd = runs[close].start;
    const content = text.slice(contentStart, contentEnd);
    for (let lt = content.indexOf('<'); lt >= 0; lt = content.indexOf('<', lt + 1))
      if (content.indexOf('>', lt) < 0) return undefined;
    masked += text.slice(copied, contentStart) + content.replace(/[^\n]/g, 'x');
    copied = contentEnd;
    i = close;
  }
  return masked + text.slice(copied);
}

function nodePosition(start: number, end: number) {
  // readTree reads offsets only
  return { start: { line: 0, column: 0, offset: start }, end: { line: 0, column: 0, offset: end } };
}

/**
 * Reads the facts of a block from its top-level nodes. Node offsets are `base` past the start of
 * `text` (a block parsed together with the blocks before it); facts are relative to `text`.
 */
function readTree(roots: readonly Nodes[], text: string, base: number, facts: BlockFacts) {
  // An explicit stack, not recursion: 3,000 nested `>` or list markers must not overflow the call stack.
  const pending: { node: Nodes; listItem: boolean }[] = [];
  const later = (children: readonly Nodes[], listItem: boolean) => {
    for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i], listItem });
  };
  const visit = (node: Nodes, listItem: boolean) => {
    const position = node.position;
    if (!position || position.start.offset === undefined || position.end.offset === undefined) return;
    const start = position.start.offset - base;
    const end = position.end.offset - base;
    switch (node.type) {
      case 'heading': {
        facts.order.push({ kind: 'heading', index: facts.headings.length });
        facts.headings.push(readHeading(text, node.depth, start, end));
        collectLinks(node, text, base, facts);
        collectInlineComments(node, text, base, facts);
        return;
      }
      case 'paragraph': {
        const raw = text.slice(start, end);
        const example = EXAMPLE_TITLE.exec(raw);
        if (example) {
          facts.order.push({ kind: 'exampleTitle', index: facts.exampleTitles.length });
          facts.exampleTitles.push({
            title: raw.slice(example[0].length).replace(/\s+/g, ' ').trim(),
            span: { start, end },
          });
          collectLinks(node, text, base, facts);
          collectInlineComments(node, text, base, facts);
          return;
        }
        addProse(facts, raw, start, listItem);
        collectLinks(node, text, base, facts);
        collectInlineComments(node, text, base, facts);
        return;
      }
      case 'code': {
        const raw = text.slice(start, end);
        const fenced = /^\s*(`{3,}|~{3,})/.test(raw);
        let contentStart = start;
        let contentEnd = end;
        if (fenced) {
          // any line ending: \n, \r\n, or a lone \r (old Mac files)
          const firstBreak = /\r\n?|\n/.exec(raw);
          contentStart = firstBreak ? start + firstBreak.index + firstBreak[0].length : end;
          const lastNewline = Math.max(raw.lastIndexOf('\n'), raw.lastIndexOf('\r'));
          const lastLine = raw.slice(lastNewline + 1);
          contentEnd = lastNewline >= 0 && /^\s*(`{3,}|~{3,})\s*$/.test(lastLine) ? start + lastNewline : end;
          if (contentEnd < contentStart) contentEnd = contentStart;
        }
        facts.order.push({ kind: 'fence', index: facts.fences.length });
        const lang = (node.lang ?? '').toLowerCase();
        const transcript =
          fenced && TRANSCRIPT_LANGS.has(lang)
            ? parseTranscript(text.slice(contentStart, contentEnd), contentStart)
            : undefined;
        facts.fences.push({
          lang,
          transcript,
          span: { start, end },
          contentSpan: { start: contentStart, end: contentEnd },
          fenced,
        });
        return;
      }
      case 'html':
        addComments(facts, text.slice(start, end), start);
        return;
      case 'list':
        later(
          node.children.flatMap((item) => item.children),
          true,
        );
        return;
      case 'blockquote':
        later(node.children, listItem);
        return;
      default:
        if ('children' in node) later((node as Parent).children as Nodes[], listItem);
    }
  };
  later(roots as Nodes[], false);
  while (pending.length) {
    const next = pending.pop()!;
    visit(next.node, next.listItem);
  }
}

/**
 * The text with every `[^id]` marker replaced by letters of the same length, for the Markdown parser
 * only: we read markers from the source ourselves, and micromark merges the text around each failed
 * `[` with an array splice, which made a paragraph of 100,000 markers take minutes (quadratic).
 * A `[^id]:` label that may start a definition is kept: the parser must see the definition.
 */
export function maskMarkers(text: string): string {
  if (!text.includes('[^')) return text;
  return text.replace(/\[\^[^\]\s]+\](?!:)/g, (marker) => 'x'.repeat(marker.length));
}

/** Deeper than this, containers (`>`, list markers) are read as text: no spec nests 32 quotes, and remark's cost grows with the square of the depth. */
const MAX_NESTING = 32;
const DEEP_LINE = new RegExp(`^(?:[ \\t]*(?:>|[-*+](?=[ \\t])|\\d{1,9}[.)](?=[ \\t]))){${MAX_NESTING + 1}}`, 'm');
const CONTAINER_MARKER = /[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/y;

/**
 * The text with container markers beyond MAX_NESTING on a line replaced by spaces (same length, so
 * every offset stays right): 3,000 nested `- ` took remark a minute and a half.
 */
export function capNesting(text: string): string {
  if (!DEEP_LINE.test(text)) return text;
  return text.replace(/^.*$/gm, (line) => {
    CONTAINER_MARKER.lastIndex = 0;
    let depth = 0;
    let end = 0;
    let cut = -1;
    while (CONTAINER_MARKER.exec(line)) {
      depth++;
      if (depth === MAX_NESTING) cut = CONTAINER_MARKER.lastIndex;
      end = CONTAINER_MARKER.lastIndex;
    }
    if (cut < 0) return line;
    return line.slice(0, cut) + ' '.repeat(end - cut) + line.slice(end);
  });
}

/**
 * The `<!-- … -->` comments of a raw block, found with indexOf: a lazy regex searched the rest of the
 * block again from every unclosed `<!--` (200,000 of them took 75 s).
 */
function addComments(facts: BlockFacts, raw: string, start: number) {
  for (let at = raw.indexOf('<!--'); at >= 0;) {
    const close = raw.indexOf('-->', at + 4);
    if (close < 0) break; // no later comment can close either
    facts.comments.push({ text: raw.slice(at + 4, close).trim(), span: { start: start + at, end: start + close + 3 } });
    at = raw.indexOf('<!--', close + 3);
  }
}

/** Comments written inside a paragraph or heading are inline `html` nodes, e.g. a suppression at the end of a line. */
function collectInlineComments(node: Nodes, text: string, base: number, facts: BlockFacts) {
  for (const n of descendants(node)) {
    if (n.type === 'html' && n.position?.start.offset !== undefined && n.position.end.offset !== undefined) {
      addComments(
        facts,
        text.slice(n.position.start.offset - base, n.position.end.offset - base),
        n.position.start.offset - base,
      );
    }
  }
}

/**
 * Where a line ends once the HTML comments at its end (and the spaces around them) are left off:
 * read from the end, one comment at a time. (A regex whose lazy comment body could also span
 * several comments took time exponential in their number.) A comment ends at its first `-->`.
 */
function withoutTrailingComments(line: string): number {
  const spaceBefore = (at: number) => {
    while (at > 0 && (line[at - 1] === ' ' || line[at - 1] === '\t')) at--;
    return at;
  };
  let end = line.length;
  for (;;) {
    const close = spaceBefore(end) - 3;
    if (close < 0 || !line.startsWith('-->', close)) return end;
    const open = line.lastIndexOf('<!--', close);
    if (open < 0 || open + 4 > close || line.slice(open + 4, close).includes('-->')) return end;
    end = spaceBefore(open);
  }
}

function readHeading(text: string, level: number, start: number, end: number): HeadingFact {
  // a comment at the end of the heading line (a suppression, a note) is neither title nor attributes
  const full = text.slice(start, end);
  const raw = full.slice(0, withoutTrailingComments(full));
  const hashes = /^\s*#{1,6}[ \t]*/.exec(raw)?.[0].length ?? 0;
  const attrs = HEADING_ATTRIBUTES.exec(raw);
  const titleEndRel = attrs ? attrs.index : raw.replace(/[ \t]+#+[ \t]*$/, '').length;
  const titleRaw = raw.slice(hashes, titleEndRel);
  const title = titleRaw.trim();
  const titleStart = start + hashes + (titleRaw.length - titleRaw.trimStart().length);
  const heading: HeadingFact = {
    level,
    title,
    titleSpan: { start: titleStart, end: titleStart + title.length },
    span: { start, end },
    attributes: [],
  };
  if (attrs) {
    const attrStart = start + attrs.index;
    const idStart = attrStart + attrs[0].indexOf('#') + 1;
    heading.id = attrs[1];
    heading.idSpan = { start: idStart, end: idStart + attrs[1].length };
    const listStart = attrStart + attrs[0].indexOf(attrs[2], attrs[0].indexOf('#') + 1 + attrs[1].length);
    for (const attr of attrs[2].matchAll(ATTRIBUTE)) {
      const attrOffset = listStart + attr.index!;
      const valueOffset = attrOffset + attr[1].length + 1;
      heading.attributes.push({
        key: attr[1],
        value: attr[2].replace(/^"|"$/g, ''),
        span: { start: attrOffset, end: attrOffset + attr[0].length },
        valueSpan: { start: valueOffset, end: valueOffset + attr[2].length },
      });
    }
  }
  return heading;
}

function addProse(facts: BlockFacts, raw: string, start: number, listItem: boolean) {
  const protect = protectedSpans(raw);
  const markers: Marker[] = [];
  // backticks before each marker, counted as the scan moves on: one pass for 100,000 markers
  let ticks = 0;
  let counted = 0;
  for (const match of raw.matchAll(MARKER)) {
    for (; counted < match.index!; counted++) if (raw.charCodeAt(counted) === 96 /* ` */) ticks++;
    if (ticks % 2 === 1) continue; // inside inline code
    if (isFootnoteDefinitionLabel(raw, match.index!, match[0].length)) continue;
    const marker = {
      id: match[1],
      span: { start: start + match.index!, end: start + match.index! + match[0].length },
      idSpan: { start: start + match.index! + 2, end: start + match.index! + 2 + match[1].length },
    };
    markers.push(marker);
    facts.markers.push(marker);
  }
  const requirement = REQUIREMENT_ID.exec(raw);
  const fact: ProseFact = {
    span: { start, end: start + raw.length },
    listItem,
    requirementId: requirement?.[1],
    sentences: [],
  };
  const spans = boundSentences(raw, requirement ? [{ start: 0, end: raw.trimEnd().length }] : proseSpans(raw, protect));
  // sentences and markers are both in document order: walk them together
  let nextMarker = 0;
  for (const span of spans) {
    const text = raw.slice(span.start, span.end);
    const absolute = { start: start + span.start, end: start + span.end };
    while (nextMarker < markers.length && markers[nextMarker].span.start < absolute.start) nextMarker++;
    const own: Marker[] = [];
    for (let m = nextMarker; m < markers.length && markers[m].span.start < absolute.end; m++) own.push(markers[m]);
    fact.sentences.push({
      span: absolute,
      text,
      plain: toPlain(text),
      markers: own,
      ...(span.tableCell ? { tableCell: true } : {}),
    });
  }
  facts.order.push({ kind: 'prose', index: facts.prose.length });
  facts.prose.push(fact);
}

/**
 * The sentence spans of a paragraph. A GFM table in it (a header row, a delimiter row such as
 * `|---|:--:|`, then rows) is cells, not prose: each cell is read as its own sentence(s), so a
 * 50,000-row table is 100,000 short sentences rather than one sentence of 50,000 lines.
 * (CommonMark, which we parse with, reads a table as a paragraph.)
 */
function proseSpans(raw: string, protect: Span[]): (Span & { tableCell?: boolean })[] {
  // cheap test first: a paragraph without a pipe and a dash holds no table
  if (!raw.includes('|') || !raw.includes('-')) return splitSentences(raw, protect);
  const lines = lineSpans(raw);
  const delimiter = lines.findIndex((line) => TABLE_DELIMITER_ROW.test(raw.slice(line.start, line.end).trim()));
  // on the first line it is a setext heading underline or a rule; a table needs a header row with a pipe
  if (delimiter <= 0 || !raw.slice(lines[delimiter - 1].start, lines[delimiter - 1].end).includes('|'))
    return splitSentences(raw, protect);
  const headerStart = lines[delimiter - 1].start;
  const spans: (Span & { tableCell?: boolean })[] = headerStart > 0 ? splitSentences(raw.slice(0, headerStart)) : [];
  for (let i = delimiter - 1; i < lines.length; i++) {
    if (i === delimiter) continue;
    for (const cell of tableCells(raw, lines[i].start, lines[i].end)) {
      for (const sentence of splitSentences(raw.slice(cell.start, cell.end)))
        spans.push({ start: cell.start + sentence.start, end: cell.start + sentence.end, tableCell: true });
    }
  }
  return spans;
}

/** The lines of a text without their line endings: \n, \r\n (Windows) or a lone \r (old Mac files). */
function lineSpans(text: string): Span[] {
  const lines: Span[] = [];
  let start = 0;
  for (const lineBreak of text.matchAll(/\r\n?|\n/g)) {
    lines.push({ start, end: lineBreak.index });
    start = lineBreak.index + lineBreak[0].length;
  }
  lines.push({ start, end: text.length });
  return lines;
}

/**
 * A GFM delimiter row, its line trimmed: cells of dashes with optional alignment colons, at least one
 * pipe. (Spaces outside the row are trimmed, not matched: both ends matching them made a long run of
 * spaces cost its square.)
 */
const TABLE_DELIMITER_ROW =
  /^(?:\|[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?|:?-+:?[ \t]*\|[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?)$/;

/** The cells of one table row, trimmed: split at pipes that are neither escaped (`\|`) nor inside inline code. */
function tableCells(raw: string, lineStart: number, lineEnd: number): Span[] {
  const cells: Span[] = [];
  let cellStart = lineStart;
  let inCode = false;
  const push = (end: number) => {
    let start = cellStart;
    while (start < end && /\s/.test(raw[start])) start++;
    while (end > start && /\s/.test(raw[end - 1])) end--;
    if (end > start) cells.push({ start, end });
  };
  for (let i = lineStart; i < lineEnd; i++) {
    const ch = raw[i];
    if (ch === '`') inCode = !inCode;
    else if (ch === '\\') i++;
    else if (ch === '|' && !inCode) {
      push(i);
      cellStart = i + 1;
    }
  }
  push(lineEnd);
  return cells;
}

/**
 * No sentence is longer than this: the NLP tagger and several rules cost more than linear time in a
 * sentence's length, and a 5 MB line without a full stop must not take minutes. Real sentences are
 * far shorter (the longest in our corpora is about 1,200 characters); a longer run is read in pieces
 * cut at a space, so every part of it is still scanned.
 */
export const MAX_SENTENCE_LENGTH = 3000;

function boundSentences<S extends Span>(raw: string, spans: S[]): S[] {
  if (spans.every((span) => span.end - span.start <= MAX_SENTENCE_LENGTH)) return spans;
  const bounded: S[] = [];
  for (const span of spans) {
    let start = span.start;
    while (span.end - start > MAX_SENTENCE_LENGTH) {
      // cut at the last space before the limit; a run with no space at all is cut at the limit
      const space = raw.lastIndexOf(' ', start + MAX_SENTENCE_LENGTH);
      let end = space > start + MAX_SENTENCE_LENGTH / 2 ? space : start + MAX_SENTENCE_LENGTH;
      // never cut a UTF-16 surrogate pair in two
      if (/[\ud800-\udbff]/.test(raw[end - 1] ?? '')) end--;
      bounded.push({ ...span, start, end });
      start = end;
      while (start < span.end && /\s/.test(raw[start])) start++;
    }
    if (span.end > start) bounded.push({ ...span, start });
  }
  return bounded;
}

/** `[^id]:` at the start of a line labels a footnote's definition; it does not use the footnote. */
function isFootnoteDefinitionLabel(raw: string, at: number, length: number): boolean {
  if (raw[at + length] !== ':') return false;
  const lineStart = raw.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]{0,3}$/.test(raw.slice(lineStart, at));
}

/** Markdown prose to plain text: markers dropped, links to their text, emphasis and code marks removed. */
export function toPlain(text: string): string {
  return text
    .replace(/\[\^[^\]\s]+\]/g, '')
    .replace(/\[\?\]\(#([^)\s]+)\)/g, '"$1"')
    .replace(LINK, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function collectLinks(node: Nodes, text: string, base: number, facts: BlockFacts) {
  for (const n of descendants(node)) {
    if (n.type === 'link' && n.position?.start.offset !== undefined && n.position.end.offset !== undefined) {
      const start = n.position.start.offset - base;
      const end = n.position.end.offset - base;
      const reference = makeReference(
        text.slice(start, end),
        n.url,
        start,
        end,
        n.children.map((c) => ('value' in c ? c.value : '')).join(''),
      );
      if (reference) facts.references.push(reference);
    }
  }
}

/** A node and everything under it, in document order, without recursion (deeply nested input cannot overflow the stack). */
function descendants(root: Nodes): Nodes[] {
  const result: Nodes[] = [];
  const stack: Nodes[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    result.push(node);
    if ('children' in node) {
      const children = (node as Parent).children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return result;
}

function addLinks(facts: BlockFacts, raw: string, start: number) {
  for (const match of raw.matchAll(LINK)) {
    const reference = makeReference(
      match[0],
      match[2],
      start + match.index!,
      start + match.index! + match[0].length,
      match[1],
    );
    if (reference) facts.references.push(reference);
  }
}

function makeReference(raw: string, url: string, start: number, end: number, linkText: string): Reference | undefined {
  const urlAt = raw.lastIndexOf('](') + 2;
  const urlOffset = start + urlAt + (raw.slice(urlAt).length - raw.slice(urlAt).trimStart().replace(/^</, '').length);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    return {
      kind: 'external',
      text: linkText,
      url,
      span: { start, end },
      targetSpan: { start: urlOffset, end: urlOffset + url.length },
    };
  }
  const hash = url.indexOf('#');
  const path = hash < 0 ? url : url.slice(0, hash);
  // `[b](#%)` is malformed percent-encoding: kept as written and reported, never thrown
  let malformed = false;
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      malformed = true;
      return part;
    }
  };
  const id = hash < 0 ? undefined : decode(url.slice(hash + 1));
  const decodedPath = decode(path);
  if (!path && id !== undefined) {
    return {
      kind: 'section',
      text: linkText,
      targetId: id,
      url,
      span: { start, end },
      targetSpan: { start: urlOffset + 1, end: urlOffset + url.length },
      malformed: malformed || undefined,
    };
  }
  if (path && /\.(md|markdown)$/i.test(path)) {
    const idOffset = urlOffset + (hash < 0 ? 0 : hash + 1);
    return {
      kind: 'file',
      text: linkText,
      targetId: id,
      targetPath: decodedPath,
      url,
      span: { start, end },
      targetSpan:
        id !== undefined
          ? { start: idOffset, end: urlOffset + url.length }
          : { start: urlOffset, end: urlOffset + url.length },
      malformed: malformed || undefined,
    };
  }
  return undefined;
}
