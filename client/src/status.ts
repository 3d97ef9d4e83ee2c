import * as vscode from 'vscode';
import { StatusRequest, type StatusResult } from '../../server/src/protocol';
import type { ClarifierContext } from './context';

const DIAGNOSTIC_SOURCE = 'clarifier';

/**
 * The status bar item for the active Markdown editor: whether it is a spec, its clause count and
 * its findings. Findings come from the diagnostics the editor already has; the clause count from
 * the server, asked at most every few hundred milliseconds while typing.
 */
export class SpecStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clarifier.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private latest: (StatusResult & { uri: string }) | undefined;
  private pending: NodeJS.Timeout | undefined;
  private generation = 0;
  private lastDocument: vscode.TextDocument | undefined;

  constructor(private readonly context: ClarifierContext) {
    this.item.name = 'Thought Clarifier';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // the Output panel is an editor too; it says nothing about the spec being edited
        if (editor?.document.uri.scheme !== 'output') void this.refresh();
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const shown = this.lastDocument?.uri.toString();
        if (!shown || !event.uris.some((uri) => uri.toString() === shown)) return;
        this.render();
        this.refreshSoon();
      }),
    );
  }

  showFailure(cause: string): void {
    this.item.text = '$(error) Clarifier';
    this.item.tooltip = `The Thought Clarifier language server did not start: ${cause}\nClick to show the output.`;
    this.item.command = 'clarifier.showOutput';
    this.item.show();
  }

  private refreshSoon(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), 400);
  }

  async refresh(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const document = active?.uri.scheme === 'output' ? this.lastDocument : active;
    this.lastDocument = document;
    if (!this.context.hasClient || !document || document.languageId !== 'markdown') {
      this.latest = undefined;
      this.item.hide();
      return;
    }
    const generation = ++this.generation;
    const uri = document.uri.toString();
    try {
      const result = await this.context.sendRequest(StatusRequest, { uri });
      // a newer request (another editor, a later edit) owns the item now
      if (generation !== this.generation) return;
      this.latest = { ...result, uri };
      this.render();
    } catch (error) {
      this.context.output.warn(`status request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private render(): void {
    const document = this.lastDocument;
    const latest = this.latest;
    if (!latest || !document || document.uri.toString() !== latest.uri) return;
    if (!latest.isSpec) {
      this.item.text = '$(book) Not a spec';
      this.item.tooltip = 'Thought Clarifier does not treat this file as a spec. Click to check it as one ("Clarifier: Treat This File as a Spec").';
      this.item.command = 'clarifier.treatAsSpec';
    } else {
      const findings = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE).length;
      this.item.text = `$(checklist) ${plural(latest.clauses, 'clause')} · ${plural(findings, 'finding')}`;
      this.item.tooltip = `Spec: ${plural(latest.sections, 'section')}, ${plural(latest.clauses, 'clause')}, ${plural(latest.examples, 'example')}, ${plural(findings, 'finding')}. Click to open the outline.`;
      this.item.command = 'outline.focus';
    }
    this.item.show();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
