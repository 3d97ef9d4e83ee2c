import { SymbolKind, type DocumentSymbol, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { Section, SpecDocument } from '../model';
import type { SpecWorkspace } from '../workspace';
import { knownMarkerIds, rangeOf, shorten } from './locate';

/**
 * The outline: sections nested by level (authority in `detail`), their clauses and examples as
 * children. Commentary sentences are not clauses and stay out of the outline. Clauses and examples
 * from offset `leavesEnd` on are left out (every section stays): past the analysis limit a file
 * holds hundreds of thousands of clauses, and an outline of them costs the server and the editor
 * seconds on every edit; the analysis-limit finding marks where the listing stops.
 */
export function documentSymbols(doc: SpecDocument, leavesEnd = Infinity): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const symbolOf = new Map<Section, DocumentSymbol>();
  for (const section of doc.sections) {
    const details = [
      section.ownAuthority
        ? `authority=${section.ownAuthority}`
        : section.authority
          ? `authority=${section.authority} (inherited)`
          : '',
      section.explicitId ? `#${section.id}` : '',
    ];
    const symbol: DocumentSymbol = {
      name: section.title || section.id,
      detail: details.filter(Boolean).join(' '),
      kind: section.level <= 1 ? SymbolKind.Module : SymbolKind.Namespace,
      range: rangeOf(doc, trimEnd(doc, section.span)),
      selectionRange: rangeOf(
        doc,
        section.titleSpan.end > section.titleSpan.start ? section.titleSpan : section.headingSpan,
      ),
      children: [],
    };
    symbolOf.set(section, symbol);
    const parent = section.parent && symbolOf.get(section.parent);
    (parent ? parent.children! : roots).push(symbol);
  }
  type Entry = { start: number; symbol: DocumentSymbol };
  const leaves: Entry[] = [];
  for (const clause of doc.clauses) {
    if (clause.commentary || clause.span.start >= leavesEnd) continue;
    leaves.push({
      start: clause.span.start,
      symbol: {
        name: clause.markers.length || clause.requirementId ? clause.id : shorten(clause.plain, 60),
        detail: clause.markers.length || clause.requirementId ? shorten(clause.plain, 60) : clause.id,
        kind: clause.markers.length ? SymbolKind.Key : SymbolKind.String,
        range: rangeOf(doc, clause.span),
        selectionRange: rangeOf(doc, clause.markers[0]?.span ?? clause.span),
      },
    });
  }
  for (const example of doc.examples) {
    if (example.span.start >= leavesEnd) continue;
    leaves.push({
      start: example.span.start,
      symbol: {
        name: `Example: ${example.title || '(untitled)'}`,
        detail: example.markerId
          ? `[^${example.markerId}]`
          : example.transcript
            ? `${example.transcript.messages.length} messages`
            : 'no transcript',
        kind: SymbolKind.Event,
        range: rangeOf(doc, example.span),
        selectionRange: rangeOf(doc, example.titleSpan),
      },
    });
  }
  leaves.sort((a, b) => a.start - b.start);
  // a leaf belongs to the last section (in document order) whose span holds it, the innermost one:
  // one sweep over sections (already in document order) and leaves, the sections still open on a stack
  const sections = doc.sections;
  const open: Section[] = [];
  let next = 0;
  for (const leaf of leaves) {
    while (next < sections.length && sections[next].span.start <= leaf.start) open.push(sections[next++]);
    while (open.length && open[open.length - 1].span.end <= leaf.start) open.pop();
    const owner = open[open.length - 1];
    (owner ? symbolOf.get(owner)!.children! : roots).push(leaf.symbol);
  }
  // children must appear in document order: sections and leaves interleave
  const order = (symbols: DocumentSymbol[]) => {
    symbols.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
    for (const s of symbols) if (s.children) order(s.children);
  };
  order(roots);
  return roots;
}

function trimEnd(doc: SpecDocument, span: { start: number; end: number }) {
  let end = span.end;
  while (end > span.start && /\s/.test(doc.text[end - 1])) end--;
  return { start: span.start, end };
}

/**
 * Sections and marker ids across every spec file whose id or title contains the query's
 * characters in order (case-insensitive): "folinst" finds `follow_all_applicable_instructions`.
 */
export function workspaceSymbols(workspace: SpecWorkspace, query: string, limit = 500): WorkspaceSymbol[] {
  const scored: { score: number; symbol: WorkspaceSymbol }[] = [];
  for (const doc of workspace.specDocuments()) {
    for (const section of doc.sections) {
      const score = Math.max(matchScore(query, section.id), matchScore(query, section.title));
      if (score < 0) continue;
      scored.push({
        score,
        symbol: {
          name: section.title || section.id,
          kind: SymbolKind.Namespace,
          containerName: `#${section.id}${section.authority ? ` (${section.authority})` : ''}`,
          location: { uri: doc.uri, range: rangeOf(doc, section.headingSpan) },
        },
      });
    }
    if (doc.exampleFileHeader) continue;
    for (const clause of doc.clauses) {
      if (clause.commentary || !(clause.markers.length || clause.requirementId)) continue;
      const score = matchScore(query, clause.id);
      if (score < 0) continue;
      scored.push({
        score,
        symbol: {
          name: clause.markers.length ? `[^${clause.id}]` : clause.id,
          kind: SymbolKind.Key,
          containerName: shorten(clause.plain, 60),
          location: { uri: doc.uri, range: rangeOf(doc, clause.markers[0]?.span ?? clause.span) },
        },
      });
    }
  }
  // example files whose marker no clause uses are still worth finding by id
  const used = new Set(workspace.allMarkerIds());
  for (const id of knownMarkerIds(workspace)) {
    if (used.has(id)) continue;
    for (const file of workspace.exampleFiles(id)) {
      const score = matchScore(query, id);
      if (score >= 0 && file.exampleFileHeader)
        scored.push({
          score,
          symbol: {
            name: `[^${id}]`,
            kind: SymbolKind.File,
            containerName: 'example file (no clause uses it)',
            location: { uri: file.uri, range: rangeOf(file, file.exampleFileHeader.markerSpan) },
          },
        });
    }
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, limit).map((s) => s.symbol);
}

/** -1: no match. Higher is better: exact, prefix, substring, then characters in order. */
export function matchScore(query: string, candidate: string): number {
  const q = query.toLowerCase().trim();
  const c = candidate.toLowerCase();
  if (!q) return 0;
  if (c === q) return 4;
  if (c.startsWith(q)) return 3;
  if (c.includes(q)) return 2;
  let at = 0;
  for (const ch of q) {
    at = c.indexOf(ch, at);
    if (at < 0) return -1;
    at++;
  }
  return 1;
}
