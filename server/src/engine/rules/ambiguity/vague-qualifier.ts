import { sentenceRule } from './lexical';
import type { LocalFinding } from './prose';

/**
 * Adjectives and adverbs that leave the decisive criterion to the reader. "sensitive", "clear" and
 * "relevant" are left out of the default list: in policy prose they usually name a category the
 * document goes on to define.
 */
const VAGUE = new Set([
  'appropriate',
  'appropriately',
  'inappropriate',
  'reasonable',
  'reasonably',
  'unreasonable',
  'adequate',
  'adequately',
  'sufficient',
  'sufficiently',
  'insufficient',
  'suitable',
  'suitably',
  'proper',
  'properly',
  'user-friendly',
  'robust',
  'robustly',
  'significant',
  'significantly',
  'substantial',
  'substantially',
  'acceptable',
  'efficient',
  'efficiently',
  'easy',
  'easily',
  'simple',
  'flexible',
  'normal',
  'normally',
  'excessive',
  'excessively',
  'undue',
  'unduly',
  'meaningful',
  'meaningfully',
]);
/** A word right after the qualifier that states the criterion: "appropriate for minors", "sufficient to identify". */
const BOUNDED_BY = /^\s+(?:for|to|under|given|according|as defined|per)\b/i;

export const vagueQualifier = sentenceRule({
  id: 'vague-qualifier',
  description:
    'A subjective qualifier (appropriate, reasonable, robust, significant...) leaves the criterion to the reader.',
  // judged right on 5 of 29 on the Model Spec: deliberate judgment words in policy prose. Strict only.
  // Removed from both profiles (issue 10): on the hand-judged corpus sample it was right on
  // 2 of 16 strict-profile findings; in product requirements the vague-bound rule reports these words with the question to answer. Still available with an explicit severity in .clarifier.json.
  defaultSeverity: 'off',
  scope: { normativeOnly: true },
  detect(prose) {
    const found: LocalFinding[] = [];
    for (const token of prose.tokens) {
      const word = token.text.toLowerCase();
      if (!VAGUE.has(word) || (token.pos !== 'ADJ' && token.pos !== 'ADV')) continue;
      const after = prose.masked.slice(token.end);
      // "as appropriate", "when appropriate": an escape clause, reported by that rule
      if (/\b(?:as|when|whenever|where|wherever|if)\s+$/i.test(prose.masked.slice(0, token.start))) continue;
      // "a reasonable user" names a standard of judgment on purpose, as the law does
      if (/^\s+(?:user|person|human|reader|observer|people|adult)s?\b/i.test(after)) continue;
      if (BOUNDED_BY.test(after) || /^\s*(?:\(|:|—|--)/.test(after)) continue;
      found.push({
        start: token.start,
        end: token.end,
        message: `"${token.text}" is a judgment call that two readers can make differently: state the criterion (a threshold, a list, or a link to a definition).`,
      });
    }
    return found;
  },
});
