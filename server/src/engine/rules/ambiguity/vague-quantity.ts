import { conventionsOf } from '../../conventions';
import type { Rule } from '../types';
import { sentenceRule } from './lexical';
import type { LocalFinding, LocalFix, Prose } from './prose';
import { fillIn } from './blanks';

const QUANTITY =
  /\b(?:several|numerous|a few|a number of|a lot of|lots of|a handful of|a large number of|a small number of|many)\b/gi;
const TIMING =
  /\b(?:soon|promptly|periodically|regularly|frequently|occasionally|in a timely manner|timely|shortly|as soon as possible|eventually|as needed|from time to time)\b/gi;

const DEONTIC = /^(?:must|shall|should|need|needs|required|ought)$/i;
const CLAUSE_BREAK = /[;:]|\b(?:if|when|whenever|unless|because|although|though|while|but|especially|since|where)\b/i;

/**
 * True when the words at `start` are governed by the rule's obligation: a deontic modal (or the
 * imperative that opens the sentence) comes before them in the same clause. "We may periodically
 * audit" and "if they do not respond in a timely fashion" describe; "credentials SHOULD be rotated
 * periodically" requires.
 */
function underObligation(prose: Prose, start: number): boolean {
  const tokens = prose.tokens;
  let modalEnd = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.start >= start) break;
    // "would need to" describes; "MAY support" (tagged as a noun in capitals) permits
    if (
      DEONTIC.test(t.text) &&
      (t.pos === 'AUX' || t.pos === 'VERB' || /^required$/i.test(t.text)) &&
      !/^(?:would|could|might|may)$/i.test(tokens[i - 1]?.text ?? '')
    )
      modalEnd = t.end;
    else if (/^(?:may|might|can|could|will|would)$/i.test(t.text)) modalEnd = -1;
  }
  if (modalEnd < 0) {
    const first = tokens.find((t) => t.pos !== 'PUNCT' && t.pos !== 'SPACE' && t.pos !== 'SYM' && t.pos !== 'X');
    if (!first || first.pos !== 'VERB' || first.text.toLowerCase() !== first.lemma.toLowerCase()) return false;
    modalEnd = first.end;
  }
  return !CLAUSE_BREAK.test(prose.masked.slice(modalEnd, start));
}

const vagueQuantitySentences = sentenceRule({
  id: 'vague-quantity',
  description:
    'A vague quantity or timing (several, a few, soon, promptly, periodically, as needed) where the rule needs a number.',
  defaultSeverity: 'information',
  scope: { normativeOnly: true },
  detect(prose, text) {
    const found: LocalFinding[] = [];
    for (const match of prose.masked.matchAll(QUANTITY)) {
      const start = match.index!;
      const end = start + match[0].length;
      const next = /^\s+([\p{L}-]+)/u.exec(prose.masked.slice(end))?.[1];
      // "to-many relationship", "has-many": a name, not a count
      if (/-$/.test(prose.masked.slice(0, start))) continue;
      // "Many plugins would need ...": a count in the subject describes the world; the rule's count comes after its verb
      const before = prose.masked.slice(0, start);
      if (
        !prose.tokens.some((t) => t.end <= start && (t.pos === 'AUX' || t.pos === 'VERB')) &&
        !/^\s*$/.test(before.replace(/^\s*(?:[-*+]|\d+[.)])\s/, ''))
      )
        continue;
      if (/^\s*$/.test(before) && next && !/^(?:times|seconds|minutes|hours|days|retries|attempts)$/i.test(next))
        continue;
      // "many" as a pronoun or in "how many"/"as many as" is not a count the rule sets
      if (/^many$/i.test(match[0]) && (/\b(?:how|as|so|too)\s+$/i.test(prose.masked.slice(0, start)) || !next))
        continue;
      // quantities of people or cases describe the world, not what must be done
      if (
        next &&
        /^(?:people|users|cases|situations|contexts|ways|instances|of|others|kinds|types|forms|reasons|aspects|areas|cultures|countries|jurisdictions|languages)$/i.test(
          next,
        )
      )
        continue;
      if (!underObligation(prose, start)) continue;
      const fixes: LocalFix[] = [
        {
          title: `Replace with a number: "${fillIn('number')}"`,
          edits: [{ start, end, newText: fillIn('number') }],
          preferred: true,
          needsInput: true,
        },
        {
          title: `Replace with "at least ${fillIn('number')}"`,
          edits: [{ start, end, newText: `at least ${fillIn('number')}` }],
          needsInput: true,
        },
      ];
      found.push({
        start,
        end,
        message: `"${text.slice(start, end)}" does not say how many: give the number or range the rule requires.`,
        fixes,
      });
    }
    for (const match of prose.masked.matchAll(TIMING)) {
      const start = match.index!;
      const end = start + match[0].length;
      if (!underObligation(prose, start)) continue;
      const fixes: LocalFix[] = [
        {
          title: `Replace with "within ${fillIn('limit')}"`,
          edits: [{ start, end, newText: `within ${fillIn('limit')}` }],
          preferred: true,
          needsInput: true,
        },
        {
          title: `Replace with "every ${fillIn('interval')}"`,
          edits: [{ start, end, newText: `every ${fillIn('interval')}` }],
          needsInput: true,
        },
        {
          title: `Replace with "when ${fillIn('condition')}"`,
          edits: [{ start, end, newText: `when ${fillIn('condition')}` }],
          needsInput: true,
        },
      ];
      found.push({
        start,
        end,
        message: `"${text.slice(start, end)}" does not say when or how often: give a time limit, an interval or the triggering condition.`,
        fixes,
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
});

/**
 * Read in product requirements only (spec-kit, Kiro/EARS, PRDs, design docs): there every
 * requirement is a test. In agent files, policies and standards these words were judged worth
 * changing on none of 14 findings: "rotate credentials periodically" in a protocol leaves the
 * period to the deployment on purpose.
 */
export const vagueQuantity: Rule = {
  ...vagueQuantitySentences,
  check(ctx) {
    const conventions = conventionsOf(ctx.doc);
    if (conventions.kind !== 'product-spec' && !conventions.ears) return;
    vagueQuantitySentences.check(ctx);
  },
};
