import type { Logger } from './host';
import type { SpecDocument } from './model';
import { RULES } from './rules/registry';
import type { Finding, Rule, Severity } from './rules/types';
import { isSuppressed, suppressions } from './suppressions';
import { describeError, problemMessage, problemsOf, type InternalProblem } from './isolation';
import { internalError } from './rules/internal-error';
import type { SpecWorkspace } from './workspace';
import type { ResolvedConfig } from './config';
import { modelResultsVersion } from './deep/store';

const SEVERITY_OF_SETTING: Record<string, Severity | undefined> = {
  error: 'error',
  warning: 'warning',
  info: 'information',
  hint: 'hint',
};

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
export function lintDocument(
  doc: SpecDocument,
  workspace: SpecWorkspace,
  logger: Logger,
  config: ResolvedConfig = workspace.config,
  rules: readonly Rule[] = RULES,
): Finding[] {
  if (!workspace.isSpec(doc.uri)) return [];
  const memo = memoOf(doc, workspace, config, rules);
  if (memo.findings) return [...memo.findings];
  const run = new RuleRun(doc, workspace, config);
  for (const rule of rules) run.check(rule);
  const findings = run.finish(logger, rules);
  lastLint.set(doc, { ...memo.key, findings });
  return [...findings];
}

/** How an editor request lets others run meanwhile: a pause between rules, and whether it was cancelled. */
export interface Yielding {
  /** Lets other requests and notifications be handled (e.g. `setImmediate`). */
  pause(): Promise<void>;
  isCancelled(): boolean;
}

/**
 * lintDocument for the language server: the same findings, but it pauses between rules, so that a
 * big file does not keep the server from answering other requests, and it stops as soon as the
 * request is cancelled (undefined then: the caller answers "cancelled", never an empty list).
 */
export async function lintDocumentYielding(
  doc: SpecDocument,
  workspace: SpecWorkspace,
  logger: Logger,
  config: ResolvedConfig,
  yielding: Yielding,
  rules: readonly Rule[] = RULES,
): Promise<Finding[] | undefined> {
  if (!workspace.isSpec(doc.uri)) return [];
  const memo = memoOf(doc, workspace, config, rules);
  if (memo.findings) return [...memo.findings];
  const run = new RuleRun(doc, workspace, config);
  for (const rule of rules) {
    await yielding.pause();
    if (yielding.isCancelled()) return undefined;
    run.check(rule);
  }
  const findings = run.finish(logger, rules);
  // an edit during a pause made a new document: these findings are still this document's, and stay memoized for it
  lastLint.set(doc, { ...memo.key, findings });
  return [...findings];
}

/**
 * The editor asks twice per keystroke (the diagnostics pull, then the status bar's count): the
 * second answer is the first one's, as long as no file, spec status, config or rule list changed.
 */
function memoOf(
  doc: SpecDocument,
  workspace: SpecWorkspace,
  config: ResolvedConfig,
  rules: readonly Rule[],
): { key: Omit<LintMemo, 'findings'>; findings?: Finding[] } {
  const allDocuments = workspace.allDocuments();
  const specDocuments = workspace.specDocuments();
  const known = lastLint.get(doc);
  const modelVersion = modelResultsVersion(workspace);
  const key = { workspace, config, rules, modelVersion, allDocuments, specDocuments };
  if (
    known &&
    known.workspace === workspace &&
    known.config === config &&
    known.rules === rules &&
    known.modelVersion === modelVersion &&
    sameItems(known.allDocuments, allDocuments) &&
    sameItems(known.specDocuments, specDocuments)
  ) {
    return { key, findings: known.findings };
  }
  return { key };
}

interface LintMemo {
  workspace: SpecWorkspace;
  config: ResolvedConfig;
  rules: readonly Rule[];
  /** Model tier results are read by rules: a new run is a new answer. */
  modelVersion: number;
  allDocuments: SpecDocument[];
  specDocuments: SpecDocument[];
  findings: Finding[];
}

/** A parsed document is immutable: a new text is a new SpecDocument, so the memo dies with the old one. */
const lastLint = new WeakMap<SpecDocument, LintMemo>();

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One lint of one document, rule by rule: a rule that throws becomes an internal-error finding, the others still run. */
class RuleRun {
  private readonly findings: Finding[] = [];
  private readonly failures: InternalProblem[] = [];

  constructor(
    private readonly doc: SpecDocument,
    private readonly workspace: SpecWorkspace,
    private readonly config: ResolvedConfig,
  ) {}

  check(rule: Rule): void {
    const { doc, workspace, config } = this;
    const severity = effectiveSeverity(rule, config);
    if (!severity) return;
    // a finding may carry its own severity (a hint beside errors), unless the user configured the rule
    const configured = config.rules[rule.id] !== undefined || (config.profile === 'strict' && !!rule.strictSeverity);
    const own: Finding[] = [];
    try {
      rule.check({
        doc,
        workspace,
        config,
        report: (input) =>
          own.push({ ...input, ruleId: rule.id, severity: configured ? severity : (input.severity ?? severity) }),
      });
      // a loop, not push(...own): spreading 150,000 findings overflows the call stack
      for (const finding of own) this.findings.push(finding);
    } catch (error) {
      // the rule's partial findings are dropped (they may be half a story); the failure is a finding of its own
      this.failures.push({ stage: 'rule', rule: rule.id, span: { start: 0, end: 0 }, ...describeError(error) });
    }
  }

  finish(logger: Logger, rules: readonly Rule[]): Finding[] {
    const { doc, config, findings, failures } = this;
    const internalSeverity = effectiveSeverity(internalError, config);
    for (const failure of failures) {
      if (internalSeverity)
        findings.push({
          ruleId: internalError.id,
          severity: internalSeverity,
          span: failure.span,
          message: problemMessage(failure),
        });
    }
    logProblems(doc, [...problemsOf(doc), ...failures], logger);
    const list = suppressions(doc);
    const needsReason = new Set(rules.filter((rule) => rule.suppressionNeedsReason).map((rule) => rule.id));
    return findings
      .filter((finding) => !isSuppressed(doc, finding, list, needsReason.has(finding.ruleId)))
      .sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  }
}

/** Problems already logged, so that an editor linting on every keystroke logs each one once. */
const logged = new WeakMap<SpecDocument, Set<string>>();

/** One structured log line per internal problem: the file, the stage, the rule, the error and its stack. */
function logProblems(doc: SpecDocument, problems: InternalProblem[], logger: Logger) {
  if (!problems.length) return;
  let seen = logged.get(doc);
  if (!seen) logged.set(doc, (seen = new Set()));
  for (const problem of problems) {
    const key = `${problem.stage}|${problem.rule ?? ''}|${problem.span.start}|${problem.error}`;
    if (seen.has(key)) continue;
    seen.add(key);
    logger.error('internal error', {
      file: doc.uri,
      stage: problem.stage,
      rule: problem.rule,
      line: doc.lines.positionAt(problem.span.start).line + 1,
      error: problem.error,
      stack: problem.stack,
    });
  }
}
