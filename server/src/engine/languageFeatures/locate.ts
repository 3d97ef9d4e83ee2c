import type { Location, Range } from 'vscode-languageserver-types';
import type { Example, Marker, Reference, Section, SpecDocument } from '../model';
import { contains, type Span } from '../text';
import { resolveRelative, type SpecWorkspace } from '../workspace';

/** What the cursor is on, as far as navigation cares. `span` is the id (or title) under the cursor. */
export type Target =
  | { kind: 'heading'; id: string; span: Span; section: Section }
  | { kind: 'reference'; id?: string; span: Span; reference: Reference }
  | { kind: 'marker'; id: string; span: Span; marker: Marker }
  | { kind: 'headerMarker'; id: string; span: Span }
  | { kind: 'headerTitle'; title: string; span: Span }
  | { kind: 'labelReference'; id: string; span: Span };

/** The `#id` inside a transcript label such as `<!-- BAD[#chain_of_command] -->`: offsets of the id. */
export function labelReferences(doc: SpecDocument): { id: string; span: Span }[] {
  const found: { id: string; span: Span }[] = [];
  for (const example of doc.examples) {
    for (const message of example.transcript?.messages ?? []) {
      const label = message.label;
      if (!label?.reference) continue;
      const raw = doc.text.slice(label.span.start, label.span.end);
      const at = raw.indexOf('[#');
      if (at < 0) continue;
      const start = label.span.start + at + 2;
      found.push({ id: label.reference, span: { start, end: start + label.reference.length } });
    }
  }
  return found;
}

export function targetAt(doc: SpecDocument, offset: number): Target | undefined {
  const header = doc.exampleFileHeader;
  if (header) {
    if (contains(header.markerSpan, offset))
      return { kind: 'headerMarker', id: header.markerId, span: header.markerSpan };
    if (contains(header.sectionTitleSpan, offset))
      return { kind: 'headerTitle', title: header.sectionTitle, span: header.sectionTitleSpan };
  }
  for (const marker of doc.markers) {
    if (contains(marker.span, offset)) return { kind: 'marker', id: marker.id, span: marker.idSpan, marker };
  }
  for (const reference of doc.references) {
    if (reference.kind === 'external' || !contains(reference.span, offset)) continue;
    return {
      kind: 'reference',
      id: reference.targetId || undefined,
      span: reference.targetId ? reference.targetSpan : reference.span,
      reference,
    };
  }
  for (const section of doc.sections) {
    if (!contains(section.headingSpan, offset)) continue;
    // the whole heading line stands for its id, so that "find references" works from the title too
    return { kind: 'heading', id: section.id, span: section.idSpan ?? section.titleSpan, section };
  }
  for (const label of labelReferences(doc)) {
    if (contains(label.span, offset)) return { kind: 'labelReference', id: label.id, span: label.span };
  }
  return undefined;
}

export function rangeOf(doc: SpecDocument, span: Span): Range {
  return doc.lines.range(span.start, span.end);
}

export function locationOf(doc: SpecDocument, span: Span): Location {
  return { uri: doc.uri, range: rangeOf(doc, span) };
}

/** Sections a reference points at: `(#id)` anywhere in the spec, `file.md#id` in that file. */
export function referencedSections(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  reference: Reference,
): { doc: SpecDocument; section: Section }[] {
  if (!reference.targetId) return [];
  if (reference.kind === 'file' && reference.targetPath) {
    const target = workspace.get(resolveRelative(doc.uri, reference.targetPath));
    return target
      ? target.sections.filter((s) => s.id === reference.targetId).map((section) => ({ doc: target, section }))
      : [];
  }
  return sectionsById(workspace, doc, reference.targetId);
}

/** Sections with this id, the current file's own first. */
export function sectionsById(
  workspace: SpecWorkspace,
  doc: SpecDocument | undefined,
  id: string,
): { doc: SpecDocument; section: Section }[] {
  const found = workspace.sections(id).map((l) => ({ doc: l.doc, section: l.section }));
  if (doc && !found.some((l) => l.doc.uri === doc.uri)) {
    // a file that is not (yet) a spec can still reference its own headings
    for (const section of doc.sections) if (section.id === id) found.push({ doc, section });
  }
  return found.sort((a, b) => Number(b.doc.uri === doc?.uri) - Number(a.doc.uri === doc?.uri));
}

