import { splitBlocks, type RawBlock } from './blocks';
import { extractBlockFacts, type BlockFacts } from './blockFacts';
import { looksNormative } from './normative';
import type { Example, ExampleFileHeader, Section, Sentence, SpecDocument } from './model';
import { LineIndex, slug, type Span } from './text';
import type { Transcript } from './model';

const EXAMPLE_FILE_HEADER = /^Examples for \[\^([^\]\s]+)\] in (.+?):?\s*$/;

/**
 * Builds spec models for one file. Keeps the facts of each block keyed by its text, so that an
 * edit re-parses only the blocks it touched; everything else is re-assembled from the cache.
 */
export class SpecParser {
  private cache = new Map<string, BlockFacts>();

  parse(uri: string, text: string, version = 0): SpecDocument {
    const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const blocks = splitBlocks(text, bom);
    const nextCache = new Map<string, BlockFacts>();
    const facts = blocks.map((block) => {
      const key = block.kind + '\0' + block.text;
      let fact = nextCache.get(key) ?? this.cache.get(key);
      if (!fact) fact = extractBlockFacts(block);
      nextCache.set(key, fact);
      return fact;
    });
    this.cache = nextCache;
    return assemble(uri, text, version, blocks, facts);
  }
}

export function parseSpec(uri: string, text: string, version = 0): SpecDocument {
  return new SpecParser().parse(uri, text, version);
}

function shift(span: Span, by: number): Span {
  return { start: span.start + by, end: span.start === span.end ? span.end + by : span.end + by };
}

function assemble(uri: string, text: string, version: number, blocks: RawBlock[], facts: BlockFacts[]): SpecDocument {
  const doc: SpecDocument = {
    uri, version, text, lines: new LineIndex(text),
    sections: [], sentences: [], clauses: [], examples: [], references: [], markers: [], commentary: [], comments: [], code: [],
    hasSpecSyntax: false,
  };
  const isExampleFile = /\/examples\/[^/]+\.md$/i.test(uri);
  const stack: Section[] = [];
  const usedIds = new Map<string, number>();
  const ordinals = new Map<string, number>();
  let current: Section | undefined;
  let pendingExample: Example | undefined;
  let firstProse = true;

  const closePending = () => {
    pendingExample = undefined;
  };

  for (let b = 0; b < blocks.length; b++) {
    const base = blocks[b].start;
    const fact = facts[b];
    for (const reference of fact.references) doc.references.push({ ...reference, span: shift(reference.span, base), targetSpan: shift(reference.targetSpan, base) });
    for (const comment of fact.comments) doc.comments.push({ text: comment.text, span: shift(comment.span, base) });
    const commentary = fact.commentary;
    if (commentary) {
      doc.commentary.push({ kind: commentary.kind, title: commentary.title, span: shift(commentary.span, base), bodySpan: shift(commentary.bodySpan, base) });
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
        const attributes = heading.attributes.map((a) => ({ ...a, span: shift(a.span, base), valueSpan: shift(a.valueSpan, base) }));
        const ownAuthority = attributes.find((a) => a.key === 'authority')?.value;
        const tags = attributes.filter((a) => a.key === 'tags').flatMap((a) => a.value.split(',').map((t) => t.trim()).filter(Boolean));
        const section: Section = {
          id, explicitId: !!heading.id, idSpan: heading.idSpan && shift(heading.idSpan, base),
          title: heading.title, titleSpan: shift(heading.titleSpan, base), level: heading.level,
          headingSpan: shift(heading.span, base), span: { start: base + heading.span.start, end: text.length },
          attributes, ownAuthority, authority: ownAuthority ?? parent?.authority,
          tags: [...new Set([...(parent?.tags ?? []), ...tags])], parent,
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
              markerId: header[1], markerSpan: { start: markerAt + 2, end: markerAt + 2 + header[1].length },
              sectionTitle: header[2], sectionTitleSpan: { start: titleAt, end: titleAt + header[2].length }, span: proseSpan,
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
          const markers = sentenceFact.markers.map((m) => ({ id: m.id, span: shift(m.span, base), idSpan: shift(m.idSpan, base) }));
          doc.markers.push(...markers);
          if (markers.length || prose.requirementId) doc.hasSpecSyntax = true;
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
            id, text: sentenceFact.text, plain: sentenceFact.plain, span,
            sectionId: current?.id, authority: current?.authority, markers,
            requirementId: prose.requirementId, normative, commentary: inCommentary, listItem: prose.listItem,
          };
          doc.sentences.push(sentence);
          if (normative) doc.clauses.push(sentence);
        }
      }
    }
  }
  if (isExampleFile && doc.exampleFileHeader) {
    for (const example of doc.examples) {
      example.markerId = doc.exampleFileHeader.markerId;
      example.sectionId = undefined;
    }
  }
  return doc;
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
