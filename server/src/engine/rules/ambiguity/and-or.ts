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
      // only "and/or" between two things the rule requires is a question: "state X and/or recommend Y".
      // Between nouns or conditions ("if the namespace and/or interface no longer exist") or in a clause that
      // describes ("requests that encourage X and/or require Y") it reads as "either or both", as intended.
      const next = prose.tokens.find((t) => t.start >= end && t.pos !== 'SPACE');
      if (!next || (next.pos !== 'VERB' && next.pos !== 'AUX')) continue;
      const clause = prose.masked.slice(0, start).split(/[,;:(—]/).pop() ?? '';
      if (/\b(?:that|which|who|if|when|whether|unless|even)\b/i.test(clause)) continue;
      found.push({
        start,
        end,
        message: '"and/or" does not say whether one of the alternatives is enough or both are required: write "or" (either, or both) or "and" (both), or say "A, B, or both".',
        fixes: [
          { title: 'Replace with "or" (one is enough)', edits: [{ start, end, newText: 'or' }], preferred: true },
          { title: 'Replace with "and" (both are required)', edits: [{ start, end, newText: 'and' }] },
        ],
      });
    }
    return found;
  },
});
