import { URI } from 'vscode-uri';
import type { Fix } from '../rules/types';
import type { ClauseEntry } from './entries';

/**
 * A Markdown link to the other clause's section, titled with the section's title: `[Storage
 * costs](#storage_costs)` in the same file, `[Heatmaps](analytics.md#heatmaps)` in another.
 * Undefined when the clause has no section to link to.
 */
export function linkTo(target: ClauseEntry, from: ClauseEntry): string | undefined {
  const id = target.clause.sectionId;
  if (!id) return undefined;
  const section = target.doc.sections.find((s) => s.id === id);
  const title = (section?.title ?? id).replace(/[[\]]/g, '').trim() || id;
  if (target.uri === from.uri) return `[${title}](#${id})`;
  const fromDir = URI.parse(from.uri).path.split('/').slice(0, -1);
  const toPath = URI.parse(target.uri).path.split('/');
  let common = 0;
  while (common < fromDir.length && common < toPath.length - 1 && fromDir[common] === toPath[common]) common++;
  const relative = [...fromDir.slice(common).map(() => '..'), ...toPath.slice(common)].join('/');
  return `[${title}](${relative}#${id})`;
}

/**
 * One name for a pair, the same on both of its findings: a batch of fixes ("Fix all") applies at
 * most one fix per group, so it never gives both clauses precedence over each other.
 */
export function pairGroup(ruleId: string, a: ClauseEntry, b: ClauseEntry): string {
  return `${ruleId}:${a.uri}#${a.clause.span.start}:${b.uri}#${b.clause.span.start}`;
}

/**
 * "This takes precedence over …" after `self`, and its converse. Both go on `self` only: the
 * precedence is stated once, on one side, which settles the pair for both findings.
 */
export function precedenceFixes(self: ClauseEntry, other: ClauseEntry, group: string): Fix[] {
  const link = linkTo(other, self);
  if (!link) return [];
  const at = { start: self.clause.span.end, end: self.clause.span.end };
  return [
    {
      title: 'Add an explicit precedence: this clause wins',
      group,
      edits: [{ span: at, newText: ` This takes precedence over the conflicting rule in ${link}.` }],
    },
    {
      title: 'Add an explicit precedence: the other clause wins',
      group,
      edits: [{ span: at, newText: ` Where the rule in ${link} applies, it takes precedence over this one.` }],
    },
  ];
}

const REASON_PLACEHOLDER = 'reason: ';

/**
 * A suppression comment above the clause's line, with the cursor left in the reason. A conflict
 * is silenced only with a reason, and a reasoned comment on either clause of a pair silences the
 * pair's findings on both clauses.
 */
export function exceptionFix(entry: Pick<ClauseEntry, 'doc' | 'clause'>, ruleId: string, group?: string): Fix {
  const text = entry.doc.text;
  const lineStart = entry.doc.lines.lineStartOf(entry.clause.span.start);
  let contentStart = lineStart;
  while (contentStart < entry.clause.span.start && (text[contentStart] === ' ' || text[contentStart] === '\t'))
    contentStart++;
  const indent = text.slice(lineStart, contentStart);
  const comment = `<!-- clarifier-disable-next-line ${ruleId} -- ${REASON_PLACEHOLDER} -->`;
  return {
    title: 'Mark as an intended exception (write the reason in the comment)',
    needsInput: true,
    group,
    cursorOffset: comment.indexOf(REASON_PLACEHOLDER) + REASON_PLACEHOLDER.length,
    edits: [{ span: { start: contentStart, end: contentStart }, newText: `${comment}\n${indent}` }],
  };
}
