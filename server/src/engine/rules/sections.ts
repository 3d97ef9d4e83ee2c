import type { Section, SpecDocument } from '../model';
import { FOOTNOTE_DEFINITION } from '../text';

/** The innermost section whose span holds `offset`, or undefined in the preamble. */
export function sectionAt(doc: SpecDocument, offset: number): Section | undefined {
  let found: Section | undefined;
  for (const section of doc.sections) {
    if (section.span.start > offset) break;
    if (offset < section.span.end) found = section;
  }
  return found;
}

/** Ids defined as GFM footnotes (`[^id]: text`): those `[^id]` are footnotes, not example markers. */
export function footnoteDefinitions(doc: SpecDocument): Set<string> {
  const ids = new Set<string>();
  for (const match of doc.text.matchAll(FOOTNOTE_DEFINITION)) ids.add(match[1]);
  return ids;
}

/** Titles compare equal when they differ only in spacing and inline markup. */
export function normalizeTitle(title: string): string {
  return title.replace(/[`*_]/g, '').replace(/\s+/g, ' ').trim();
}
