import type { DocumentLink } from 'vscode-languageserver-types';
import type { SpecDocument } from '../model';
import { resolveRelative, type SpecWorkspace } from '../workspace';
import { plural, rangeOf, referencedSections } from './locate';

/**
 * Clickable `(#id)` and `file.md#id` targets (file URI with a `#L<line>` fragment, which VS Code
 * opens at that line), links to other spec files, and markers to their example files.
 */
export function documentLinks(workspace: SpecWorkspace, doc: SpecDocument): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const reference of doc.references) {
    if (reference.kind === 'external') continue;
    if (reference.targetId) {
      const target = referencedSections(workspace, doc, reference)[0];
      if (!target) continue;
      const line = target.doc.lines.positionAt(target.section.headingSpan.start).line + 1;
      links.push({
        range: rangeOf(doc, reference.targetSpan),
        target: `${target.doc.uri}#L${line}`,
        tooltip: `Go to "${target.section.title}"`,
      });
    } else if (reference.kind === 'file' && reference.targetPath) {
      const uri = resolveRelative(doc.uri, reference.targetPath);
      if (workspace.get(uri))
        links.push({ range: rangeOf(doc, reference.targetSpan), target: uri, tooltip: `Open ${reference.targetPath}` });
    }
  }
  for (const marker of doc.markers) {
    const file = workspace.exampleFiles(marker.id, doc.uri)[0];
    if (file)
      links.push({
        range: rangeOf(doc, marker.idSpan),
        target: file.uri,
        tooltip: `Open the ${plural(file.examples.length, 'example')} of [^${marker.id}]`,
      });
  }
  return links.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}
