import { MODEL_CONFLICT, modelConflictFindings } from '../conflicts/modelTier';
import type { Rule } from './types';

/** Reports what the last model-tier run stored for the workspace (`clarifier lint --deep`); nothing without one. */
export const conflictModel: Rule = {
  id: MODEL_CONFLICT,
  description: 'A model judged two similar clauses to contradict each other (model tier, `clarifier lint --deep`).',
  category: 'conflict',
  needsModel: true,
  suppressionNeedsReason: true,
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    for (const finding of modelConflictFindings(workspace, doc))
      report({
        span: finding.span,
        message: finding.message,
        related: finding.related,
        fixes: finding.fixes,
        severity: finding.severity,
      });
  },
};
