import { NEAR_DUPLICATE } from '../detect';
import { short, where } from '../messages';
import { reasonFor, type ConflictRule } from './rule';

export const nearDuplicate: ConflictRule = {
  id: NEAR_DUPLICATE,
  description: 'Two clauses say the same thing in different words: one will drift when the other is edited.',
  // strict only: on real specs most repeats are restatements per context (issue 10; the judged
  // sample is test/precision/conflicts-near-duplicates.json)
  defaultSeverity: 'off',
  strictSeverity: 'information',
  // a repetition is not a contradiction: plain suppression comments silence it
  suppressionNeedsReason: false,
  pairFinding: (pair, self, other) => ({
    ruleId: NEAR_DUPLICATE,
    severity: 'information',
    span: self.clause.span,
    message: `"${short(self.clause.plain)}" repeats "${short(other.clause.plain)}"${where(other, self)}: ${reasonFor(pair, self)}.`,
    related: [{ uri: other.uri, span: other.clause.span, message: 'the clause it repeats' }],
  }),
};
