import { CodeActionTriggerKind, type CodeActionContext, type Position, type Range } from 'vscode-languageserver-types';
import type { ClarifyClauseArgs } from '../../protocol';
import { clauseAt } from '../clarify';
import { DIAGNOSTIC_SOURCE } from '../diagnostics';
import type { SpecDocument } from '../model';

/**
 * Where "Clarify this clause" is offered: on the normative clause at `range`. A light bulb on every
 * clause would be noise: offered when the author asks (Ctrl+., the Refactor menu, a selection), and
 * on its own only where a finding shows the clause is ambiguous. Undefined when not offered.
 */
export function clarifyActionArgs(
  doc: SpecDocument,
  range: Range,
  context: CodeActionContext,
): ClarifyClauseArgs | undefined {
  const clause = clauseAt(doc, doc.lines.offsetAt(range.start));
  if (!clause || !wanted(range, context, doc.lines.range(clause.span.start, clause.span.end))) return undefined;
  return { uri: doc.uri, position: doc.lines.positionAt(clause.span.start) };
}

function wanted(range: Range, context: CodeActionContext, clauseRange: Range): boolean {
  if (context.triggerKind !== CodeActionTriggerKind.Automatic) return true;
  const { start, end } = range;
  if (start.line !== end.line || start.character !== end.character) return true;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return context.diagnostics.some(
    (d) =>
      d.source === DIAGNOSTIC_SOURCE &&
      !before(d.range.end, clauseRange.start) &&
      !before(clauseRange.end, d.range.start),
  );
}
