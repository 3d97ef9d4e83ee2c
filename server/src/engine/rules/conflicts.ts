import { conflictFindings } from '../conflicts/analysis';
import { AUTHORITY_INVERSION, EXCLUSIVE_CHOICE, NEAR_DUPLICATE, NUMERIC_CONFLICT, OPPOSITE_OBLIGATION } from '../conflicts/detect';
import { requiresReason } from '../suppressions';
import type { Rule, RuleContext, Severity } from './types';

const SUPPRESSION = /^clarifier-(?:disable-next-line|disable-line|disable)\s+(.*?)(?:\s(?:--|—)\s([\s\S]*))?$/;

/** Each conflict rule reads its own findings from the workspace-wide analysis, computed once per change. */
function conflictRule(id: string, description: string, defaultSeverity: Severity): Rule {
  return {
    id,
    description,
    category: 'conflict',
    defaultSeverity,
    check({ doc, workspace, config, report }: RuleContext) {
      for (const finding of conflictFindings(workspace, doc.uri, config)) {
        if (finding.ruleId !== id) continue;
        report({ span: finding.span, message: finding.message, related: finding.related, fixes: finding.fixes, severity: finding.severity });
      }
      if (!requiresReason(id)) return;
      for (const comment of doc.comments) {
        const directive = SUPPRESSION.exec(comment.text.trim());
        if (!directive || !directive[1].split(/[\s,]+/).includes(id)) continue;
        const reason = (directive[2] ?? '').replace(/^\s*reason:/i, '').trim();
        if (reason) continue;
        report({
          span: comment.span,
          severity: 'warning',
          message: `This comment does not silence ${id}: a conflict is only marked as intended with a reason, e.g. <!-- clarifier-disable-next-line ${id} -- reason: refunds for enterprise plans follow the contract -->.`,
        });
      }
    },
  };
}

export const conflictOppositeObligation = conflictRule(OPPOSITE_OBLIGATION, 'Two clauses require and forbid the same action on the same object in the same scope (must X vs must not X).', 'warning');
export const conflictExclusiveChoice = conflictRule(EXCLUSIVE_CHOICE, 'Two clauses make choices that exclude each other ("only through A" vs "through B"; "relational" vs "non-relational" store).', 'warning');
export const conflictNumeric = conflictRule(NUMERIC_CONFLICT, 'Two clauses set numeric limits on the same thing that no value satisfies (at most 100 words vs at least 200 words).', 'warning');
export const conflictAuthorityInversion = conflictRule(AUTHORITY_INVERSION, 'A lower-authority clause claims to override a higher one, or a root-level clause says it can be overridden.', 'warning');
export const nearDuplicateClause = conflictRule(NEAR_DUPLICATE, 'Two clauses say the same thing in different words: one will drift when the other is edited.', 'information');

export const CONFLICT_RULES: readonly Rule[] = [conflictOppositeObligation, conflictExclusiveChoice, conflictNumeric, conflictAuthorityInversion, nearDuplicateClause];
