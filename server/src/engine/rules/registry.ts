import { CONFLICT_RULES } from './conflicts';
import { ambiguityModel } from './ambiguity-model';
import { gradersDisagree } from './graders-disagree';
import { conflictModel } from './conflict-model';
import { danglingReference } from './dangling-reference';
import { duplicateSectionId } from './duplicate-section-id';
import { emptyExample } from './empty-example';
import { exampleHeaderMismatch } from './example-header-mismatch';
import { malformedTranscript } from './malformed-transcript';
import { markerWithoutExample } from './marker-without-example';
import { internalError } from './internal-error';
import { analysisLimit } from './analysis-limit';
import { unknownAuthority } from './unknown-authority';
import { unreferencedExampleFile } from './unreferenced-example-file';
import type { Rule } from './types';
import { AMBIGUITY_RULES } from './ambiguity';

/** Every rule the engine knows, in the order their findings are reported. */
export const RULES: readonly Rule[] = [
  duplicateSectionId,
  danglingReference,
  markerWithoutExample,
  unreferencedExampleFile,
  exampleHeaderMismatch,
  unknownAuthority,
  malformedTranscript,
  emptyExample,
  ...AMBIGUITY_RULES,
  ambiguityModel,
  gradersDisagree,
  ...CONFLICT_RULES,
  conflictModel,
  analysisLimit,
  internalError,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

/** Conflict rules (by their metadata, not their name): silenced only with a reason, and their findings point at the other clause. */
export function isConflictRule(id: string): boolean {
  return findRule(id)?.category === 'conflict';
}
