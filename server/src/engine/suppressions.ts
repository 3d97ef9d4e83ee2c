import type { SpecDocument } from './model';
import type { Finding } from './rules/types';

const DIRECTIVE = /^clarifier-(disable-next-line|disable-line|disable|enable)\b\s*([\s\S]*)$/;

interface Suppression {
  rules: Set<string> | 'all';
  /** The text after ` -- ` (a leading "reason:" removed); empty when none was given. */
  reason: string;
  fromLine: number;
  toLine: number;
}

/**
 * `<!-- clarifier-disable-next-line RULE -->`, `<!-- clarifier-disable RULE -->` ... `<!-- clarifier-enable RULE -->`.
 * A directive without rule ids applies to every rule; text after ` -- ` is the reason. Conflict
 * rules are only silenced with a reason: an intended exception must say why.
 */
export function suppressions(doc: SpecDocument): Suppression[] {
  const result: Suppression[] = [];
  const open = new Map<string, { line: number; reason: string }>();
  for (const comment of doc.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const [ruleText, ...rest] = match[2].split(/\s--\s|\s—\s/);
    const reason = rest.join(' -- ').replace(/^\s*reason:/i, '').trim();
    const ids = ruleText.split(/[\s,]+/).filter(Boolean);
    const line = doc.lines.positionAt(comment.span.start).line;
    const endLine = doc.lines.positionAt(comment.span.end).line;
    const rules: Set<string> | 'all' = ids.length ? new Set(ids) : 'all';
    switch (match[1]) {
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
          result.push({ rules: id === '*' ? 'all' : new Set([id]), reason: from.reason, fromLine: from.line, toLine: line });
        }
        break;
    }
  }
  for (const [id, from] of open) result.push({ rules: id === '*' ? 'all' : new Set([id]), reason: from.reason, fromLine: from.line, toLine: Number.MAX_SAFE_INTEGER });
  return result;
}

export function isSuppressed(doc: SpecDocument, finding: Finding, list: Suppression[]): boolean {
  if (!list.length) return false;
  const line = doc.lines.positionAt(finding.span.start).line;
  const needsReason = requiresReason(finding.ruleId);
  return list.some((s) => line >= s.fromLine && line <= s.toLine && (s.rules === 'all' || s.rules.has(finding.ruleId)) && (!needsReason || s.reason !== ''));
}

/** Silencing a conflict declares an intended exception, which a reader can only trust with a reason. */
export function requiresReason(ruleId: string): boolean {
  return ruleId.includes('conflict');
}
