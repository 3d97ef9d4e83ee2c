import { MODEL_AMBIGUITY } from '../deep/ambiguity';
import { ambiguityModelFindings } from '../deep/ambiguityFindings';
import type { Rule } from './types';

/** Reports what the last ambiguity model tier run stored (`clarifier lint --deep`, the editor's model tier); nothing without one. */
export const ambiguityModel: Rule = {
  id: MODEL_AMBIGUITY,
  description:
    'A model found readings of a clause that lead to different behaviour (model tier, `clarifier lint --deep`).',
  category: 'ambiguity',
  needsModel: true,
  defaultSeverity: 'warning',
  check({ doc, workspace, report }) {
    for (const finding of ambiguityModelFindings(workspace, doc))
      report({
        span: finding.span,
        message: finding.message,
        fixes: finding.fixes,
        severity: finding.severity,
        tags: finding.tags,
        data: finding.data,
      });
  },
};
