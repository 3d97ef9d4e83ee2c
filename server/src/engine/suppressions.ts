import type { SpecDocument } from './model';
import type { Finding } from './rules/types';
import type { Span } from './text';

const DIRECTIVE = /^clarifier-(disable-next-line|disable-line|disable|enable)\b\s*([\s\S]*)$/;

/** One `<!-- clarifier-… -->` comment, parsed. */
export interface SuppressionDirective {
  kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  /** The rule ids it names; empty means every rule. */
  ruleIds: string[];
  /** The text after ` -- ` (a leading "reason:" removed); empty when none was given. */
  reason: string;
  /** The comment's span. */
  span: Span;
}

interface Suppression {
  rules: Set<string> | 'all';
  reason: string;
  fromLine: number;
  toLine: number;
}

/**
 * Every suppression comment of a document, in order. The one parser of the directive syntax: the
 * suppressions below and the conflict rules' "this comment has no reason" warning both read it.
 */
export function suppressionDirectives(doc: SpecDocument): SuppressionDirective[] {
  const result: SuppressionDirective[] = [];
  for (const comment of doc.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const [ruleText, ...rest] = match[2].split(/\s--\s|\s—\s/);
    const reason = rest
      .join(' -- ')
      .replace(/^\s*reason:/i, '')
      .trim();
    const ruleIds = ruleText.split(/[\s,]+/).filter(Boolean);
    result.push({ kind: match[1] as SuppressionDirective['kind'], ruleIds, reason, span: comment.span });
  }
  return result;
}

/**
 * `<!-- clarifier-disable-next-line RULE -->`, `<!-- clarifier-disable RULE -->` ... `<!-- clarifier-enable RULE -->`.
 * A directive without rule ids applies to every rule; text after ` -- ` is the reason. Rules flagged
 * `suppressionNeedsReason` (the conflict rules) are only silenced with a reason: an intended
 * exception must say why.
 */
export function suppressions(doc: SpecDocument): Suppression[] {
  const result: Suppression[] = [];
  const open = new Map<string, { line: number; reason: string }>();
  for (const directive of suppressionDirectives(doc)) {
    const { ruleIds: ids, reason } = directive;
    const line = doc.lines.positionAt(directive.span.start).line;
    const endLine = doc.lines.positionAt(directive.span.end).line;
    const rules: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    switch (directive.kind) {
      case 'disable-next-line':
        result.push({ rules, reason, fromLine: endLine + 1, toLine: endLine + 1 });
        break;
      case 'disable-line':
        result.push({ rules, reason, fromLine: line, toLine: endLine });
        break;
      case 'disable':
        for (const id of ids.length ? ids : ['*']) if (!open.has(id)) open.set(id, { line, reason });
        break;
      case 'enable':
        for (const id of ids.length ? ids : [...open.keys()]) {
          const from = open.get(id);
          if (from === undefined) continue;
          open.delete(id);
          result.push({
            rules: id === '*' ? 'all' : new Set([id]),
            reason: from.reason,
            fromLine: from.line,
            toLine: line,
          });
        }
        break;
    }
  }
  for (const [id, from] of open)
    result.push({
      rules: id === '*' ? 'all' : new Set([id]),
      reason: from.reason,
      fromLine: from.line,
      toLine: Number.MAX_SAFE_INTEGER,
    });
  return result;
}

/** Whether a comment silences a finding; `needsReason` is the finding's rule's `suppressionNeedsReason`. */
export function isSuppressed(doc: SpecDocument, finding: Finding, list: Suppression[], needsReason: boolean): boolean {
  if (!list.length) return false;
  const line = doc.lines.positionAt(finding.span.start).line;
  return list.some(
    (s) =>
      line >= s.fromLine &&
      line <= s.toLine &&
      (s.rules === 'all' || s.rules.has(finding.ruleId)) &&
      (!needsReason || s.reason !== ''),
  );
}
