import { existsSync } from 'fs';
import * as path from 'path';

/** The repository root (this file is test/support/corpus.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

function findModelSpec(): string {
  const candidates = [
    process.env.CLARIFIER_CORPUS,
    path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'model-spec-2025-12-18'),
    '/work/shared/corpus/model-spec-2025-12-18',
  ].filter((candidate): candidate is string => !!candidate);
  return candidates.find((candidate) => existsSync(path.join(candidate, 'model_spec.md'))) ?? candidates[candidates.length - 1];
}

/** The Model Spec corpus folder (model_spec.md + examples/): env CLARIFIER_CORPUS, then ../shared, then /work/shared. */
export const MODEL_SPEC_DIR: string = findModelSpec();
