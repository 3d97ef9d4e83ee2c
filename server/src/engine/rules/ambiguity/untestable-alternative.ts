import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

/**
 * "Respond with 400 or 422": which one? Two concrete values joined by "or" in a rule leave a
 * tester unable to say which answer is right. "Either ... or" and "one of" say the choice is the
 * implementer's on purpose and are accepted.
 */
const STATUS_OR =
  /\b([1-5]\d\d)(?:\s+[A-Z][\p{L} ]{1,30}?)?\s*(?:,\s*[1-5]\d\d(?:\s+[A-Z][\p{L} ]{1,30}?)?\s*)*,?\s+or\s+(?:a\s+)?([1-5]\d\d)\b/gu;

export const untestableAlternative = sentenceRule({
  id: 'untestable-alternative',
  description:
    'Alternatives joined by "or" in a rule (respond with 400 or 422) with no way to tell which one is right.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(STATUS_OR)) {
      const before = prose.masked.slice(Math.max(0, match.index! - 60), match.index!);
      if (/\b(?:either|one of|any of|such as|e\.g\.|for example|like)\s+(?:a\s+|an\s+|the\s+)?[^,;]*$/i.test(before))
        continue;
      const start = match.index!;
      const end = start + match[0].length;
      found.push({
        start,
        end,
        message: `"${text.slice(start, end)}": a tester cannot tell which answer is right. Say which one applies when, or write "either ... or" if the choice is the implementer's.`,
      });
    }
    return found;
  },
});
