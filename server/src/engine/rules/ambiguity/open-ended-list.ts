import { introducesExamples, removalEdit, sentenceRule } from './lexical';
import type { LocalFinding, LocalFix } from './prose';

const OPEN_END =
  /(?:\betc\.?(?=\s|$|[),;:])|\band so (?:on|forth)\b|\bincluding,? but not limited to\b|\bincluding without limitation\b|\band the like\b|\bor the like\b|\bamong others\b|\band similar\b(?!\s+\p{L})|\bor similar\b(?!\s+\p{L}))/giu;

export const openEndedList = sentenceRule({
  id: 'open-ended-list',
  description:
    'An open-ended list (etc., and so on, including but not limited to) where the list defines what the rule covers.',
  // judged right on 1 of 5 on the Model Spec: most open lists there illustrate a named category. Strict only.
  // removed from both profiles: judged right on none of its corpus or Model Spec findings (issue 10).
  // Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(OPEN_END)) {
      const start = match.index!;
      const end = start + match[0].length;
      // a list introduced as examples ("e.g.", "such as") is illustrative by design
      if (introducesExamples(prose.masked, start) && !/limited|limitation/i.test(match[0])) continue;
      const phrase = text.slice(start, end);
      const fixes: LocalFix[] = [];
      const removal = /^etc|and so|the like|among|similar/i.test(phrase) ? removalEdit(text, start, end) : undefined;
      if (removal)
        fixes.push({ title: `Remove "${phrase}" (the list is complete)`, edits: [removal], preferred: true });
      if (/limited|limitation/i.test(phrase))
        fixes.push({
          title: 'Replace with "namely" (the list is complete)',
          edits: [{ start, end, newText: 'namely' }],
        });
      found.push({
        start,
        end,
        message: `"${phrase}" leaves the scope of the rule open: list every case it covers, or state the criterion that decides what else belongs.`,
        fixes,
      });
    }
    return found;
  },
});
