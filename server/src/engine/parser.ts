import { splitBlocks, type RawBlock } from './blocks';
import {
  blockFactsWithFootnotes,
  emptyBlockFacts,
  extractBlockFacts,
  extractManyBlockFacts,
  plainBlockFacts,
  TRANSCRIPT_LANGS,
  type BlockFacts,
} from './blockFacts';
import { parseTranscript } from './transcript';
import { looksNormative } from './normative';
import { readFrontMatter } from './recognition';
import { describeError, type InternalProblem } from './isolation';
import type { Example, ExampleFileHeader, Section, Sentence, SpecDocument } from './model';
import { githubSlug, LineIndex, slug, wellFormed, type Span } from './text';
import type { Transcript } from './model';
import type { CancellationToken } from './host';

/** Blocks read between two pauses of parseYielding: a few milliseconds of work. */
const YIELD_BLOCKS = 500;

const EXAMPLE_FILE_HEADER = /^Examples for \[\^([^\]\s]+)\] in (.+?):?\s*$/;

/** The facts of the last parse, kept so that the next one re-reads only what an edit touched. */
interface ParsedText {
  text: string;
  blocks: RawBlock[];
  facts: BlockFacts[];
  lines: LineIndex;
}

/** How many facts of blocks an edit removed are kept, so that undo or retyping is cheap too. */
const RECENT_LIMIT = 256;

/**
 * Builds spec models for one file, incrementally: an edit re-splits only the blocks around the
 * changed window (found by comparing the old and new text), re-parses only blocks whose text is
 * new, and keeps the facts of every other block, which are block-relative and so survive shifts.
 */
export class SpecParser {
  private previous: ParsedText | undefined;
  private recent = new Map<string, BlockFacts>();

  /**
   * @param keepEditState false for a text that is read once and never edited (the CLI): each
   * block's facts are then dropped as soon as the model has them, instead of being kept for the
   * next edit. On a 10 MB file keeping them costs hundreds of MB and much of the time (collection).
   */
  constructor(private readonly keepEditState = true) {}

  parse(uri: string, source: string, version = 0): SpecDocument {
    const text = wellFormed(source);
    if (!this.keepEditState) return this.parseOnce(uri, text, version);
    const previous = this.previous;
    const parsed = !previous ? this.parseAll(text) : previous.text === text ? previous : this.parseEdit(previous, text);
    this.previous = parsed;
    return assemble(uri, text, version, parsed.blocks, parsed.facts, parsed.lines);
  }

  /**
   * As parse, for a host that must keep answering meanwhile (the language server opening a big
   * file): a first parse reads the blocks in slices with `pause()` between them, and stops, giving
   * undefined, once `token` is cancelled (a newer text replaced this one). An edit after a first parse
   * is incremental and cheap, so it is parsed at once.
   */
  async parseYielding(
    uri: string,
    text: string,
    version: number,
    pause: () => Promise<void>,
    token: CancellationToken,
  ): Promise<SpecDocument | undefined> {
    if (this.previous) return this.parse(uri, text, version);
    const reading = this.readInSlices(uri, wellFormed(text), version);
    for (let step = reading.next(); ; step = reading.next()) {
      if (step.done) return step.value;
      await pause();
      if (token.isCancellationRequested) return undefined;
    }
  }

  /** A parse that keeps nothing for later: blocks and their facts are read a slice at a time and dropped. */
  private parseOnce(uri: string, text: string, version: number): SpecDocument {
    const reading = this.readInSlices(uri, text, version);
    for (let step = reading.next(); ; step = reading.next()) if (step.done) return step.value;
  }

  /**
   * Reads a whole text a slice of blocks at a time into its model, yielding between slices (where
   * parseYielding pauses) and returning the model; the facts of each slice are kept for the next
   * edit only with keepEditState. The model is built per slice too: built after the last pause, it
   * held a 4 MB file's host for 0.8 s.
   */
  private *readInSlices(uri: string, text: string, version: number): Generator<void, SpecDocument> {
    const blocks: RawBlock[] = [];
    const facts: BlockFacts[] = [];
    const lines = new LineIndex(text);
    let builder: ReturnType<typeof documentBuilder> | undefined;
    for (const slice of blockSlices(text)) {
      if (builder) yield;
      builder ??= documentBuilder(uri, text, version, lines, slice[0]);
      const sliceFacts = this.factsOfMany(slice);
      for (let i = 0; i < slice.length; i++) builder.add(slice[i], sliceFacts[i]);
      if (this.keepEditState) {
        blocks.push(...slice);
        facts.push(...sliceFacts);
      }
    }
    if (this.keepEditState) this.previous = { text, blocks, facts, lines };
    return builder!.finish();
  }

