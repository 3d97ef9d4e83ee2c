import type { CodeActionParams } from 'vscode-languageserver-protocol';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-types';
import { RevealPositionCommand, commandOf } from '../../protocol';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../diagnostics';
import { isConflictRule } from '../rules/registry';

/** Applies only the fixes marked safe: they never change what a rule means. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${DIAGNOSTIC_SOURCE}`;

export type DataFix = NonNullable<DiagnosticData['fixes']>[number];

export function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data as DiagnosticData | undefined;
  return data && typeof data.ruleId === 'string' ? data : undefined;
}

function edits(fix: DataFix): TextEdit[] {
  return fix.edits.map((edit) => ({ range: edit.range, newText: edit.newText }));
}

/** Where the cursor lands after inserting `newText` at `at`, `offset` characters into it. */
export function positionAfterInsert(at: Position, newText: string, offset: number): Position {
  const before = newText.slice(0, offset).split('\n');
  return before.length === 1
    ? { line: at.line, character: at.character + offset }
    : { line: at.line + before.length - 1, character: before[before.length - 1].length };
}

function before(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function overlaps(a: Range, b: Range): boolean {
  return !(
    before({ start: a.end, end: a.end }, { start: b.start, end: b.start }) <= 0 ||
    before({ start: b.end, end: b.end }, { start: a.start, end: a.start }) <= 0
  );
}

/**
 * One edit list from many fixes: the first fix wins where two would touch the same text, and of
 * fixes in one group (the two sides of one conflict) only the first is applied.
 */
function combine(fixes: DataFix[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const groups = new Set<string>();
  for (const fix of fixes) {
    if (fix.group && groups.has(fix.group)) continue;
    const list = edits(fix);
    if (
      list.some((edit) =>
        chosen.some(
          (other) =>
            overlaps(edit.range, other.range) ||
            (edit.range.start.line === other.range.start.line &&
              edit.range.start.character === other.range.start.character),
        ),
      )
    )
      continue;
    chosen.push(...list);
    if (fix.group) groups.add(fix.group);
  }
  return chosen;
}

/**
 * "Fix all" says what it will write, since the author does not see each fix it chose: and-or's says
 * it writes "or" (one is enough), not "and".
 */
export function fixAllTitle(ruleId: string, fixes: DataFix[]): string {
  const titles = [...new Set(fixes.map((fix) => fix.title))];
  const shown =
    titles.length <= 2 ? titles.join('; ') : `${titles.slice(0, 2).join('; ')}; and ${titles.length - 2} more`;
  return `Fix all ${fixes.length} ${ruleId} in this document: ${shown}`;
}

export interface CodeActionInput {
  uri: string;
  /** The document's text, to find line indentation for suppression comments. */
  lines: string[];
  params: CodeActionParams;
  /** Every current diagnostic of the document, for "fix all". */
  all: Diagnostic[];
}

/** Code actions built from diagnostic.data alone. */
export function buildCodeActions({ uri, lines, params, all }: CodeActionInput): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) =>
    !only || only.some((requested) => kind === requested || kind.startsWith(requested + '.'));
  const actions: CodeAction[] = [];
  const ours = all.filter((d) => dataOf(d));

  if (wants(FIX_ALL_KIND)) {
    const safe = ours.flatMap((d) => (dataOf(d)!.fixes ?? []).filter((f) => f.safe).slice(0, 1));
    const changes = combine(safe);
    if (changes.length)
      actions.push({
        title: 'Clarifier: apply all safe fixes',
        kind: FIX_ALL_KIND,
        edit: { changes: { [uri]: changes } },
      });
  }
  if (!wants(CodeActionKind.QuickFix)) return actions;

  const seenRules = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    const data = dataOf(diagnostic);
    if (!data) continue;
    for (const fix of data.fixes ?? []) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: !!fix.preferred,
        edit: { changes: { [uri]: edits(fix) } },
      };
      if (fix.cursorOffset !== undefined && fix.edits.length) {
        const first = fix.edits[0];
        action.command = commandOf(
          RevealPositionCommand,
          'Go to the new text',
          uri,
          positionAfterInsert(first.range.start, first.newText, fix.cursorOffset),
        );
      }
      actions.push(action);
    }
    // a conflict names the clause it collides with: offer to go there
    const other = diagnostic.relatedInformation?.[0];
    if (other && isConflictRule(data.ruleId)) {
      actions.push({
        title: 'Go to the other clause',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: commandOf(
          RevealPositionCommand,
          'Go to the other clause',
          other.location.uri,
          other.location.range.start,
        ),
      });
    }
    if (seenRules.has(data.ruleId)) continue;
    seenRules.add(data.ruleId);
    const sameRule = ours.filter((d) => dataOf(d)!.ruleId === data.ruleId && dataOf(d)!.fixes?.length);
    if (sameRule.length > 1) {
      // a fix that leaves a blank to fill in (an exception's reason) is never applied in bulk
      const fixes = sameRule
        .map((d) => dataOf(d)!.fixes!.filter((f) => !f.needsInput))
        .filter((list) => list.length)
        .map((list) => list.find((f) => f.preferred) ?? list[0]);
      if (fixes.length)
        actions.push({
          title: fixAllTitle(data.ruleId, fixes),
          kind: CodeActionKind.QuickFix,
          diagnostics: sameRule,
          edit: { changes: { [uri]: combine(fixes) } },
        });
    }
    // conflict rules are silenced only with a reason: their own "Mark as an intended exception" fix asks for one
    if (isConflictRule(data.ruleId)) continue;
    const line = diagnostic.range.start.line;
    const indent = /^[ \t]*/.exec(lines[line] ?? '')![0];
    actions.push({
      title: `Disable ${data.ruleId} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: {
        changes: {
          [uri]: [
            {
              range: { start: { line, character: 0 }, end: { line, character: 0 } },
              newText: `${indent}<!-- clarifier-disable-next-line ${data.ruleId} -->\n`,
            },
          ],
        },
      },
    });
  }
  return actions;
}
