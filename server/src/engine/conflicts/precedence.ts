import type { ClauseEntry } from './entries';

/** Words of a sentence that states which rule wins: the one test for "this is about precedence". */
export const OVERRIDE_HINT = /overrid|supersed|precedence|priority over|prevails? over|trumps?\b|waived|ignored by/i;

/**
 * "This takes precedence over the rule in [Storage](#storage)", in the clause or the sentence
 * right after it, settles the pair: the author has said which clause wins. Checked when findings
 * are built, so that adding or removing such a sentence takes effect without the clauses changing.
 */
export function precedenceStated(self: ClauseEntry, other: ClauseEntry): boolean {
  const target = other.clause.sectionId;
  if (!target) return false;
  const { doc, clause } = self;
  const next = doc.sentences[doc.sentences.indexOf(clause) + 1];
  const adjacent =
    next && next.span.start - clause.span.end <= 3 && !/\n\s*\n/.test(doc.text.slice(clause.span.end, next.span.start))
      ? next
      : undefined;
  for (const sentence of adjacent ? [clause, adjacent] : [clause]) {
    if (!OVERRIDE_HINT.test(sentence.plain)) continue;
    const names = doc.references.some(
      (reference) =>
        reference.targetId === target &&
        reference.span.start >= sentence.span.start &&
        reference.span.end <= sentence.span.end &&
        (reference.kind === 'section' ? other.uri === doc.uri : reference.kind === 'file'),
    );
    if (names) return true;
  }
  return false;
}
