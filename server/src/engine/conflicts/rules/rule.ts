import type { Finding, Fix, Severity } from '../../rules/types';
import type { PairConflict } from '../clauseIndex';
import type { ClauseEntry } from '../entries';
import { exceptionFix, pairGroup, precedenceFixes } from '../fixes';
import { short, where } from '../messages';

/**
 * One conflict rule: its id, what it reports, and how it words a finding and its fixes for a pair
 * that the analysis supplied. Detection lives in the pair detectors; wording lives here.
 */
export interface ConflictRule {
  id: string;
  description: string;
  defaultSeverity: Severity | 'off';
  /** Severity under the `strict` profile, when it differs from the default. */
  strictSeverity?: Severity;
  /** See Rule.suppressionNeedsReason: true for the rules that report contradictions. */
  suppressionNeedsReason: boolean;
  /** The finding on `self` for a pair reported under this rule's id. */
  pairFinding(pair: PairConflict, self: ClauseEntry, other: ClauseEntry): Finding;
}

/** The reason from `self`'s side of the pair. */
export function reasonFor(pair: PairConflict, self: ClauseEntry): string {
  return self === pair.b && pair.reasonForSecond ? pair.reasonForSecond : pair.reason;
}

/** The finding of a rule for two clauses that cannot both be obeyed: message, precedence and exception fixes. */
export function contradictionFinding(
  ruleId: string,
  severity: Severity,
  pair: PairConflict,
  self: ClauseEntry,
  other: ClauseEntry,
): Finding {
  const group = pairGroup(ruleId, pair.a, pair.b);
  const fixes: Fix[] = [...precedenceFixes(self, other, group), exceptionFix(self, ruleId, group)];
  return {
    ruleId,
    severity,
    span: self.clause.span,
    message: `"${short(self.clause.plain)}" conflicts with "${short(other.clause.plain)}"${where(other, self)}: ${reasonFor(pair, self)}. State which one wins, or mark one as an exception to the other.`,
    related: [
      {
        uri: other.uri,
        span: other.clause.span,
        message: `the conflicting clause: "${short(other.clause.plain, 50)}"`,
      },
    ],
    fixes,
  };
}

/** A contradiction rule: every pair reported under its id is worded by contradictionFinding. */
export function contradictionRule(id: string, description: string): ConflictRule {
  return {
    id,
    description,
    defaultSeverity: 'warning',
    suppressionNeedsReason: true,
    pairFinding: (pair, self, other) => contradictionFinding(id, 'warning', pair, self, other),
  };
}

/**
 * A pair the chain of command settles: the lower clause gives way where both apply. Reported as
 * information on the lower clause, so the effective policy is visible where it is written.
 */
export function settledFinding(ruleId: string, pair: PairConflict, lower: ClauseEntry, higher: ClauseEntry): Finding {
  return {
    ruleId,
    severity: 'information',
    span: lower.clause.span,
    message: `"${short(lower.clause.plain)}" is overridden by "${short(higher.clause.plain)}"${where(higher, lower)} (${higher.authority}): ${reasonFor(pair, lower)}. Where both apply, the ${higher.authority}-level rule holds.`,
    related: [{ uri: higher.uri, span: higher.clause.span, message: `the ${higher.authority}-level clause that wins` }],
  };
}
