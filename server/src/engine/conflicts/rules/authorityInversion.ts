import type { Finding } from '../../rules/types';
import type { AuthorityInversion } from '../authority';
import { AUTHORITY_INVERSION } from '../detect';
import { exceptionFix } from '../fixes';

export const authorityInversion = {
  id: AUTHORITY_INVERSION,
  description:
    'A lower-authority clause claims to override a higher one, or a root-level clause says it can be overridden.',
  defaultSeverity: 'warning' as const,
  suppressionNeedsReason: true,
  finding(inversion: AuthorityInversion): Finding {
    return {
      ruleId: AUTHORITY_INVERSION,
      severity: 'warning',
      span: inversion.entry.clause.span,
      message: inversion.message,
      related: [inversion.related],
      fixes: [exceptionFix(inversion.entry, AUTHORITY_INVERSION)],
    };
  },
};
