import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: two levels above this file (test/support/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Third-party corpora live in ../shared beside the repository; they are read in place, never copied. */
export const SHARED_CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** The OpenAI Model Spec folder (model_spec.md + examples/); CLARIFIER_CORPUS points at another copy. */
export const MODEL_SPEC_DIR: string =
  process.env.CLARIFIER_CORPUS || path.join(SHARED_CORPUS_DIR, 'model-spec-2025-12-18');
/** ReqEval anaphora pronouns (NLP4RE'20), beside the Model Spec corpus. */
export const ANAPHORA_TSV: string = path.join(path.dirname(MODEL_SPEC_DIR), 'reqeval-anaphora', 'training.tsv');
/** Real specs of four kinds from public repositories (see its README). */
export const REAL_SPECS_DIR: string = path.join(path.dirname(MODEL_SPEC_DIR), 'real-specs');

export const MODEL_SPEC_PRESENT = existsSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'));

const announced = new Set<string>();

/**
 * Skips the calling mocha test or hook, with one line saying what is missing, when `dir` does not exist.
 * CI sets CLARIFIER_REQUIRE_CORPUS=1 (it always has ../shared), so there a missing corpus fails instead
 * of quietly skipping.
 */
export function skipWithoutCorpus(context: Mocha.Context, dir: string = MODEL_SPEC_DIR): void {
  if (existsSync(dir)) return;
  const message = `corpus not found at ${dir} (expected ../shared/corpus beside the repository, or CLARIFIER_CORPUS)`;
  if (process.env.CLARIFIER_REQUIRE_CORPUS === '1') throw new Error(message);
  if (!announced.has(dir)) {
    announced.add(dir);
    console.log(`    skipped: ${message}`);
  }
  context.skip();
}

/** For benchmarks run as scripts: says what is missing and ends the process when the Model Spec is absent. */
export function exitWithoutModelSpec(benchmark: string): void {
  if (MODEL_SPEC_PRESENT) return;
  console.log(
    `${benchmark}: skipped: the Model Spec corpus is not at ${MODEL_SPEC_DIR} (expected ../shared/corpus beside the repository, or CLARIFIER_CORPUS)`,
  );
  process.exit(0);
}
