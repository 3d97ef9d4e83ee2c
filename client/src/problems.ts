import * as vscode from 'vscode';
import type { UnitResult } from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import type { ClauseTestResultStore } from './results';

/**
 * Failed examples are information diagnostics on the example, so they show in the Problems panel.
 * Graders that disagree (on an answer, or with a labelled reference) are the server's
 * graders-disagree warning on the clause, which comes with the Clarify action.
 */
export class ClauseTestProblems {
  private readonly collection = vscode.languages.createDiagnosticCollection('clarifier-clause-tests');

  constructor(context: ClarifierContext, store: ClauseTestResultStore) {
    context.push(
      this.collection,
      store.onDidChange((results) => this.show(results)),
    );
    this.show(store.all());
  }

  private show(results: UnitResult[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (uri: string, diagnostic: vscode.Diagnostic) => {
      const list = byFile.get(uri) ?? [];
      list.push(diagnostic);
      byFile.set(uri, list);
    };
    for (const unit of results) {
      for (const example of unit.examples) {
        if (example.status !== 'failed' && example.status !== 'error') continue;
        const message =
          example.status === 'failed'
            ? `Example "${example.title}" failed ${unit.kind} ${unit.unitId} (${unit.model})${example.samples && example.samples.length > 1 ? ` in ${example.samples.filter((s) => s.status !== 'passed').length} of ${example.samples.length} samples${example.flaky ? ' (flaky)' : ''}` : ''}: ${example.verdict?.rationale ?? ''}\nAnswer: ${(example.answer ?? '').slice(0, 400)}`
            : `Example "${example.title}" could not be graded: ${example.message}`;
        const diagnostic = new vscode.Diagnostic(
          toRange(example.range),
          message,
          vscode.DiagnosticSeverity.Information,
        );
        diagnostic.source = 'clarifier clause tests';
        diagnostic.code = 'clause-test';
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(vscode.Uri.parse(unit.uri), toRange(unit.range)),
            `the ${unit.kind} under test`,
          ),
        ];
        add(example.uri, diagnostic);
      }
      // a grader that misreads a labelled reference is the server's graders-disagree warning on the clause, with Clarify
    }
    this.collection.clear();
    for (const [uri, list] of byFile) this.collection.set(vscode.Uri.parse(uri), list);
  }
}

/** An LSP range (results carry them) as an editor range. */
export function toRange(r: UnitResult['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
