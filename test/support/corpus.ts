import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: two levels above this file (test/support/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const CANDIDATES = [
  process.env.CLARIFIER_CORPUS,
  path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'model-spec-2025-12-18'),
  '/work/shared/corpus/model-spec-2025-12-18',
].filter((dir): dir is string => !!dir);

/** The bundled OpenAI Model Spec folder (model_spec.md + examples/), read in place, never copied. */
export const MODEL_SPEC_DIR: string = CANDIDATES.find((dir) => existsSync(path.join(dir, 'model_spec.md'))) ?? CANDIDATES[0];
/** ReqEval anaphora pronouns (NLP4RE'20), beside the Model Spec corpus. */
export const ANAPHORA_TSV: string = path.join(path.dirname(MODEL_SPEC_DIR), 'reqeval-anaphora', 'training.tsv');
