import { conflictFindings } from '../conflicts/analysis';
import { PAIR_RULES } from '../conflicts/findings';
import { authorityInversion } from '../conflicts/rules/authorityInversion';
import { suppressionDirectives } from '../suppressions';
import type { Rule, RuleContext, Severity } from './types';

/** Each conflict rule reads its own findings from the workspace-wide analysis, computed once per change. */
function conflictRule(
  id: string,
  description: string,
  defaultSeverity: Severity | 'off',
  suppressionNeedsReason: boolean,
  strictSeverity?: Severity,
): Rule {
  return {
    id,
    description,
    category: 'conflict',
    defaultSeverity,
    strictSeverity,
    suppressionNeedsReason,
    check({ doc, workspace, config, report }: RuleContext) {
      for (const finding of conflictFindings(workspace, doc.uri, config)) {
        if (finding.ruleId !== id) continue;
        report({
          span: finding.span,
          message: finding.message,
          related: finding.related,
          fixes: finding.fixes,
          severity: finding.severity,
        });
      }
      if (!suppressionNeedsReason) return;
      for (const directive of suppressionDirectives(doc)) {
        if (directive.kind === 'enable' || directive.reason || !directive.ruleIds.includes(id)) continue;
        report({
          span: directive.span,
          severity: 'warning',
          message: `This comment does not silence ${id}: a conflict is only marked as intended with a reason, e.g. <!-- clarifier-disable-next-line ${id} -- reason: refunds for enterprise plans follow the contract -->.`,
        });
      }
    },
  };
}

const contradiction = (rule: { defaultSeverity: Severity | 'off' }) =>
  rule.defaultSeverity === 'warning' || rule.defaultSeverity === 'error';
export const CONFLICT_RULES: readonly Rule[] = [
  ...PAIR_RULES.filter(contradiction),
  authorityInversion,
  ...PAIR_RULES.filter((rule) => !contradiction(rule)),
].map((rule) =>
  conflictRule(
    rule.id,
    rule.description,
    rule.defaultSeverity,
    rule.suppressionNeedsReason,
    'strictSeverity' in rule ? rule.strictSeverity : undefined,
  ),
);
