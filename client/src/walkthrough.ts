import * as vscode from 'vscode';
import type { ClarifierContext } from './context';
import type { ClauseTestResultStore } from './results';
import type { SpecStatus } from './status';

/** "Clarifier: Open the Sample Spec": the walkthrough's first step. */
export const OpenSampleCommand = 'clarifier.openSample';
/** Internal: runs after a Thought Clarifier quick fix is applied (see withFixReport). */
export const FixAppliedCommand = 'clarifier.walkthrough.fixApplied';
export const WALKTHROUGH_ID = 'thought-clarifier.thought-clarifier#clarifier.gettingStarted';

/**
 * Context keys the walkthrough's steps complete on (package.json `completionEvents: onContext:…`):
 * each is set when the user has done what the step asks, in any spec, not only the sample.
 */
const DONE = {
  specOpened: 'clarifier.walkthrough.specOpened',
  fixApplied: 'clarifier.walkthrough.fixApplied',
  conflictSeen: 'clarifier.walkthrough.conflictSeen',
  clauseTested: 'clarifier.walkthrough.clauseTested',
} as const;

const SAMPLE_SPEC = 'support-assistant/support_policy.md';
/** Set before the window switches to a copy of the sample, read by the activation in that window. */
const PENDING_SAMPLE_KEY = 'clarifier.walkthrough.pendingSample';
const CONFLICT_CODE = /^conflict-/;

/**
 * The getting-started walkthrough's commands and completion signals: opening the sample spec,
 * applying a fix, looking at a conflict, running a clause test.
 */
export class Walkthrough {
  private readonly done = new Set<string>();

  constructor(
    private readonly context: ClarifierContext,
    status: SpecStatus,
    store: ClauseTestResultStore,
  ) {
    context.registerCommand(OpenSampleCommand, () => this.openSample());
    context.registerCommand(FixAppliedCommand, async (inner?: vscode.Command) => {
      this.complete(DONE.fixApplied);
      if (inner) await vscode.commands.executeCommand(inner.command, ...(inner.arguments ?? []));
    });
    context.push(
      // the status item describes the active editor as a spec: one is open, the sample or the user's own
      status.onDidShowSpec(() => this.complete(DONE.specOpened)),
      // clicking a conflict in the Problems panel, following its link to the other clause, or
      // moving the cursor onto an underlined clause all land the cursor inside a conflict finding
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (this.done.has(DONE.conflictSeen)) return;
        const position = event.selections[0]?.active;
        const inConflict =
          position &&
          vscode.languages
            .getDiagnostics(event.textEditor.document.uri)
            .some((d) => d.source === 'clarifier' && CONFLICT_CODE.test(codeOf(d)) && d.range.contains(position));
        if (inConflict) this.complete(DONE.conflictSeen);
      }),
      store.onDidChange((results) => {
        // an answer was graded (passed or failed): errors alone mean the endpoint is not working yet
        if (
          results.some((result) =>
            result.examples.some((example) => example.status === 'passed' || example.status === 'failed'),
          )
        )
          this.complete(DONE.clauseTested);
      }),
    );
    void this.openPendingSample();
  }

  private complete(key: string): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }

  /**
   * Opens the sample spec: the one in this workspace (this repository, or a copy opened before),
   * else a copy of the sample shipped with the extension, opened as a folder (in a new window when
   * this one has a folder) so that its example files are indexed like any spec's.
   */
  private async openSample(): Promise<void> {
    try {
      const [inWorkspace] = await vscode.workspace.findFiles(`**/${SAMPLE_SPEC}`, '**/node_modules/**', 1);
      if (inWorkspace) return void (await vscode.window.showTextDocument(inWorkspace));
      const source = vscode.Uri.joinPath(this.context.extension.extensionUri, 'samples', 'support-assistant');
      const folder = vscode.Uri.joinPath(this.context.extension.globalStorageUri, 'samples', 'support-assistant');
      // a copy made before keeps the user's edits
      if (!(await exists(folder))) {
        if (!(await exists(vscode.Uri.joinPath(source, 'support_policy.md'))))
          throw new Error(
            `the sample files are missing from the extension's folder (${source.fsPath}). Reinstall Thought Clarifier to restore them.`,
          );
        await vscode.workspace.fs.copy(source, folder, { overwrite: false });
      }
      await this.context.extension.globalState.update(PENDING_SAMPLE_KEY, folder.toString());
      await vscode.commands.executeCommand('vscode.openFolder', folder, {
        forceNewWindow: !!vscode.workspace.workspaceFolders?.length,
      });
    } catch (error) {
      const message = `Thought Clarifier could not open the sample spec: ${error instanceof Error ? error.message : String(error)}`;
      this.context.output.error(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  /** In the window openSample opened on the sample's copy: show the spec and the walkthrough beside it. */
  private async openPendingSample(): Promise<void> {
    const pending = this.context.extension.globalState.get<string>(PENDING_SAMPLE_KEY);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!pending || folder?.toString() !== pending) return;
    await this.context.extension.globalState.update(PENDING_SAMPLE_KEY, undefined);
    try {
      await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'support_policy.md'));
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, true);
    } catch (error) {
      this.context.output.warn(
        `the sample spec did not open: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/**
 * Code-action middleware: each Thought Clarifier quick fix also runs FixAppliedCommand after its edit
 * (the command it already had, if any, runs from there), so the walkthrough knows a fix was applied.
 */
export function withFixReport(
  actions: (vscode.Command | vscode.CodeAction)[] | null | undefined,
): (vscode.Command | vscode.CodeAction)[] | null | undefined {
  if (!actions) return actions;
  for (const action of actions) {
    if (!(action instanceof vscode.CodeAction) || !action.kind || !vscode.CodeActionKind.QuickFix.contains(action.kind))
      continue;
    if (!action.diagnostics?.some((diagnostic) => diagnostic.source === 'clarifier')) continue;
    action.command = {
      command: FixAppliedCommand,
      title: action.command?.title ?? action.title,
      arguments: action.command ? [action.command] : [],
    };
  }
  return actions;
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
