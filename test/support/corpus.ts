import { existsSync } from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..');

function findCorpus(): string {
  const candidates = [process.env.CLARIFIER_CORPUS, path.resolve(repoRoot, '..', 'shared', 'corpus', 'model-spec-2025-12-18'), '/work/shared/corpus/model-spec-2025-12-18'];
  for (const candidate of candidates) if (candidate && existsSync(path.join(candidate, 'model_spec.md'))) return candidate;
  return candidates[1]!;
}

/** The bundled Model Spec corpus (model_spec.md + examples/), never copied into the repo. */
export const MODEL_SPEC_DIR: string = findCorpus();
/** ReqEval anaphora pronouns (NLP4RE'20), beside the Model Spec corpus. */
export const ANAPHORA_TSV: string = path.join(path.dirname(MODEL_SPEC_DIR), 'reqeval-anaphora', 'training.tsv');
