import { CONFLICT_RULES } from './conflicts';
import { danglingReference } from './dangling-reference';
import { duplicateSectionId } from './duplicate-section-id';
import type { Rule } from './types';

/** Every rule the engine knows, in the order their findings are reported. */
export const RULES: readonly Rule[] = [duplicateSectionId, danglingReference, ...CONFLICT_RULES];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
