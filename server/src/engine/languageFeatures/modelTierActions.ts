import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { ClarifyClauseCommand, commandOf, RecordPrecedentCommand } from '../../protocol';
import { clarificationEdit, clarifyTarget } from '../clarify';
import { MODEL_AMBIGUITY } from '../deep/ambiguity';
import { divergingInputPrecedent, type AmbiguityFindingData } from '../deep/ambiguityFindings';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../diagnostics';
import type { SpecDocument } from '../model';

/**
 * Quick fixes of ambiguity-model findings. With a client that calls the model itself (VS Code),
 * "Clarify this clause…" runs its command with the finding's question; otherwise each of the
 * model's answers is an edit. Either way the diverging input can be recorded as an example.
 */
export function modelTierQuickFixes(
  doc: SpecDocument,
  diagnostics: Diagnostic[],
  clientCallsModel: boolean,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const data = modelData(diagnostic);
    if (!data || data.stale) continue;
    const offset = doc.lines.offsetAt(diagnostic.range.start);
    const clause =
      doc.clauses.find((c) => c.span.start === offset) ??
      doc.clauses.find((c) => offset >= c.span.start && offset < c.span.end);
    if (!clause) continue;
    const target = clarifyTarget(doc, clause);
    if (clientCallsModel) {
      const question = { question: data.question, options: data.answers, recommended: 0 };
      actions.push({
        title: 'Clarify this clause…',
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        command: commandOf(ClarifyClauseCommand, 'Clarify this clause', {
          uri: doc.uri,
          position: doc.lines.positionAt(clause.span.start),
          question,
        }),
      });
    } else {
      for (const answer of data.answers) {
        actions.push({
          title: `Clarify: ${answer.answer}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [doc.uri]: [clarificationEdit(target, [answer.clarification])] } },
        });
      }
    }
    actions.push({
      title: 'Record the diverging input as an example (you write the expected answer)',
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: commandOf(
        RecordPrecedentCommand,
        'Record the diverging input as an example',
        divergingInputPrecedent(doc.uri, clause, data.divergingInput),
      ),
    });
  }
  return actions;
}

function modelData(diagnostic: Diagnostic): AmbiguityFindingData | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data = diagnostic.data as DiagnosticData | undefined;
  if (data?.ruleId !== MODEL_AMBIGUITY || !data.finding) return undefined;
  const finding = data.finding as AmbiguityFindingData;
  return typeof finding.question === 'string' && Array.isArray(finding.answers) ? finding : undefined;
}
