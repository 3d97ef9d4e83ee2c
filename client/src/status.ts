import * as vscode from 'vscode';
import { StatusRequest, type StatusResult } from '../../server/src/protocol';
import type { ClarifierContext } from './context';
import type { SpecIndex } from './specIndex';
import { ShowSpecsCommand } from './specsView';

const DIAGNOSTIC_SOURCE = 'clarifier';

/**
 * The status bar item. For the active Markdown editor: whether it is a spec, its clause count and
 * its findings (from the diagnostics the editor already has, or the server's count until the first
 * ones arrive; the clause count from the server, asked at most every few hundred milliseconds
 * while typing). With no Markdown editor active: the number of specs in the workspace, from the
 * moment the extension starts, before any file is opened; a click lists them in the Specs view.
 */
export class SpecStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clarifier.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private latest: (StatusResult & { uri: string }) | undefined;
  private pending: NodeJS.Timeout | undefined;
  private generation = 0;
  private lastDocument: vscode.TextDocument | undefined;
  /**
   * Documents the editor has received diagnostics for since they were opened. Before the first ones
   * arrive (a big spec takes a while to lint) the editor has none, and counting them would say
   * "0 findings": the server's count from the status answer stands in until then.
   */
  private readonly diagnosed = new Set<string>();
  /** Why the server did not start, while that is the news. */
  private failure: string | undefined;
  private readonly specShown = new vscode.EventEmitter<string>();
  /** Fires with the URI of each spec the item describes: the user has a spec open in front of them. */
  readonly onDidShowSpec = this.specShown.event;

  constructor(
    private readonly context: ClarifierContext,
    private readonly index: SpecIndex,
  ) {
    this.item.name = 'Thought Clarifier';
    this.subscriptions.push(
      this.specShown,
      index.onDidChange(() => {
        if (!this.lastDocument) this.renderWorkspace();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // the Output panel is an editor too; it says nothing about the spec being edited
        if (editor?.document.uri.scheme !== 'output') void this.refresh();
      }),
      // only ours count: Markdown's link checks and the clause-test results change diagnostics too
      context.onDidReceiveDiagnostics((uri) => this.diagnosed.add(uri)),
      context.onDidStartServer(() => this.diagnosed.clear()),
      vscode.workspace.onDidCloseTextDocument((document) => this.diagnosed.delete(document.uri.toString())),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const shown = this.lastDocument?.uri.toString();
        if (!shown || !event.uris.some((uri) => uri.toString() === shown)) return;
        this.render();
        this.refreshSoon();
      }),
    );
    void this.refresh();
  }

  showFailure(cause: string): void {
    this.failure = cause;
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
    if (this.context.hasClient) this.failure = undefined;
    if (this.failure) return; // the failure stays visible until a restart works
    if (!document || document.languageId !== 'markdown') {
      this.lastDocument = undefined;
      this.latest = undefined;
      this.renderWorkspace();
      return;
    }
    this.lastDocument = document;
    if (!this.context.hasClient) {
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
      this.item.tooltip =
        'Thought Clarifier does not treat this file as a spec. Click to check it as one ("Clarifier: Treat This File as a Spec").';
      this.item.command = 'clarifier.treatAsSpec';
    } else {
      const findings = this.diagnosed.has(latest.uri)
        ? vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE)
            .length
        : latest.findings;
      this.item.text = `$(checklist) ${plural(latest.clauses, 'clause')} · ${plural(findings, 'finding')}`;
      this.item.tooltip = `Spec: ${plural(latest.sections, 'section')}, ${plural(latest.clauses, 'clause')}, ${plural(latest.examples, 'example')}, ${plural(findings, 'finding')}. Click to show its structure in the Specs view.`;
      this.item.command = { command: ShowSpecsCommand, title: 'Show in the Specs view', arguments: [latest.uri] };
      this.specShown.fire(latest.uri);
    }
    this.item.show();
  }

  /** No Markdown editor: what the workspace holds. Hidden in a folder without specs, where there is nothing to say. */
  private renderWorkspace(): void {
    if (this.failure) return;
    const list = this.index.current;
    if (!list) {
      this.item.text = '$(loading~spin) Clarifier';
      this.item.tooltip = 'Thought Clarifier is looking for specs in this folder.';
      this.item.command = ShowSpecsCommand;
      this.item.show();
      return;
    }
    if (!list.specs.length) {
      this.item.hide();
      return;
    }
    const findings = list.specs.reduce((n, spec) => n + spec.findings, 0);
    const clauses = list.specs.reduce((n, spec) => n + spec.clauses, 0);
    this.item.text = `$(checklist) ${plural(list.specs.length, 'spec')} · ${plural(findings, 'finding')}`;
    this.item.tooltip = `Thought Clarifier found ${plural(list.specs.length, 'spec')} among ${plural(list.markdownFiles, 'Markdown file')}: ${plural(clauses, 'clause')}, ${plural(findings, 'finding')}. Click to list them.`;
    this.item.command = ShowSpecsCommand;
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
