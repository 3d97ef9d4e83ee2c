import type { ResolvedConfig } from '../config';
import type { Finding } from '../rules/types';
import type { SpecWorkspace } from '../workspace';
import { ConflictIndex } from './clauseIndex';
import { buildFindings } from './findings';

// The conflict analysis, as the rest of the engine sees it: the index of a workspace, kept up to
// date per change, and the findings of every conflict rule for one file.
export { ConflictIndex, type ClauseEntry, type PairConflict } from './clauseIndex';
export { exceptionFix } from './fixes';
export { short } from './messages';

interface Analysis {
  index: ConflictIndex;
  findings?: Map<string, Finding[]>;
  generation: number;
}

const analyses = new WeakMap<SpecWorkspace, Analysis>();

function analysisOf(workspace: SpecWorkspace, config?: ResolvedConfig): Analysis {
  let analysis = analyses.get(workspace);
  if (!analysis) analyses.set(workspace, (analysis = { index: new ConflictIndex(workspace), generation: -1 }));
  analysis.index.refresh(config);
  if (analysis.generation !== analysis.index.generation) {
    analysis.findings = undefined;
    analysis.generation = analysis.index.generation;
  }
  return analysis;
}

/** The workspace's conflict index, refreshed to its current files (and to `config`'s spec sets, if given). */
export function conflictIndex(workspace: SpecWorkspace, config?: ResolvedConfig): ConflictIndex {
  return analysisOf(workspace, config).index;
}

/** Findings of every conflict rule for one file. */
export function conflictFindings(workspace: SpecWorkspace, uri: string, config?: ResolvedConfig): Finding[] {
  const analysis = analysisOf(workspace, config);
  if (!analysis.findings) analysis.findings = buildFindings(analysis.index, workspace);
  return analysis.findings.get(uri) ?? [];
}
