import { collectUnits } from '../clauseTests/collect';
import type { SpecDocument } from '../model';
import type { DocumentKind, RecognitionSource } from '../recognition';
import type { SpecWorkspace } from '../workspace';

/** One spec of the workspace as the Specs view and the status item show it (findings are added by the caller, who lints). */
export interface SpecEntry {
  uri: string;
  /** Relative to its workspace folder, for display. */
  path: string;
  kind?: DocumentKind;
  recognizedBy: RecognitionSource;
  /** Why it is a spec, one sentence. */
  reason: string;
  sections: number;
  clauses: number;
  /** The examples a clause-test run runs: inline ones and those of its example files. */
  examples: number;
}

/**
 * The specs of the workspace, by path. Example files (`examples/<id>.md` with a header naming
 * their clause) belong to the spec that uses them and are not listed on their own: a folder with
 * one policy and forty example files has one spec.
 */
export function specEntries(workspace: SpecWorkspace, isCancelled: () => boolean = () => false): SpecEntry[] {
  const entries: SpecEntry[] = [];
  for (const doc of workspace.specDocuments()) {
    if (isCancelled()) break;
    if (doc.exampleFileHeader) continue;
    entries.push(specEntry(workspace, doc));
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

export function specEntry(workspace: SpecWorkspace, doc: SpecDocument): SpecEntry {
  const verdict = workspace.specVerdict(doc.uri);
  return {
    uri: doc.uri,
    path: workspace.relativePath(doc.uri),
    kind: verdict.kind,
    recognizedBy: verdict.source,
    reason: verdict.reason,
    sections: doc.sections.length,
    clauses: doc.clauses.filter((clause) => !clause.commentary).length,
    // the same number as the "Run all N examples" lens and a run's progress
    examples: collectUnits(doc, workspace).reduce(
      (n, unit) => n + unit.examples.filter((example) => !example.skip).length,
      0,
    ),
  };
}
