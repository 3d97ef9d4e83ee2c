import * as vscode from 'vscode';
import { RecordPrecedentFromResultCommand, type PrecedentSource } from '../../server/src/protocol';
import type { ExampleResult, UnitResult } from '../../server/src/engine/modelFeatures';
import { MARKDOWN_SELECTOR, type ClarifierContext } from './context';
import type { ClauseTestResultStore } from './results';

/**
 * After-line marks on each example's title (pass or fail) and a hover there with the model's
 * answer and the grader's verdict. Results are keyed by the example's line at the time of the
 * run; an edit that moves the example moves the mark only after the next run. (The result lenses
 * above clauses are the server's: it draws them from the results the store sends.)
 */
export class InlineResults {
  private readonly passed = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor('testing.iconPassed') },
  });
  private readonly failed = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 1.5em', color: new vscode.ThemeColor('testing.iconFailed') },
  });
  private byFile = new Map<string, { result: ExampleResult; unit: UnitResult }[]>();

  constructor(context: ClarifierContext, store: ClauseTestResultStore) {
    context.push(
      this.passed,
      this.failed,
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateAll()),
      vscode.languages.registerHoverProvider(MARKDOWN_SELECTOR, {
        provideHover: (document, position) => this.hover(document, position),
      }),
      store.onDidChange((results) => this.update(results)),
    );
    this.update(store.all());
  }

  private update(results: UnitResult[]): void {
    this.byFile = new Map();
    for (const unit of results) {
      for (const result of unit.examples) {
        if (result.status === 'skipped') continue;
        const list = this.byFile.get(result.uri) ?? [];
        list.push({ result, unit });
        this.byFile.set(result.uri, list);
      }
    }
    this.decorateAll();
  }

  private decorateAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const entries = this.byFile.get(editor.document.uri.toString()) ?? [];
      const options = (ok: boolean) =>
        entries
          .filter(({ result }) => (result.status === 'passed') === ok)
          .map(({ result, unit }) => ({
            range: new vscode.Range(
              result.range.start.line,
              result.range.end.character,
              result.range.start.line,
              result.range.end.character,
            ),
            renderOptions: {
              after: {
                contentText:
                  (ok
                    ? `✓ passed · ${unit.model}`
                    : result.status === 'failed'
                      ? `✗ failed · ${unit.model}`
                      : '! not graded') +
                  (result.samples && result.samples.length > 1
                    ? ` · ${result.samples.filter((s) => s.status === 'passed').length}/${result.samples.length} samples`
                    : '') +
                  (result.flaky ? ' · flaky' : ''),
              },
            },
          }));
      editor.setDecorations(this.passed, options(true));
      editor.setDecorations(this.failed, options(false));
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const entry = (this.byFile.get(document.uri.toString()) ?? []).find(
      ({ result }) => result.range.start.line === position.line,
    );
    if (!entry) return undefined;
    const { result, unit } = entry;
    const markdown = new vscode.MarkdownString();
    const graders =
      unit.graders && unit.graders.length > 1
        ? `graders \`${unit.graders.join('`, `')}\` (majority decides)`
        : `grader \`${unit.grader}\``;
    markdown.appendMarkdown(
      `**${result.status === 'passed' ? '✓ Passed' : result.status === 'failed' ? '✗ Failed' : '! Not graded'}** · ${unit.kind} \`${unit.unitId}\` · model \`${unit.model}\` · ${graders}${unit.context ? ` · spec in context: ${unit.context}` : ''}\n\n`,
    );
    if (result.samples && result.samples.length > 1) {
      markdown.appendMarkdown(
        `**Samples**: ${result.samples.filter((s) => s.status === 'passed').length}/${result.samples.length} passed${(unit.threshold ?? 1) < 1 ? ` (passes at ${Math.round((unit.threshold ?? 1) * 100)}%)` : ''}${result.flaky ? ' · **flaky**: the samples disagree' : ''}\n\n`,
      );
    }
    for (const [index, sample] of (result.samples ?? []).entries()) {
      const split = new Set(sample.verdicts.filter((v) => v.verdict).map((v) => v.verdict!.pass)).size > 1;
      if (!split) continue;
      markdown.appendMarkdown(`**The graders read the clause differently** on sample ${index + 1}:\n\n`);
      for (const v of sample.verdicts)
        if (v.verdict)
          markdown
            .appendMarkdown(`- \`${v.grader}\` ${v.verdict.pass ? 'passed' : 'failed'} it: `)
            .appendText(v.verdict.rationale)
            .appendMarkdown('\n');
      markdown.appendMarkdown('\n');
    }
    if (result.verdict)
      markdown
        .appendMarkdown(`**Verdict** (score ${result.verdict.score.toFixed(2)}): `)
        .appendText(result.verdict.rationale)
        .appendMarkdown('\n\n');
    if (result.message) markdown.appendText(result.message).appendMarkdown('\n\n');
    if (result.answer !== undefined) {
      markdown.appendMarkdown('**Answer**\n').appendCodeblock(result.answer.slice(0, 4000), 'text');
      // the one command this hover may run: a link cannot start anything else
      const source: PrecedentSource = { uri: unit.uri, unitId: unit.unitId, exampleKey: result.exampleKey };
      markdown.appendMarkdown(
        `\n[Record as precedent…](command:${RecordPrecedentFromResultCommand.id}?${encodeURIComponent(JSON.stringify([source]))} "Label this answer GOOD or BAD and add it to the clause's examples")`,
      );
      markdown.isTrusted = { enabledCommands: [RecordPrecedentFromResultCommand.id] };
    }
    return new vscode.Hover(markdown);
  }
}
