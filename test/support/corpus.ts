import { existsSync } from 'fs';
import * as path from 'path';

/** The repository root: test/support/../.. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The bundled Model Spec release. From a worktree the `../shared` sibling of the main checkout does
 * not exist, so the lookup falls back to the machine-wide copy; CLARIFIER_CORPUS overrides both.
 */
function findModelSpec(): string {
  const candidates = [
    process.env.CLARIFIER_CORPUS,
    path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'model-spec-2025-12-18'),
    '/work/shared/corpus/model-spec-2025-12-18',
  ].filter((candidate): candidate is string => !!candidate);
  return candidates.find((candidate) => existsSync(path.join(candidate, 'model_spec.md'))) ?? candidates[candidates.length - 1];
}

export const MODEL_SPEC_DIR: string = findModelSpec();
