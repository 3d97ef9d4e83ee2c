import * as vscode from 'vscode';
import { SpecListRequest, type SpecListResult } from '../../server/src/protocol';
import type { ClarifierContext } from './context';

/**
 * The workspace's specs as the server last listed them, shared by the status item and the Specs
 * view. Asked again when the server (re)starts, when Markdown files appear or go, and a moment
 * after findings change (an edit can make a file a spec, or change its counts).
 */
export class SpecIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Undefined until the first answer: the initial scan is still running. */
  current: SpecListResult | undefined;
  private pending: NodeJS.Timeout | undefined;
  private inFlight: vscode.CancellationTokenSource | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: ClarifierContext) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{md,markdown,mdc}', false, true, false);
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
      context.onDidStartServer(() => void this.refresh()),
      vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()),
    );
  }

  /** After a burst of changes (typing re-lints on every keystroke) ask once. */
  refreshSoon(delayMs = 1000): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), delayMs);
  }

  async refresh(): Promise<void> {
    if (!this.context.hasClient) return;
    // a newer question makes the older answer worthless: cancel it on the server
    this.inFlight?.cancel();
    const source = (this.inFlight = new vscode.CancellationTokenSource());
    try {
      const result = await this.context.sendRequest(SpecListRequest, {}, source.token);
      if (source.token.isCancellationRequested) return;
      this.current = result;
      this.changed.fire();
    } catch (error) {
      if (!source.token.isCancellationRequested)
        this.context.output.warn(`listing the specs failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      source.dispose();
      if (this.inFlight === source) this.inFlight = undefined;
    }
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.inFlight?.cancel();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
