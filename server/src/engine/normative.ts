/**
 * A cheap first reading of whether a sentence states a rule. It is deliberately lexical: the
 * ambiguity rules refine it with part-of-speech information where it matters.
 */
const MODAL =
  /\b(must|shall|should|may|might not|need to|needs to|has to|have to|is required|are required|required to|is expected to|are expected to|will not|won't|never|always|cannot|can't|can not|do not|don't|does not|doesn't|is not allowed|are not allowed|prohibited|forbidden|only)\b/i;
/** Verbs that open a rule stated as an imperative ("Ensure the user..."). Shared with the ambiguity rules' sentence tests. */
export const IMPERATIVE_VERBS: readonly string[] = [
  'avoid',
  'ensure',
  'use',
  'be',
  'keep',
  'provide',
  'follow',
  'respect',
  'treat',
  'refuse',
  'ask',
  'consider',
  'prefer',
  'include',
  'return',
  'reject',
  'respond',
  'reply',
  'answer',
  'support',
  'log',
  'store',
  'display',
  'validate',
  'allow',
  'give',
  'make',
  'try',
  'assume',
  'present',
  'express',
  'highlight',
  'act',
  'comply',
  'protect',
  'uphold',
  'seek',
  'adapt',
  'handle',
  'limit',
  'stay',
  'err',
];
const IMPERATIVE_START = new RegExp(
  `^(?:\\*\\*[^*]+\\*\\*:?\\s*)?(?:do not|don't|never|always|${IMPERATIVE_VERBS.join('|')})\\b`,
  'i',
);

export function looksNormative(plain: string): boolean {
  return MODAL.test(plain) || IMPERATIVE_START.test(plain.trim());
}