/** Does this reference name the section `id`? File links only when their file holds such a section. */
export function referenceNames(workspace: SpecWorkspace, doc: SpecDocument, reference: Reference, id: string): boolean {
  if (reference.targetId !== id) return false;
  if (reference.kind === 'section') return true;
  if (reference.kind === 'file' && reference.targetPath) {
    const target = workspace.get(resolveRelative(doc.uri, reference.targetPath));
    return !!target?.sections.some((s) => s.id === id);
  }
  return false;
}

/** Every place that names section `id`: `(#id)`, `file.md#id` and `[#id]` in transcript labels. */
export function sectionIdUses(workspace: SpecWorkspace, id: string): { doc: SpecDocument; span: Span }[] {
  const uses: { doc: SpecDocument; span: Span }[] = [];
  for (const doc of workspace.specDocuments()) {
    for (const reference of doc.references)
      if (referenceNames(workspace, doc, reference, id)) uses.push({ doc, span: reference.targetSpan });
    for (const label of labelReferences(doc)) if (label.id === id) uses.push({ doc, span: label.span });
  }
  return uses;
}

/** Every `[^id]` in the spec files (not in example files), and the headers of its example files. */
export function markerIdUses(
  workspace: SpecWorkspace,
  id: string,
): { uses: { doc: SpecDocument; span: Span }[]; headers: { doc: SpecDocument; span: Span }[] } {
  const uses = workspace.markerUses(id).map((l) => ({ doc: l.doc, span: l.marker.idSpan }));
  const headers = workspace
    .exampleFiles(id)
    .filter((doc) => doc.exampleFileHeader?.markerId === id)
    .map((doc) => ({ doc, span: doc.exampleFileHeader!.markerSpan }));
  return { uses, headers };
}

/** Every example file's header marker id, and every marker used in a spec. */
export function knownMarkerIds(workspace: SpecWorkspace): Set<string> {
  const ids = new Set(workspace.allMarkerIds());
  for (const doc of workspace.specDocuments()) if (doc.exampleFileHeader) ids.add(doc.exampleFileHeader.markerId);
  return ids;
}

/** The first user prompt of the first example that has one. */
export function firstUserPrompt(examples: Example[]): string | undefined {
  for (const example of examples) {
    const user = example.transcript?.messages.find((m) => m.role === 'user' && m.content.trim());
    if (user) return user.content.trim();
  }
  return undefined;
}

/** The section's first prose sentence outside commentary. */
export function firstSentence(doc: SpecDocument, section: Section): string | undefined {
  return doc.sentences.find(
    (s) =>
      s.sectionId === section.id &&
      !s.commentary &&
      s.span.start >= section.span.start &&
      s.span.end <= section.span.end,
  )?.plain;
}

export function sectionClauses(doc: SpecDocument, section: Section) {
  return doc.clauses.filter(
    (c) =>
      !c.commentary &&
      c.sectionId === section.id &&
      c.span.start >= section.span.start &&
      c.span.end <= section.span.end,
  );
}

/** Inline examples of the section plus the examples in the example files of its clauses' markers. */
export function sectionExampleCount(workspace: SpecWorkspace, doc: SpecDocument, section: Section): number {
  const inline = doc.examples.filter(
    (e) => e.span.start >= section.span.start && e.span.end <= section.span.end && e.sectionId === section.id,
  ).length;
  const markerIds = new Set(sectionClauses(doc, section).flatMap((c) => c.markers.map((m) => m.id)));
  let fromFiles = 0;
  for (const id of markerIds) for (const file of workspace.exampleFiles(id, doc.uri)) fromFiles += file.examples.length;
  return inline + fromFiles;
}

export function shorten(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1).trimEnd() + '…';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
