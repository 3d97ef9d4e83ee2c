import * as vscode from 'vscode';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { SpecOutlineRequest, type SpecSummary } from '../../server/src/protocol';
import type { ClarifierContext } from './context';
import { toRange } from './problems';
import type { SpecIndex } from './specIndex';

export const SPECS_VIEW_ID = 'clarifier.specs';
/** Focuses the Specs view; with a spec's URI, selects that spec. */
export const ShowSpecsCommand = 'clarifier.showSpecs';

const KIND_LABELS: Record<string, string> = {
  'agent-instructions': 'agent instructions',
  policy: 'policy',
  'product-spec': 'product spec',
  standard: 'standard',
};

/** `expanded`: shown open, e.g. a spec's only top-level heading, which holds everything else. */
type Node =
  | { type: 'spec'; spec: SpecSummary }
  | { type: 'symbol'; spec: SpecSummary; symbol: DocumentSymbol; expanded?: boolean };

/**
 * The Specs view in the Explorer: every spec of the workspace with its kind, clauses, findings and
 * examples; under each, its sections (with their authority), clauses and examples. This is where
 * the spec's own structure lives in VS Code: the Outline stays the Markdown extension's, one tree.
 */
export class SpecsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private nodes = new Map<string, Node>();

  constructor(
    private readonly context: ClarifierContext,
    private readonly index: SpecIndex,
  ) {
    this.view = vscode.window.createTreeView(SPECS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.changed,
      this.view,
      index.onDidChange(() => this.render()),
      vscode.commands.registerCommand(ShowSpecsCommand, (uri?: string | vscode.Uri) => this.show(uri)),
    );
    this.render();
  }

  private render(): void {
    const list = this.index.current;
    const specs = list?.specs ?? [];
    this.nodes = new Map(specs.map((spec) => [spec.uri, { type: 'spec', spec } as Node]));
    // shown in the view's title bar, so the count is visible with the view collapsed
    this.view.description = list ? `${specs.length} found` : 'scanning…';
    this.view.message = !list ? 'Looking for specs in this folder…' : undefined;
    void vscode.commands.executeCommand('setContext', 'clarifier.specsFound', specs.length);
    this.changed.fire(undefined);
  }

  async show(uri?: string | vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand(`${SPECS_VIEW_ID}.focus`);
    const wanted = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const node = wanted ? this.nodes.get(wanted) : undefined;
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'spec') {
      const { spec } = node;
      const uri = vscode.Uri.parse(spec.uri);
      const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = spec.uri;
      // the file name, as the Explorer shows it; the path when another spec has the same name (AGENTS.md in several folders)
      const name = baseName(spec.path);
      item.label = (this.index.current?.specs ?? []).some((other) => other !== spec && baseName(other.path) === name)
        ? spec.path
        : name;
      // the kind when the file says it (by its name, place or prose); a spec known by its syntax alone has none
      const kind = spec.kind ? (KIND_LABELS[spec.kind] ?? spec.kind) : undefined;
      item.description = [
        kind,
        plural(spec.clauses, 'clause'),
        plural(spec.findings, 'finding'),
        plural(spec.examples, 'example'),
      ]
        .filter(Boolean)
        .join(' · ');
      item.tooltip = new vscode.MarkdownString(
        `**${spec.path}**\n\n${spec.reason}\n\n${plural(spec.sections, 'section')}, ${plural(spec.clauses, 'clause')}, ${plural(spec.findings, 'finding')}, ${plural(spec.examples, 'example')} to run as clause tests.`,
      );
      item.iconPath = new vscode.ThemeIcon(
        spec.findings ? 'warning' : 'pass',
        new vscode.ThemeColor(spec.findings ? 'list.warningForeground' : 'testing.iconPassed'),
      );
      item.command = { command: 'vscode.open', title: 'Open Spec', arguments: [uri] };
      item.contextValue = 'clarifier.spec';
      return item;
    }
    const { symbol, spec } = node;
    const state = !symbol.children?.length
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(symbol.name, state);
    item.description = symbol.detail;
    item.iconPath = new vscode.ThemeIcon(symbolIcon(symbol.kind));
    item.tooltip = symbol.detail ? `${symbol.name}\n${symbol.detail}` : symbol.name;
    item.command = {
      command: 'vscode.open',
      title: 'Go to',
      arguments: [
        vscode.Uri.parse(spec.uri),
        { selection: toRange(symbol.selectionRange) } satisfies vscode.TextDocumentShowOptions,
      ],
    };
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return [...this.nodes.values()];
    if (node.type === 'symbol')
      return (node.symbol.children ?? []).map((symbol) => ({ type: 'symbol', spec: node.spec, symbol }));
    try {
      const symbols = await this.context.sendRequest(SpecOutlineRequest, { uri: node.spec.uri });
      return symbols.map((symbol) => ({ type: 'symbol', spec: node.spec, symbol, expanded: symbols.length === 1 }));
    } catch (error) {
      this.context.output.warn(
        `the structure of ${node.spec.path} could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  /** Only specs are revealed; they sit at the top level. */
  getParent(): Node | undefined {
    return undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The LSP SymbolKind numbers the server's spec outline uses, as product icons. */
function symbolIcon(kind: number): string {
  switch (kind) {
    case 2: // Module: a top-level section
    case 3: // Namespace: a section
      return 'symbol-namespace';
    case 20: // Key: a clause with a [^id] marker
      return 'symbol-key';
    case 24: // Event: an example
      return 'beaker';
    default: // String: a clause
      return 'symbol-string';
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
