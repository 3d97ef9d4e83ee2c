import type { Logger } from './host';
import type { SpecDocument } from './model';
import { RULES } from './rules/registry';
import type { Finding, Rule, Severity } from './rules/types';
import { isSuppressed, suppressions } from './suppressions';
import type { SpecWorkspace } from './workspace';
import type { ResolvedConfig } from './config';

const SEVERITY_OF_SETTING: Record<string, Severity | undefined> = { error: 'error', warning: 'warning', info: 'information', hint: 'hint' };

export function effectiveSeverity(rule: Rule, config: ResolvedConfig): Severity | undefined {
  const setting = config.rules[rule.id];
  if (setting === 'off') return undefined;
  if (setting) return SEVERITY_OF_SETTING[setting];
  if (config.profile === 'strict' && rule.strictSeverity) return rule.strictSeverity;
  return rule.defaultSeverity === 'off' ? undefined : rule.defaultSeverity;
}

/**
 * Runs every enabled rule on one document. A rule that throws is logged and skipped, so one bad
 * rule or one malformed document never takes the others down.
 */
export function lintDocument(doc: SpecDocument, workspace: SpecWorkspace, logger: Logger, config: ResolvedConfig = workspace.config, rules: readonly Rule[] = RULES): Finding[] {
  if (!workspace.isSpec(doc.uri)) return [];
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, config);
    if (!severity) continue;
    // a finding may carry its own severity (a hint beside errors), unless the user configured the rule
    const configured = config.rules[rule.id] !== undefined || (config.profile === 'strict' && !!rule.strictSeverity);
    try {
      rule.check({
        doc,
        workspace,
        config,
        report: (input) => findings.push({ ...input, ruleId: rule.id, severity: configured ? severity : input.severity ?? severity }),
      });
    } catch (error) {
      logger.error('rule failed', { rule: rule.id, uri: doc.uri, error: error instanceof Error ? error.stack : String(error) });
    }
  }
  const list = suppressions(doc);
  return findings.filter((finding) => !isSuppressed(doc, finding, list)).sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
}
