import type { Location, LocationLink, Position, ReferenceContext } from 'vscode-languageserver-types';
import type { SpecDocument } from '../model';
import { resolveRelative, type SpecWorkspace } from '../workspace';
import { locationOf, markerIdUses, rangeOf, referencedSections, sectionIdUses, sectionsById, targetAt } from './locate';

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Go to definition: a reference goes to its heading, a `[^id]` marker to its example file, an
 * example file's header marker back to the clause(s) using it and its section title to the heading.
 */
export function definition(workspace: SpecWorkspace, doc: SpecDocument, position: Position): LocationLink[] {
  const target = targetAt(doc, doc.lines.offsetAt(position));
  if (!target) return [];
  const origin = rangeOf(doc, target.span);
  const toSection = (
    found: {
      doc: SpecDocument;
      section: { headingSpan: { start: number; end: number }; span: { start: number; end: number } };
    }[],
  ): LocationLink[] =>
    found.map(({ doc: targetDoc, section }) => ({
      originSelectionRange: origin,
      targetUri: targetDoc.uri,
      targetRange: rangeOf(targetDoc, section.headingSpan),
      targetSelectionRange: rangeOf(targetDoc, section.headingSpan),
    }));
  switch (target.kind) {
    case 'reference': {
      const reference = target.reference;
      if (reference.targetId) return toSection(referencedSections(workspace, doc, reference));
      if (reference.kind === 'file' && reference.targetPath) {
        const uri = resolveRelative(doc.uri, reference.targetPath);
        return workspace.get(uri)
          ? [{ originSelectionRange: origin, targetUri: uri, targetRange: START, targetSelectionRange: START }]
          : [];
      }
      return [];
    }
    case 'labelReference':
      return toSection(sectionsById(workspace, doc, target.id));
    case 'heading':
      return toSection([{ doc, section: target.section }]);
    case 'marker':
      return workspace.exampleFiles(target.id, doc.uri).map((file) => ({
        originSelectionRange: origin,
        targetUri: file.uri,
        targetRange: START,
        targetSelectionRange: START,
      }));
    case 'headerMarker':
      return workspace.markerUses(target.id).map(({ doc: spec, marker }) => {
        const clause = spec.clauses.find((c) => c.markers.includes(marker));
        return {
          originSelectionRange: origin,
          targetUri: spec.uri,
          targetRange: rangeOf(spec, clause?.span ?? marker.span),
          targetSelectionRange: rangeOf(spec, marker.span),
        };
      });
    case 'headerTitle': {
      // the section the header names; among several with that title, the ones holding the marker first
      const markerDocs = new Set(workspace.markerUses(doc.exampleFileHeader?.markerId ?? '').map((l) => l.doc.uri));
      const found = workspace
        .specDocuments()
        .flatMap((spec) =>
          spec.sections.filter((s) => s.title === target.title).map((section) => ({ doc: spec, section })),
        )
        .sort((a, b) => Number(markerDocs.has(b.doc.uri)) - Number(markerDocs.has(a.doc.uri)));
      return toSection(found);
    }
  }
}

/**
 * Find references: on a heading or a reference, every reference to that section id (the heading
 * is the declaration); on a marker, every `[^id]` in the spec (the example file header is the
 * declaration, as go to definition leads there).
 */
export function references(
  workspace: SpecWorkspace,
  doc: SpecDocument,
  position: Position,
  context: ReferenceContext,
): Location[] {
  const target = targetAt(doc, doc.lines.offsetAt(position));
  if (!target) return [];
  let id: string | undefined;
  switch (target.kind) {
    case 'marker':
    case 'headerMarker': {
      const { uses, headers } = markerIdUses(workspace, target.id);
      if (target.kind === 'marker' && !uses.some((u) => u.doc.uri === doc.uri && u.span.start === target.span.start))
        uses.push({ doc, span: target.span });
      return [...(context.includeDeclaration ? headers : []), ...uses].map((u) => locationOf(u.doc, u.span));
    }
    case 'headerTitle':
      id = workspace
        .specDocuments()
        .flatMap((s) => s.sections)
        .find((s) => s.title === target.title)?.id;
      break;
    default:
      id = target.id;
  }
  if (!id) return [];
  const locations = sectionIdUses(workspace, id).map((u) => locationOf(u.doc, u.span));
  if (context.includeDeclaration) {
    const declarations = sectionsById(workspace, doc, id).map(({ doc: d, section }) =>
      locationOf(d, section.idSpan ?? section.titleSpan),
    );
    locations.unshift(...declarations);
  }
  return locations;
}
