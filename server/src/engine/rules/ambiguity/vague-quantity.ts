import { sentenceRule } from './lexical';
import type { LocalFinding, LocalFix } from './prose';

const QUANTITY = /\b(?:several|numerous|a few|a number of|a lot of|lots of|a handful of|a large number of|a small number of|many)\b/gi;
const TIMING = /\b(?:soon|promptly|periodically|regularly|frequently|occasionally|in a timely manner|timely|shortly|as soon as possible|eventually|as needed|from time to time)\b/gi;

export const vagueQuantity = sentenceRule({
  id: 'vague-quantity',
  description: 'A vague quantity or timing (several, a few, soon, promptly, periodically, as needed) where the rule needs a number.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(QUANTITY)) {
      const start = match.index!;
      const end = start + match[0].length;
      const next = /^\s+([\p{L}-]+)/u.exec(prose.masked.slice(end))?.[1];
      // "many" as a pronoun or in "how many"/"as many as" is not a count the rule sets
      if (/^many$/i.test(match[0]) && (/\b(?:how|as|so|too)\s+$/i.test(prose.masked.slice(0, start)) || !next)) continue;
      // quantities of people or cases describe the world, not what must be done
      if (next && /^(?:people|users|cases|situations|contexts|ways|instances|of|others|kinds|types|forms|reasons|aspects|areas|cultures|countries|jurisdictions|languages)$/i.test(next)) continue;
      const fixes: LocalFix[] = [
        { title: 'Replace with a number placeholder (N)', edits: [{ start, end, newText: 'N' }], preferred: true },
        { title: 'Replace with "at least N"', edits: [{ start, end, newText: 'at least N' }] },
      ];
      found.push({ start, end, message: `"${text.slice(start, end)}" does not say how many: give the number or range the rule requires.`, fixes });
    }
    for (const match of prose.masked.matchAll(TIMING)) {
      const start = match.index!;
      const end = start + match[0].length;
      const fixes: LocalFix[] = [
        { title: 'Replace with "within N seconds"', edits: [{ start, end, newText: 'within N seconds' }], preferred: true },
        { title: 'Replace with "every N minutes"', edits: [{ start, end, newText: 'every N minutes' }] },
        { title: 'Replace with "when <condition>"', edits: [{ start, end, newText: 'when <condition>' }] },
      ];
      found.push({ start, end, message: `"${text.slice(start, end)}" does not say when or how often: give a time limit, an interval or the triggering condition.`, fixes });
    }
    return found.sort((a, b) => a.start - b.start);
  },
});