  private parseAll(text: string): ParsedText {
    const blocks = splitBlocks(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
    return { text, blocks, facts: this.factsOfMany(blocks), lines: new LineIndex(text) };
  }

  private parseEdit(previous: ParsedText, text: string): ParsedText {
    const old = previous.text;
    if ((old.charCodeAt(0) === 0xfeff) !== (text.charCodeAt(0) === 0xfeff)) return this.parseAll(text);
    // an edit far below can close (or open) the front matter at the top: read the file again then
    if (
      text.startsWith('---', text.charCodeAt(0) === 0xfeff ? 1 : 0) ||
      old.startsWith('---', old.charCodeAt(0) === 0xfeff ? 1 : 0)
    ) {
      const hadFrontMatter = previous.blocks[0]?.kind === 'frontmatter';
      const frontMatter = readFrontMatter(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
      if (hadFrontMatter !== !!frontMatter || (frontMatter && previous.blocks[0].end !== frontMatter.end))
        return this.parseAll(text);
    }
    const { start, oldEnd, newEnd } = changedWindow(old, text);
    const delta = newEnd - oldEnd;
    const oldBlocks = previous.blocks;
    // Re-split from one block before the edit: the edit may end that block or join it to the next.
    const touched = firstBlockEndingAtOrAfter(oldBlocks, start);
    const first = Math.max(0, Math.min(touched, oldBlocks.length - 1) - 1);
    const from = oldBlocks.length ? oldBlocks[first].start : text.charCodeAt(0) === 0xfeff ? 1 : 0;
    // Stop at the first boundary past the edit where an old block started: from there on the text,
    // and so the blocks, are the old ones shifted by delta.
    let resume = -1;
    const fresh = splitBlocks(text, from, (offset) => {
      if (offset < newEnd) return false;
      const index = blockStartingAt(oldBlocks, offset - delta, first + 1);
      if (index < 0) return false;
      resume = index;
      return true;
    });
    // A slice keeps its whole parent string alive in V8: a block kept for many edits would keep the
    // document text of the edit that made it. Fresh blocks get their own copy of their text.
    for (const block of fresh) block.text = detached(block.text);
    const replaced = resume < 0 ? oldBlocks.length : resume;
    // Facts of the blocks being replaced, by text: an edit often leaves most of them unchanged.
    const byText = new Map<string, BlockFacts>();
    for (let i = first; i < replaced; i++) byText.set(factKey(oldBlocks[i]), previous.facts[i]);
    const freshFacts = this.factsOfMany(fresh, byText);
    for (const [key, facts] of byText) this.remember(key, facts);

    const blocks = oldBlocks.slice(0, first).concat(fresh);
    const facts = previous.facts.slice(0, first).concat(freshFacts);
    for (let i = replaced; i < oldBlocks.length; i++) {
      const block = oldBlocks[i];
      blocks.push(delta ? { ...block, start: block.start + delta, end: block.end + delta } : block);
      facts.push(previous.facts[i]);
    }
    return { text, blocks, facts, lines: LineIndex.afterEdit(previous.lines, text, start, oldEnd, newEnd) };
  }

  private factsOf(block: RawBlock): BlockFacts {
    const key = factKey(block);
    const known = this.recent.get(key);
    if (known) return known;
    try {
      return fencedBlockFacts(block) ?? extractBlockFacts(block);
    } catch (error) {
      // one block the reader fails on is reported where it is; the blocks around it are read as usual
      return {
        ...emptyBlockFacts(),
        problems: [{ stage: 'parse', span: firstLine(block.text), ...describeError(error) }],
      };
    }
  }

  /** The facts of many blocks: known ones reused, plain fences read directly, the rest parsed in batches. */
  private factsOfMany(blocks: readonly RawBlock[], known?: Map<string, BlockFacts>): BlockFacts[] {
    const facts: (BlockFacts | undefined)[] = new Array(blocks.length);
    const toParse: number[] = [];
    blocks.forEach((block, i) => {
      const key = factKey(block);
      const reused = known?.get(key) ?? this.recent.get(key) ?? quickFacts(block);
      if (reused) facts[i] = reused;
      else toParse.push(i);
    });
    if (toParse.length) {
      let parsed: BlockFacts[] | undefined;
      try {
        parsed = extractManyBlockFacts(toParse.map((i) => blocks[i]));
      } catch {
        parsed = undefined; // read block by block below: the failing block is reported on its own
      }
      toParse.forEach((i, n) => (facts[i] = parsed?.[n] ?? this.factsOf(blocks[i])));
    }
    return facts as BlockFacts[];
  }

  private remember(key: string, facts: BlockFacts) {
    this.recent.delete(key);
    this.recent.set(key, facts);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
  }
}

/** The blocks of a text in order, YIELD_BLOCKS at a time (at least one slice, empty for an empty text). */
function* blockSlices(text: string): Generator<RawBlock[]> {
  let from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let first = true;
  while (from < text.length || first) {
    first = false;
    let count = 0;
    let stoppedAt = -1;
    const slice = splitBlocks(text, from, (offset) => {
      if (++count < YIELD_BLOCKS) return false;
      stoppedAt = offset;
      return true;
    });
    yield slice;
    if (stoppedAt < 0) return;
    from = stoppedAt;
  }
}

/** A plain block's facts without remark, or undefined (also when reading it fails: the parser path reports that). */
function quickFacts(block: RawBlock): BlockFacts | undefined {
  try {
    return fencedBlockFacts(block) ?? plainBlockFacts(block);
  } catch {
    return undefined;
  }
}

const FENCE_OPENING = /^(`{3,}|~{3,})[ \t]*([A-Za-z0-9_+.#-]*)[ \t]*\r?$/;

/**
 * The facts of a block that is exactly one fenced code block (a transcript, most often), read
 * without remark: about half of the Model Spec corpus is transcripts, and remark-parse is what a
 * cold lint spends its time on. Only the plain case is taken (a one-word info string, a closing
 * fence, nothing but blank lines after it); anything else returns undefined and goes through remark.
 * A test checks that this gives what extractBlockFacts gives on every fence of the corpus.
 */
export function fencedBlockFacts(block: RawBlock): BlockFacts | undefined {
  if (block.kind !== 'markdown') return undefined;
  const text = block.text;
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0) return undefined;
  const opening = FENCE_OPENING.exec(text.slice(0, firstBreak));
  if (!opening) return undefined;
  const fenceChar = opening[1][0];
  // CommonMark: a closing fence is indented at most 3 spaces, at least as long, trailed by spaces only
  const closing = new RegExp(`^ {0,3}${fenceChar === '`' ? '`' : '~'}{${opening[1].length},}[ \\t]*\\r?$`);
  let lineStart = firstBreak + 1;
  let closeStart = -1;
  let closeEnd = -1;
  while (lineStart < text.length) {
    const lineBreak = text.indexOf('\n', lineStart);
    const lineEnd = lineBreak < 0 ? text.length : lineBreak;
    const line = text.slice(lineStart, lineEnd);
    if (closeStart < 0) {
      if (closing.test(line)) {
        closeStart = lineStart;
        closeEnd = line.endsWith('\r') ? lineEnd - 1 : lineEnd;
      }
    } else if (line.trim() !== '') {
      return undefined; // more Markdown after the fence in the same block
    }
    lineStart = lineEnd + 1;
  }
  if (closeStart < 0) return undefined; // unclosed: remark decides where it ends
  const end = closeEnd; // remark ends the code node after the closing fence's trailing spaces, before the line break
  const contentStart = firstBreak + 1;
  const contentEnd = Math.max(contentStart, closeStart - 1);
  const lang = opening[2].toLowerCase();
  const transcript = TRANSCRIPT_LANGS.has(lang)
    ? parseTranscript(text.slice(contentStart, contentEnd), contentStart)
    : undefined;
  return {
    // as extractBlockFacts reads them: footnote definitions by line, even inside a fence
    ...blockFactsWithFootnotes(text),
    fences: [
      {
        lang,
        transcript,
        span: { start: 0, end },
        contentSpan: { start: contentStart, end: contentEnd },
        fenced: true,
      },
    ],
    order: [{ kind: 'fence', index: 0 }],
  };
}

/** The first line of a block, relative to it: where a problem with the whole block is shown. */
function firstLine(text: string): Span {
  const end = text.indexOf('\n');
  return { start: 0, end: end < 0 ? Math.min(text.length, 200) : Math.min(end, 200) };
}

/** A flat copy of a slice, holding only its own characters (concatenation then slicing flattens). */
function detached(slice: string): string {
  return slice.length < 16 ? slice : (' ' + slice).slice(1);
}

function factKey(block: RawBlock): string {
  return block.kind + '\0' + block.text;
}

/** The common prefix and suffix of two texts: the edit replaced old[start, oldEnd) by text[start, newEnd). */
export function changedWindow(old: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const shorter = Math.min(old.length, text.length);
  // whole chunks first: comparing slices is a memory compare, ~100x faster than charCodeAt per character
  let start = 0;
  while (start + CHUNK <= shorter && old.slice(start, start + CHUNK) === text.slice(start, start + CHUNK))
    start += CHUNK;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  const maxSuffix = shorter - start;
  let suffix = 0;
  while (
    suffix + CHUNK <= maxSuffix &&
    old.slice(old.length - suffix - CHUNK, old.length - suffix) ===
      text.slice(text.length - suffix - CHUNK, text.length - suffix)
  )
    suffix += CHUNK;
  while (suffix < maxSuffix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix))
    suffix++;
  return { start, oldEnd: old.length - suffix, newEnd: text.length - suffix };
}

const CHUNK = 2048;

function firstBlockEndingAtOrAfter(blocks: RawBlock[], offset: number): number {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (blocks[mid].end < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function blockStartingAt(blocks: RawBlock[], offset: number, from: number): number {
  let low = from;
  let high = blocks.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (blocks[mid].start < offset) low = mid + 1;
    else high = mid;
  }
  return low < blocks.length && blocks[low].start === offset ? low : -1;
}

export function parseSpec(uri: string, text: string, version = 0): SpecDocument {
  return new SpecParser(false).parse(uri, text, version);
}

function shift(span: Span, by: number): Span {
  return { start: span.start + by, end: span.start === span.end ? span.end + by : span.end + by };
}

function assemble(
  uri: string,
  text: string,
  version: number,
  blocks: RawBlock[],
  facts: BlockFacts[],
  lines: LineIndex,
): SpecDocument {
  const builder = documentBuilder(uri, text, version, lines, blocks[0]);
  for (let b = 0; b < blocks.length; b++) builder.add(blocks[b], facts[b]);
  return builder.finish();
}

/**
 * Builds a document's model from its blocks in order, one block at a time: so that a one-shot parse
 * can drop each block's facts as soon as they are read (see SpecParser's keepEditState).
 */
function documentBuilder(
  uri: string,
  text: string,
  version: number,
  lines: LineIndex,
  firstBlock: RawBlock | undefined,
): { add(block: RawBlock, fact: BlockFacts): void; finish(): SpecDocument } {
  const doc: SpecDocument = {
    uri,
    version,
    text,
    lines,
    sections: [],
    sentences: [],
    clauses: [],
    examples: [],
    references: [],
    markers: [],
    commentary: [],
    comments: [],
    code: [],
    hasSpecSyntax: false,
  };
  if (text.includes('<a '))
    doc.htmlAnchors = [...text.matchAll(/<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
  if (firstBlock?.kind === 'frontmatter') doc.frontMatter = readFrontMatter(text, firstBlock.start)?.fields;
  const isExampleFile = /\/examples\/[^/]+\.md$/i.test(uri);
  const stack: Section[] = [];
  const usedIds = new Map<string, number>();
  const usedAnchors = new Map<string, number>();
  const ordinals = new Map<string, number>();
  let current: Section | undefined;
  let pendingExample: Example | undefined;
  let firstProse = true;
  const markerIds = new Set<string>();
  const footnotes = new Set<string>();

  const closePending = () => {
    pendingExample = undefined;
  };

  const problems: InternalProblem[] = [];
  const readBlock = (block: RawBlock, fact: BlockFacts) => {
    const base = block.start;
    for (const footnote of fact.footnotes) footnotes.add(footnote);
    for (const problem of fact.problems ?? []) problems.push({ ...problem, span: shift(problem.span, base) });
    for (const reference of fact.references)
      doc.references.push({
        ...reference,
        span: shift(reference.span, base),
        targetSpan: shift(reference.targetSpan, base),
      });
    for (const comment of fact.comments) doc.comments.push({ text: comment.text, span: shift(comment.span, base) });
    const commentary = fact.commentary;
    if (commentary) {
      doc.commentary.push({
        kind: commentary.kind,
        title: commentary.title,
        span: shift(commentary.span, base),
        bodySpan: shift(commentary.bodySpan, base),
      });
      doc.hasSpecSyntax = true;
      closePending();
    }
    for (const entry of fact.order) {
      if (entry.kind === 'heading') {
        const heading = fact.headings[entry.index];
        closePending();
        // The open sections are exactly those on the stack: a heading closes the ones it pops.
        // (Scanning all earlier sections here instead made a 10 MB file quadratic.)
        const headingStart = base + heading.span.start;
        while (stack.length && stack[stack.length - 1].level >= heading.level) {
          const closed = stack.pop()!;
          closed.span = { start: closed.span.start, end: headingStart };
        }
        const parent = stack[stack.length - 1];
        const baseId = heading.id ?? (slug(heading.title) || 'section');
        let id = baseId;
        if (!heading.id) {
          const seen = usedIds.get(baseId) ?? 0;
          if (seen) id = `${baseId}-${seen}`;
        }
        usedIds.set(baseId, (usedIds.get(baseId) ?? 0) + 1);
        const baseAnchor = githubSlug(heading.title);
        const anchorCount = usedAnchors.get(baseAnchor) ?? 0;
        usedAnchors.set(baseAnchor, anchorCount + 1);
        const anchor = anchorCount ? `${baseAnchor}-${anchorCount}` : baseAnchor;
        const attributes = heading.attributes.map((a) => ({
          ...a,
          span: shift(a.span, base),
          valueSpan: shift(a.valueSpan, base),
        }));
        const ownAuthority = canonicalAuthority(attributes.find((a) => a.key === 'authority')?.value);
        const tags = attributes
          .filter((a) => a.key === 'tags')
          .flatMap((a) =>
            a.value
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          );
        const section: Section = {
          id,
          anchor,
          explicitId: !!heading.id,
          idSpan: heading.idSpan && shift(heading.idSpan, base),
          title: heading.title,
          titleSpan: shift(heading.titleSpan, base),
          level: heading.level,
          headingSpan: shift(heading.span, base),
          span: { start: base + heading.span.start, end: text.length },
          attributes,
          ownAuthority,
          authority: ownAuthority ?? parent?.authority,
          tags: [...new Set([...(parent?.tags ?? []), ...tags])],
          parent,
        };
        if (heading.id) doc.hasSpecSyntax = true;
        doc.sections.push(section);
        stack.push(section);
        current = section;
      } else if (entry.kind === 'exampleTitle') {
        const title = fact.exampleTitles[entry.index];
        const span = shift(title.span, base);
        pendingExample = { title: title.title, titleSpan: span, span: { ...span }, sectionId: current?.id };
        doc.examples.push(pendingExample);
        doc.hasSpecSyntax = true;
      } else if (entry.kind === 'fence') {
        const fence = fact.fences[entry.index];
        const span = shift(fence.span, base);
        doc.code.push(span);
        if (pendingExample && !pendingExample.transcript && fence.transcript) {
          pendingExample.transcript = shiftTranscript(fence.transcript, base);
          pendingExample.fenceSpan = span;
          pendingExample.span = { start: pendingExample.span.start, end: span.end };
        }
        closePending();
      } else {
        const prose = fact.prose[entry.index];
        const proseSpan = shift(prose.span, base);
        if (isExampleFile && firstProse && !current) {
          const header = EXAMPLE_FILE_HEADER.exec(text.slice(proseSpan.start, proseSpan.end).trim());
          firstProse = false;
          if (header) {
            const raw = text.slice(proseSpan.start, proseSpan.end);
            const markerAt = proseSpan.start + raw.indexOf('[^');
            const titleAt = proseSpan.start + raw.indexOf(' in ', raw.indexOf(']')) + 4;
            const headerInfo: ExampleFileHeader = {
              markerId: header[1],
              markerSpan: { start: markerAt + 2, end: markerAt + 2 + header[1].length },
              sectionTitle: header[2],
              sectionTitleSpan: { start: titleAt, end: titleAt + header[2].length },
              span: proseSpan,
            };
            doc.exampleFileHeader = headerInfo;
            doc.hasSpecSyntax = true;
            continue;
          }
        }
        firstProse = false;
        closePending();
        const inCommentary = !!commentary;
        for (const sentenceFact of prose.sentences) {
          const span = shift(sentenceFact.span, base);
          const markers = sentenceFact.markers.map((m) => ({
            id: m.id,
            span: shift(m.span, base),
            idSpan: shift(m.idSpan, base),
          }));
          doc.markers.push(...markers);
          if (prose.requirementId) doc.hasSpecSyntax = true;
          for (const marker of markers) markerIds.add(marker.id);
          const normative = !!prose.requirementId || markers.length > 0 || looksNormative(sentenceFact.plain);
          const sectionKey = current?.id ?? '';
          let id: string;
          if (prose.requirementId) id = prose.requirementId;
          else if (markers.length) id = markers[0].id;
          else if (normative && !inCommentary) {
            const n = (ordinals.get(sectionKey) ?? 0) + 1;
            ordinals.set(sectionKey, n);
            id = `${sectionKey || 'preamble'}.${n}`;
          } else id = '';
          const sentence: Sentence = {
            id,
            text: sentenceFact.text,
            plain: sentenceFact.plain,
            span,
            sectionId: current?.id,
            authority: current?.authority,
            markers,
            requirementId: prose.requirementId,
            normative,
            commentary: inCommentary,
            listItem: prose.listItem,
            ...(sentenceFact.tableCell ? { tableCell: true } : {}),
          };
          doc.sentences.push(sentence);
          if (normative) doc.clauses.push(sentence);
        }
      }
    }
  };
  const add = (block: RawBlock, fact: BlockFacts) => {
    try {
      readBlock(block, fact);
    } catch (error) {
      // a block the model builder fails on is reported there; the next blocks are still read
      pendingExample = undefined;
      problems.push({
        stage: 'model',
        span: shift(firstLine(block.text), block.start),
        ...describeError(error),
      });
    }
  };
  const finish = (): SpecDocument => {
    if (problems.length) doc.problems = problems;
    // `[^1]` with a `[^1]: ...` definition is an ordinary footnote (a README has them), not an example marker
    if ([...markerIds].some((id) => !footnotes.has(id))) doc.hasSpecSyntax = true;
    if (isExampleFile && doc.exampleFileHeader) {
      for (const example of doc.examples) {
        example.markerId = doc.exampleFileHeader.markerId;
        example.sectionId = undefined;
      }
    }
    return doc;
  };
  return { add, finish };
}

/** Older releases wrote `authority=platform` for the level now called `root`; the model uses the current name. */
const RENAMED_AUTHORITIES: Record<string, string> = { platform: 'root' };

function canonicalAuthority(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (RENAMED_AUTHORITIES[value] ?? value);
}

function shiftTranscript(transcript: Transcript, base: number): Transcript {
  return {
    messages: transcript.messages.map((m) => ({
      ...m,
      span: shift(m.span, base),
      openTagSpan: shift(m.openTagSpan, base),
      contentSpan: shift(m.contentSpan, base),
      label: m.label && { ...m.label, span: shift(m.label.span, base) },
    })),
    comparisons: transcript.comparisons.map((c) => shift(c, base)),
    problems: transcript.problems.map((p) => ({ ...p, span: shift(p.span, base) })),
  };
}
