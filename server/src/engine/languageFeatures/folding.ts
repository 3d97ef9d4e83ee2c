import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { SpecDocument } from '../model';
import type { Span } from '../text';

/** Folding for sections (heading to the line before the next one), examples (title through fence) and commentary blocks. */
export function foldingRanges(doc: SpecDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (span: Span, kind?: string) => {
    let end = span.end;
    while (end > span.start && /\s/.test(doc.text[end - 1])) end--;
    const startLine = doc.lines.positionAt(span.start).line;
    const endLine = doc.lines.positionAt(end).line;
    if (endLine > startLine) ranges.push({ startLine, endLine, kind });
  };
  for (const section of doc.sections) add(section.span, FoldingRangeKind.Region);
  for (const example of doc.examples) add(example.span, FoldingRangeKind.Region);
  for (const commentary of doc.commentary) add(commentary.span, FoldingRangeKind.Comment);
  const header = doc.exampleFileHeader;
  if (header) add(header.span);
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
