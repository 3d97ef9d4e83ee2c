import * as vscode from 'vscode';
import { ClarifyTargetRequest, type ClarifyClauseArgs, type ClarifyTargetResult } from '../../server/src/protocol';
import { clarificationEdit, clarifyClause, ModelError, rewriteEdit, type Clarification, type ClarifyingQuestion, type ClarifyTarget } from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';

const NO_ENDPOINT_MESSAGE =
  "Thought Clarifier: Clarify This Clause needs a model endpoint. Set 'clarifier.model.baseUrl' to a local OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1), or store an API key with 'Clarifier: Set API Key' (or set OPENAI_API_KEY) for a hosted one.";

/**
 * "Clarify this clause" on the client side: as with clause tests, the model call runs here because
 * the API key lives in SecretStorage and never crosses the LSP connection. The server finds the
 * clause and offers the code action; it learns only whether a call could work (two booleans, sent
 * by ModelAccess).
 */
export async function clarify(context: ClarifierContext, access: ModelAccess, args: ClarifyClauseArgs | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = args?.uri ?? editor?.document.uri.toString();
  const position = args?.position ?? editor?.selection.active;
  if (!uri || !position) {
    void vscode.window.showInformationMessage('Thought Clarifier: open a spec and put the cursor in a clause to clarify it.');
    return;
  }
  if (!access.trusted('clarify clauses')) return;
  // a model finding's question is already asked: Clarify opens with it, no model call needed
  if (args?.question) return clarifyWith(context, uri, position, args.question);
  const settings = access.settingsFor(vscode.Uri.parse(uri));
  if (!settings) return;
  const modelClient = await access.client(1);
  try {
    modelClient.checkKey(settings.candidate);
  } catch {
    const choice = await vscode.window.showErrorMessage(NO_ENDPOINT_MESSAGE, 'Set API Key', 'Use a Local Server');
    if (choice === 'Set API Key') void vscode.commands.executeCommand('clarifier.setApiKey');
    else if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'clarifier.model.baseUrl');
    return;
  }
  const target = await findClause(context, uri, position);
  if (target === undefined) return; // the server failed, and findClause said so
  if (!target) {
    void vscode.window.showInformationMessage('Thought Clarifier: put the cursor in a normative clause (a sentence with must, should, may, never...) of a spec to clarify it.');
    return;
  }

  let result: Clarification;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Asking ${settings.candidate.model} for clarifying questions`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return clarifyClause(modelClient, settings.candidate, target, abort.signal);
      },
    );
  } catch (error) {
    if (error instanceof ModelError && error.kind === 'cancelled') return;
    if (error instanceof ModelError) return access.showModelError(error);
    throw error;
  }

  const chosen: string[] = [];
  for (const [index, question] of result.questions.entries()) {
    const answer = await ask(question, index, result.questions.length);
    if (answer === undefined) return; // Escape: stop, and change nothing
    if (answer) chosen.push(answer);
  }
  if (chosen.length && !(await apply(target, 'Clarify the clause', false, clarificationEdit(target, chosen)))) return;
  if (!result.rewrite) return;
  if (result.questions.length) {
    const choice = await vscode.window.showInformationMessage(
      chosen.length ? `Thought Clarifier: added ${chosen.length} clarification${chosen.length === 1 ? '' : 's'}. ${result.model} also suggests a rewrite of the clause (with its recommended answers).` : `Thought Clarifier: ${result.model} suggests a rewrite of the clause (with its recommended answers).`,
      'Preview Rewrite',
    );
    if (!choice) return;
  }
  await apply(target, `Rewrite the clause (suggested by ${result.model})`, true, rewriteEdit(target, result.rewrite));
}

/** Clarify with a question the model tier already asked: pick an answer, and it is added to the clause. */
async function clarifyWith(context: ClarifierContext, uri: string, position: { line: number; character: number }, question: NonNullable<ClarifyClauseArgs['question']>): Promise<void> {
  const target = await findClause(context, uri, position);
  if (!target) return;
  const options = question.options.filter((o) => o && typeof o.answer === 'string' && typeof o.clarification === 'string');
  if (!options.length) return;
  const answer = await ask({ question: question.question, options, recommended: Math.min(Math.max(0, question.recommended), options.length - 1) }, 0, 1);
  if (answer) await apply(target, 'Clarify the clause', false, clarificationEdit(target, [answer]));
}

/** One question as a picker, recommended option first. The chosen clarification, '' for "skip", undefined on Escape. */
async function ask(question: ClarifyingQuestion, index: number, total: number): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { clarification: string };
  const order = [question.recommended, ...question.options.map((_, i) => i).filter((i) => i !== question.recommended)];
  const items: Item[] = order.map((i) => ({
    label: question.options[i].answer,
    description: i === question.recommended ? '$(star-full) recommended' : undefined,
    detail: `Adds: ${question.options[i].clarification}`,
    clarification: question.options[i].clarification,
  }));
  items.push({ label: '$(debug-step-over) Skip this question', clarification: '' });
  const picked = await vscode.window.showQuickPick(items, { title: `Clarify this clause (${index + 1}/${total}): ${question.question}`, placeHolder: question.question, ignoreFocusOut: true, matchOnDetail: true });
  return picked?.clarification;
}

/** Applies an edit built for `target`, unless the clause changed while the model was answering. */
async function apply(target: ClarifyTarget, label: string, needsConfirmation: boolean, edit: { range: ClarifyTarget['range']; newText: string }): Promise<boolean> {
  const uri = vscode.Uri.parse(target.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const clauseRange = new vscode.Range(target.range.start.line, target.range.start.character, target.range.end.line, target.range.end.character);
  if (document.getText(clauseRange) !== target.text) {
    void vscode.window.showWarningMessage('Thought Clarifier: the clause changed while the model was answering; nothing was changed. Run Clarify This Clause again.');
    return false;
  }
  const workspaceEdit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character);
  // needsConfirmation sends the rewrite through the refactor preview, where it can be read and declined
  workspaceEdit.replace(uri, range, edit.newText, { label, needsConfirmation });
  const applied = await vscode.workspace.applyEdit(workspaceEdit);
  if (!applied && !needsConfirmation) void vscode.window.showWarningMessage('Thought Clarifier: the editor did not apply the clarification; nothing was changed.');
  return applied;
}

/** The clause at a position, from the server; null when none is there, undefined (after saying why) when the server failed. */
async function findClause(context: ClarifierContext, uri: string, position: { line: number; character: number }): Promise<ClarifyTargetResult | undefined> {
  try {
    return await context.sendRequest(ClarifyTargetRequest, { uri, position: { line: position.line, character: position.character } });
  } catch (error) {
    void vscode.window.showErrorMessage(`Thought Clarifier: the language server did not find the clause (${error instanceof Error ? error.message : String(error)}): run 'Clarifier: Restart Language Server'.`);
    return undefined;
  }
}
