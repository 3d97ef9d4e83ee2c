import type { Rule } from './types';
import { normalizeTitle, sectionAt } from './sections';
import { toPlain } from '../blockFacts';

export const exampleHeaderMismatch: Rule = {
  id: 'example-header-mismatch',
  description: 'An example file header names another section than the one its marker is in.',
  category: 'structure',
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    const header = doc.exampleFileHeader;
    if (!header) return;
    const uses = workspace.markerUses(header.markerId);
    if (!uses.length) return; // unreferenced-example-file reports this file
    const titles = new Map<string, { uri: string; start: number; end: number }>();
    for (const use of uses) {
      const section = sectionAt(use.doc, use.marker.span.start);
      if (section && !titles.has(section.title)) titles.set(section.title, { uri: use.doc.uri, ...use.marker.span });
    }
    if (!titles.size) return;
    const written = normalizeTitle(header.sectionTitle);
    if ([...titles.keys()].some((title) => normalizeTitle(toPlain(title)) === written)) return;
    // headers are plain text: "*Privacy* first" is written "Privacy first"
    const names = [...new Set([...titles.keys()].map((title) => toPlain(title)))];
    report({
      span: header.sectionTitleSpan,
      message: `The header says these examples are in "${header.sectionTitle}", but [^${header.markerId}] is in ${names.map((t) => `"${t}"`).join(' and ')}.`,
      related: [...titles].map(([title, at]) => ({
        uri: at.uri,
        span: { start: at.start, end: at.end },
        message: `[^${header.markerId}] is used in "${title}"`,
      })),
      fixes: names.map((title, index) => ({
        title: `Change the header to "${title}"`,
        edits: [{ span: header.sectionTitleSpan, newText: title }],
        preferred: names.length === 1 && index === 0,
        safe: names.length === 1,
      })),
    });
  },
};
