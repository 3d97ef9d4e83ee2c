import * as vscode from 'vscode';

export const EXTENSION_ID = 'thought-clarifier.thought-clarifier';

export function clarifierDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'clarifier');
}

/**
 * Resolves once the extension has published diagnostics for `uri` (at least one change event
 * after the call) that satisfy `accept`. Event-driven, never polling; the deadline only turns a
 * hang into a failure that shows what the editor had at that point.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  deadlineMs = 90_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let last: vscode.Diagnostic[] = [];
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      last = clarifierDiagnostics(uri);
      if (!accept(last)) return;
      clearTimeout(deadline);
      subscription.dispose();
      resolve(last);
    });
    const deadline = setTimeout(() => {
      subscription.dispose();
      reject(
        new Error(
          `no diagnostics for ${uri.fsPath} that match "${what}" within ${deadlineMs / 1000} s; last seen: ${JSON.stringify(last.map(describe))}`,
        ),
      );
    }, deadlineMs);
  });
}

export function describe(diagnostic: vscode.Diagnostic): string {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${code} ${diagnostic.message}`;
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded in this window`);
  const api = await extension.activate();
  if (!api)
    throw new Error(
      'the extension activated but its language server did not start (see the Thought Clarifier output channel)',
    );
  return extension;
}

/**
 * Runs a command that opens pickers and accepts each picker's selected (first) item until the command
 * ends, as a user pressing Enter would; `eachTick` sees the editor between two presses (e.g. a diff
 * preview that is gone once the command ends). The deadline only turns a hang into the command's result.
 */
export async function acceptingEveryPicker<T>(
  command: vscode.Command | { command: string; arguments?: unknown[] },
  eachTick: () => Promise<void> | void = () => undefined,
  deadlineMs = 60_000,
): Promise<T> {
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command.command, ...(command.arguments ?? [])));
  let settled = false;
  void running.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let waited = 0; waited < deadlineMs && !settled; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    await eachTick();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return running;
}
