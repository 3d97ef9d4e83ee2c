import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

/**
 * "Usually, only admins may delete projects": which exceptions? A hedge in front of a rule says
 * there are cases where it does not hold and leaves them to the reader.
 */
const HEDGE =
  /(?:^|[.;:]\s+|,\s+)(usually|generally|typically|normally|in general|in most cases|as a rule|mostly|for the most part|in principle|by and large|more often than not)\b/gi;

export const hedgedRule = sentenceRule({
  id: 'hedged-rule',
  description: 'A hedge before a rule (usually, generally, typically, in most cases) hides its exceptions.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    const masked = prose.masked.replace(/^\s*(?:[-*+]|\d+[.)])\s/, (m) => ' '.repeat(m.length));
    for (const match of masked.matchAll(HEDGE)) {
      const start = match.index! + match[0].length - match[1].length;
      const end = start + match[1].length;
      // the hedge must govern a rule that follows it: a modal or an imperative after it in the sentence
      const rest = masked.slice(end);
      // a hedge on a "should" repeats what "should" already says; on a hard rule it hides exceptions
      if (
        !/\b(?:must|shall|need to|needs to|have to|has to|only|never|always|do not|don't|is required|are required)\b/i.test(
          rest,
        ) &&
        !/^,?\s*(?:use|keep|run|avoid|add|write|call|put|make|ask|check|return|respond|include)\b/i.test(rest)
      )
        continue;
      // "as described below" style pointers or an exception stated right after: "usually, except when ..."
      if (/^,?\s*(?:except|unless|but not|other than)\b/i.test(rest) || /\b(?:except|unless|other than)\b/i.test(rest))
        continue;
      const word = text.slice(start, end);
      found.push({
        start,
        end,
        message: `"${word}" before a rule says it has exceptions without naming them: state when it does not apply, or drop "${word.toLowerCase()}" if it always does.`,
      });
    }
    return found;
  },
});
