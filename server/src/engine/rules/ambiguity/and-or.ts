import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

export const andOr = sentenceRule({
  id: 'and-or',
  description: '"and/or" in a rule: does it require one, the other, or both?',
  defaultSeverity: 'warning',
  scope: { normativeOnly: true },
  detect(prose) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(/\band\s*\/\s*or\b|\bor\s*\/\s*and\b/gi)) {
      const start = match.index!;
      const end = start + match[0].length;
      // "and/or" in what the rule requires is a question ("refund to the card and/or store credit": one or
      // both?). In a condition ("if the namespace and/or interface no longer exist") or a clause that
      // describes ("requests that encourage X and/or require Y") it reads as "either or both", as intended.
      // only in an obligation: a grant ("license to use it for testing and/or development") allows either or both
      const first = prose.tokens.find((t) => t.pos !== 'PUNCT' && t.pos !== 'SPACE' && t.pos !== 'SYM');
      const imperative = !!first && first.pos === 'VERB' && first.text.toLowerCase() === first.lemma.toLowerCase();
      if (
        !imperative &&
        !/\b(?:must|shall|should|required|need to|needs to|have to|has to)\b/i.test(prose.masked.slice(0, start))
      )
        continue;
      const clause =
        prose.masked
          .slice(0, start)
          .split(/[,;:(—]/)
          .pop() ?? '';
      if (/\b(?:if|when|whenever|whether|unless|even)\b/i.test(clause)) continue;
      // a relative clause after a noun ("requests that encourage ..."), not a complement ("stating that ...")
      const before = prose.tokens.filter((t) => t.end <= start && t.start >= start - clause.length);
      if (
        before.some(
          (t, i) =>
            /^(?:that|which|who)$/i.test(t.text) && (before[i - 1]?.pos === 'NOUN' || before[i - 1]?.pos === 'PROPN'),
        )
      )
        continue;
      found.push({
        start,
        end,
        message:
          '"and/or" does not say whether one of the alternatives is enough or both are required: write "or" (either, or both) or "and" (both), or say "A, B, or both".',
        fixes: [
          { title: 'Replace with "or" (one is enough)', edits: [{ start, end, newText: 'or' }], preferred: true },
          { title: 'Replace with "and" (both are required)', edits: [{ start, end, newText: 'and' }] },
        ],
      });
    }
    return found;
  },
});
