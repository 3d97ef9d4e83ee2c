import { conflictIndex } from './conflicts/analysis';
import type { SpecDocument } from './model';
import { sectionAt } from './rules/sections';
import type { SpecWorkspace } from './workspace';

/**
 * Which other files need re-checking after a change. A file's findings depend on other files:
 * a reference names a section id elsewhere, a marker needs an example file, an example file's
 * header names a marker and its section's title, a link makes another file a spec, and clauses in
 * different files can conflict. The host (the language server) asks after each change and
 * re-publishes, or asks the editor to pull again, for exactly those files.
 */
export class DiagnosticsManager {
  private lastConflictChange: Set<string> | undefined;

  constructor(private readonly workspace: SpecWorkspace) {}

  /**
   * After `uri` changed from `before` to `after` (undefined: not indexed before, or removed): the
   * other files whose structural findings may have changed. Edits that leave what other files can
   * see untouched (most keystrokes) affect none.
   */
  dependentsOfChange(uri: string, before: SpecDocument | undefined, after: SpecDocument | undefined): string[] {
    if (before && after && crossFileKey(before) === crossFileKey(after)) return [];
    return this.others(uri);
  }

  /** After the whole index changed (a rescan, new settings, a file marked as spec): every file but `uri`. */
  others(uri?: string): string[] {
    return this.workspace
      .allDocuments()
      .map((doc) => doc.uri)
      .filter((other) => other !== uri);
  }

  /**
   * After diagnosing `uri`: the other files whose conflict findings the same change added or
   * settled (a clause edited here can start or stop conflicting with one there). Each change of
   * the conflict index is reported once.
   */
  conflictDependents(uri: string): string[] {
    const affected = conflictIndex(this.workspace).affectedUris;
    if (affected === this.lastConflictChange) return [];
    this.lastConflictChange = affected;
    return [...affected].filter((other) => other !== uri);
  }
}

/**
 * What other files can see of a document: whether it is written in spec syntax, its section ids
 * and titles (references and example-file headers name them), its markers and the section each is
 * in (an example file's header names it: example-header-mismatch), its example-file header.
 */
function crossFileKey(doc: SpecDocument): string {
  return [
    doc.hasSpecSyntax,
    doc.sections.map((section) => `${section.id}\u0000${section.title}`).join('\u0001'),
    doc.markers.map((marker) => `${marker.id}@${sectionAt(doc, marker.span.start)?.id ?? ''}`).join(','),
    doc.exampleFileHeader?.markerId,
    doc.exampleFileHeader?.sectionTitle,
  ].join('|');
}
