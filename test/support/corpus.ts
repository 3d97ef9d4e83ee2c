import { existsSync } from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The bundled Model Spec: env CLARIFIER_CORPUS, else `<repo>/../shared/corpus/...`, else the shared machine copy. */
export const MODEL_SPEC_DIR: string = [
  process.env.CLARIFIER_CORPUS,
  path.resolve(repoRoot, '..', 'shared', 'corpus', 'model-spec-2025-12-18'),
  '/work/shared/corpus/model-spec-2025-12-18',
].find((candidate): candidate is string => !!candidate && existsSync(path.join(candidate, 'model_spec.md'))) ?? '/work/shared/corpus/model-spec-2025-12-18';
