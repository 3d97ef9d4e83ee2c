import type { SpecWorkspace } from '../workspace';
import type { AmbiguityResult } from './ambiguity';
import type { ModelPairResult } from '../conflicts/modelTier';
import { ClauseTestResults } from '../clauseTests/results';

/**
 * What the model tiers last said about a workspace, kept beside it (never inside the parsed
 * documents): lint-time rules report from here. A run replaces the results that touch the files it
 * covered and keeps the others, so saving one file keeps the findings of the rest.
 */
interface Stored {
  ambiguity: AmbiguityResult[];
  conflicts: ModelPairResult[];
  /** The latest clause-test result per unit, as the client reported them: lenses and graders-disagree read them. */
  clauseTests: ClauseTestResults;
  /** Bumped on every change, so that memoised lint results are not reused across a model run. */
  version: number;
}

const stores = new WeakMap<SpecWorkspace, Stored>();

function storeOf(workspace: SpecWorkspace): Stored {
  let stored = stores.get(workspace);
  if (!stored) {
    stored = { ambiguity: [], conflicts: [], clauseTests: new ClauseTestResults(), version: 0 };
    stores.set(workspace, stored);
  }
  return stored;
}

/** Replaces the ambiguity results of `uris` (all when undefined) by `results`. */
export function storeAmbiguityResults(
  workspace: SpecWorkspace,
  results: AmbiguityResult[],
  uris?: Iterable<string>,
): void {
  const stored = storeOf(workspace);
  const covered = uris ? new Set(uris) : undefined;
  stored.ambiguity = [...(covered ? stored.ambiguity.filter((r) => !covered.has(r.target.uri)) : []), ...results];
  stored.version++;
}

/** Replaces the pair results that touch `uris` (all when undefined) by `results`. */
export function storeConflictResults(
  workspace: SpecWorkspace,
  results: ModelPairResult[],
  uris?: Iterable<string>,
): void {
  const stored = storeOf(workspace);
  const covered = uris ? new Set(uris) : undefined;
  stored.conflicts = [
    ...(covered ? stored.conflicts.filter((r) => !covered.has(r.a.uri) && !covered.has(r.b.uri)) : []),
    ...results,
  ];
  stored.version++;
}

export function storedAmbiguityResults(workspace: SpecWorkspace): readonly AmbiguityResult[] {
  return stores.get(workspace)?.ambiguity ?? [];
}

export function storedConflictResults(workspace: SpecWorkspace): readonly ModelPairResult[] {
  return stores.get(workspace)?.conflicts ?? [];
}

/** Adds reported clause-test results (or replaces all of them, after a restart). */
export function storeClauseTestResults(
  workspace: SpecWorkspace,
  results: import('../clauseTests/types').UnitResult[],
  replace = false,
): void {
  const stored = storeOf(workspace);
  if (replace) stored.clauseTests.clear();
  stored.clauseTests.add(results);
  stored.version++;
}

export function storedClauseTestResults(workspace: SpecWorkspace): ClauseTestResults {
  return storeOf(workspace).clauseTests;
}

/** Changes whenever stored model results change: part of the lint memo's key. */
export function modelResultsVersion(workspace: SpecWorkspace): number {
  return stores.get(workspace)?.version ?? 0;
}

export function clearModelResults(workspace: SpecWorkspace): void {
  stores.delete(workspace);
}
