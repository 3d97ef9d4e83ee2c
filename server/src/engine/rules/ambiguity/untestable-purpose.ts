import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

/**
 * A purpose written into a requirement ("to allow future growth", "for better maintainability")
 * cannot be tested: nobody can check "future growth" today. INCOSE's Guide to Writing
 * Requirements (R20) keeps purpose and rationale out of the requirement text.
 */
const PURPOSE =
  /\b(?:(?:in order )?to (?:allow|enable|support|ensure|improve|facilitate|accommodate|make|permit|provide|increase|enhance|maximi[sz]e|simplify)|for)\s+(?:(?:easy|easier|better|greater|improved|more|maximum|potential|possible|any)\s+)?(?:future\s+[\p{L}-]+|growth|extensib\w+|extensions?\b|scalab\w+|maintainab\w+|flexib\w+|expansion|evolution|reusab\w+|(?:it )?easier\b[^,.;]*|better\s+[\p{L}-]+|long-term\s+[\p{L}-]+)|\bfor\s+(?:efficient|faster|better|easier|improved|optimal|optimi[sz]ed)\s+[\p{L}-]+/giu;

const untestablePurposeSentences = sentenceRule({
  id: 'untestable-purpose',
  description:
    'A purpose clause in a requirement ("to allow future growth", "for flexibility") that no test can check.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(PURPOSE)) {
      const start = match.index!;
      const end = start + match[0].trimEnd().length;
      const phrase = text.slice(start, end);
      found.push({
        start,
        end,
        message: `"${phrase}" is a purpose, not something a test can check: state the property that serves it (a limit, an interface, a supported case), or move the purpose to a rationale.`,
      });
    }
    return found;
  },
});

/**
 * Read in product requirements only (spec-kit, Kiro/EARS, PRDs, design docs): there every
 * requirement is a test. In agent files, policies and standards these words were judged worth
 * changing on none of 14 findings: "rotate credentials periodically" in a protocol leaves the
 * period to the deployment on purpose.
 */
export const untestablePurpose: Rule = {
  ...untestablePurposeSentences,
  check(ctx) {
    const conventions = conventionsOf(ctx.doc);
    if (conventions.kind !== 'product-spec' && !conventions.ears) return;
    untestablePurposeSentences.check(ctx);
  },
};
