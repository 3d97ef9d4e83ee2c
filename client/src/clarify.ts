import * as vscode from 'vscode';
import { ClarifyTargetRequest, type ClarifyClauseArgs, type ClarifyTargetResult } from '../../server/src/protocol';
import {
  clarificationEdit,
  clarifiedCase,
  clarifiedPrecedentInput,
  clarifyClause,
  isLoopback,
  ModelError,
  pickedAnswers,
  rewriteEdit,
  rewriteWithAnswers,
  type Clarification,
  type ClarifyingQuestion,
  type ClarifyTarget,
  type ModelSettings,
} from '../../server/src/engine/modelFeatures';
import type { RecordPrecedentResult } from '../../server/src/protocol';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';
import type { PrecedentRecorder } from './precedents';

const PREVIEW_SCHEME = 'clarifier-preview';

/** A Clarify whose change was applied: its answered questions can be recorded as precedents. */
interface AppliedClarify {
  target: ClarifyTarget;
  questions: ClarifyingQuestion[];
  picks: (number | undefined)[];
  rewrite?: string;
  settings: ModelSettings;
  client: Awaited<ReturnType<ModelAccess['client']>>;
}

/**
 * "Clarify this clause" on the client side: as with clause tests, the model call runs here because
 * the API key lives in SecretStorage and never crosses the LSP connection. The server finds the
 * clause and offers the code action; it learns only whether a call could work (two booleans, sent
 * by ModelAccess).
 *
 * The flow: a first step that sets up a model when none is configured; the model's questions as
 * pickers; the rewrite that states the picked answers (the model's own when the user took every
 * recommendation, else one more call); then one change, shown as a diff beside a last picker
 * (rewrite, add the sentences, or discard) and applied as one edit when the user accepts.
 */
export class Clarifier {
  private readonly previews = new Map<string, string>();
  private readonly previewChanged = new vscode.EventEmitter<vscode.Uri>();
  /** The last applied Clarify, for "Record the Clarified Case as Precedent". */
  private lastApplied: AppliedClarify | undefined;

  constructor(
    private readonly context: ClarifierContext,
    private readonly access: ModelAccess,
    private readonly precedents: PrecedentRecorder,
  ) {
    context.push(
      this.previewChanged,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
        onDidChange: this.previewChanged.event,
        provideTextDocumentContent: (uri) => this.previews.get(uri.toString()) ?? '',
      }),
    );
  }

  async clarify(args: ClarifyClauseArgs | undefined): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const uri = args?.uri ?? editor?.document.uri.toString();
    const position = args?.position ?? editor?.selection.active;
    if (!uri || !position) {
      void vscode.window.showInformationMessage(
        'Thought Clarifier: open a spec and put the cursor in a clause to clarify it.',
      );
      return;
    }
    if (!this.access.trusted('clarify clauses')) return;
    // a model finding's question is already asked: Clarify opens with it, no model call needed
    if (args?.question) return this.clarifyWith(uri, position, args.question);
    const ready = await this.modelReady(vscode.Uri.parse(uri));
    if (!ready) return;
    const { settings } = ready;
    const target = await this.findClause(uri, position);
    if (target === undefined) return; // the server failed, and findClause said so
    if (!target) {
      void vscode.window.showInformationMessage(
        'Thought Clarifier: put the cursor in a normative clause (a sentence with must, should, may, never...) of a spec to clarify it.',
      );
      return;
    }

    const result = await this.withModel(`Asking ${settings.candidate.model} for clarifying questions`, (signal) =>
      clarifyClause(ready.client, settings.candidate, target, signal),
    );
    if (!result) return;
    const picks: (number | undefined)[] = [];
    for (const [index, question] of result.questions.entries()) {
      const pick = await ask(question, index, result.questions.length);
      if (pick === undefined) return; // Escape: stop, and change nothing
      picks.push(pick === 'skip' ? undefined : pick);
    }
    const picked = pickedAnswers(result.questions, picks);
    if (result.questions.length && !picked.length) return; // every question skipped: nothing to state
    let rewrite: string | undefined;
    try {
      rewrite = await this.withModel(
        `Asking ${settings.candidate.model} to rewrite the clause with your answers`,
        (signal) => rewriteWithAnswers(ready.client, settings.candidate, target, result, picks, signal),
        true,
      );
    } catch {
      rewrite = undefined; // the sentences can still be added; the error was shown
    }
    const applied = await this.offerChange(
      target,
      result,
      picked.map((p) => p.clarification),
      rewrite,
    );
    if (applied) this.clarified({ target, questions: result.questions, picks, rewrite, ...ready });
  }

  /**
   * After an applied Clarify: offers to record the case behind the answer as a precedent (not
   * awaited: the Clarify is done, the offer waits for the user in a notification).
   */
  private clarified(applied: AppliedClarify): void {
    this.lastApplied = applied;
    if (!applied.picks.some((p) => p !== undefined)) return;
    void vscode.window
      .showInformationMessage(
        'Clarified. Record the case behind your answer as a precedent of the clause, so that the next run tests it?',
        'Record as GOOD example',
        'Record as BAD example',
      )
      .then((choice) => {
        if (choice) void this.recordClarifiedCase(choice.includes('GOOD') ? 'GOOD' : 'BAD');
      });
  }

  /**
   * "Record the Clarified Case as Precedent": the model writes one case where the answer decides what
   * the assistant does (a user turn, and a reply that follows the answer, GOOD, or the reading it rules
   * out, BAD); once the user accepts it, it is written as an example of the clause as it reads now, with
   * the question and the answer as its reason.
   */
  async recordClarifiedCase(label?: 'GOOD' | 'BAD'): Promise<RecordPrecedentResult | undefined> {
    const applied = this.lastApplied;
    const answered = applied ? applied.questions.flatMap((_, i) => (applied.picks[i] === undefined ? [] : [i])) : [];
    if (!applied || !answered.length) {
      void vscode.window.showInformationMessage(
        'Thought Clarifier: clarify a clause first (Clarify This Clause), answer a question and apply the change; then its case can be recorded as a precedent.',
      );
      return undefined;
    }
    let index = answered[0];
    if (answered.length > 1) {
      const picked = await vscode.window.showQuickPick(
        answered.map((i) => ({
          label: applied.questions[i].question,
          detail: `Your answer: ${applied.questions[i].options[applied.picks[i]!].answer}`,
          index: i,
        })),
        { title: 'Record as precedent: the case behind which answer?', ignoreFocusOut: true },
      );
      if (!picked) return undefined;
      index = picked.index;
    }
    const [answer] = pickedAnswers([applied.questions[index]], [applied.picks[index]]);
    label ??= (
      await vscode.window.showQuickPick(
        [
          {
            label: 'GOOD' as const,
            detail: `A reply that follows your answer (${answer.answer}): graders pass answers like it.`,
          },
          {
            label: 'BAD' as const,
            detail: 'A reply that takes the reading your answer rules out: graders fail answers like it.',
          },
        ],
        { title: `Record as precedent: ${answer.question}`, ignoreFocusOut: true },
      )
    )?.label;
    if (!label) return undefined;
    const { settings, client, target } = applied;
    const chosenLabel = label;
    const clarifiedCaseResult = await this.withModel(
      `Asking ${settings.candidate.model} for the case behind “${answer.question}”`,
      (signal) => clarifiedCase(client, settings.candidate, target, answer, chosenLabel, applied.rewrite, signal),
    );
    if (!clarifiedCaseResult) return undefined;
    const confirm = await vscode.window.showQuickPick(
      [
        {
          label: `$(check) Record it as a ${label} example`,
          description: 'of the clause, with your answer as its reason',
          detail: `User: ${oneLine(clarifiedCaseResult.prompt)} — Assistant: ${oneLine(clarifiedCaseResult.reply)}`,
          record: true,
        },
        { label: '$(close) Discard', detail: 'record nothing', record: false },
      ],
      { title: `Record this case as a precedent? (${answer.question})`, ignoreFocusOut: true, matchOnDetail: true },
    );
    if (!confirm?.record) return undefined;
    // the clause as it reads now (the Clarify edit changed it): its marker or id names the unit
    const current = (await this.findClause(target.uri, target.range.start)) ?? target;
    const input = clarifiedPrecedentInput(current, answer, clarifiedCaseResult, label);
    return this.precedents.write({
      source: { uri: input.uri, unitId: input.unitId },
      messages: input.messages,
      answer: input.answer,
      label,
      reason: input.reason,
      title: input.title,
    });
  }

  /** Clarify with a question the model tier already asked: pick an answer, and it is added to the clause. */
  private async clarifyWith(
    uri: string,
    position: { line: number; character: number },
    question: NonNullable<ClarifyClauseArgs['question']>,
  ): Promise<void> {
    const target = await this.findClause(uri, position);
    if (!target) return;
    const options = question.options.filter(
      (o) => o && typeof o.answer === 'string' && typeof o.clarification === 'string',
    );
    if (!options.length) return;
    const pick = await ask(
      {
        question: question.question,
        options,
        recommended: Math.min(Math.max(0, question.recommended), options.length - 1),
      },
      0,
      1,
    );
    if (typeof pick === 'number')
      await apply(target, 'Clarify the clause', clarificationEdit(target, [options[pick].clarification]));
  }

  /**
   * The last step: the change beside the clause as a diff, and a picker to apply the rewrite, add
   * the picked sentences instead, or discard. Whatever is accepted is applied as one edit.
   */
  private async offerChange(
    target: ClarifyTarget,
    result: Clarification,
    sentences: string[],
    rewrite: string | undefined,
  ): Promise<boolean> {
    type Choice = vscode.QuickPickItem & { edit?: { range: ClarifyTarget['range']; newText: string }; label: string };
    const choices: Choice[] = [];
    if (rewrite) {
      const edit = rewriteEdit(target, rewrite);
      choices.push({
        label: '$(replace) Rewrite the clause',
        description: sentences.length ? 'with your answers' : `suggested by ${result.model}`,
        detail: edit.newText,
        edit,
      });
    }
    const addition = sentences.length ? clarificationEdit(target, sentences) : undefined;
    if (addition?.newText)
      choices.push({
        label: `$(add) Add ${sentences.length === 1 ? 'the clarification' : `the ${sentences.length} clarifications`} after the clause`,
        detail: addition.newText.trim(),
        edit: addition,
      });
    if (!choices.length) {
      if (addition)
        void vscode.window.showInformationMessage(
          'Thought Clarifier: the clause already says that; nothing to change.',
        );
      return false;
    }
    choices.push({ label: '$(close) Discard', detail: 'change nothing' });

    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
    const previewUri = vscode.Uri.from({
      scheme: PREVIEW_SCHEME,
      path: document.uri.path,
      query: `clarify=${Date.now()}`,
    });
    const showPreview = (choice: Choice | undefined) => {
      const text = document.getText();
      const edit = choice?.edit;
      this.previews.set(
        previewUri.toString(),
        edit
          ? text.slice(0, document.offsetAt(toPosition(edit.range.start))) +
              edit.newText +
              text.slice(document.offsetAt(toPosition(edit.range.end)))
          : text,
      );
      this.previewChanged.fire(previewUri);
    };
    showPreview(choices[0]);
    await vscode.commands.executeCommand(
      'vscode.diff',
      document.uri,
      previewUri,
      `${vscode.workspace.asRelativePath(document.uri)} ↔ clarified (preview)`,
      { preview: true, preserveFocus: true, selection: toRange(target.range) },
    );
    const picker = vscode.window.createQuickPick<Choice>();
    picker.title = 'Clarify this clause: apply the change shown in the diff?';
    picker.items = choices;
    picker.ignoreFocusOut = true;
    picker.matchOnDetail = true;
    const chosen = await new Promise<Choice | undefined>((resolve) => {
      picker.onDidChangeActive((active) => showPreview(active[0]));
      picker.onDidAccept(() => resolve(picker.selectedItems[0] ?? picker.activeItems[0]));
      picker.onDidHide(() => resolve(undefined));
      picker.show();
    });
    picker.dispose();
    await closePreview(previewUri);
    this.previews.delete(previewUri.toString());
    if (!chosen?.edit) return false;
    return apply(
      target,
      chosen === choices[0] && rewrite ? `Rewrite the clause (${result.model})` : 'Clarify the clause',
      chosen.edit,
    );
  }

  /**
   * A model client and settings, after a first step when no model is set up: store a key, or point
   * at a local OpenAI-compatible server. Undefined when the user stops (or the settings are invalid, shown).
   */
  private async modelReady(
    scope: vscode.Uri,
  ): Promise<{ settings: ModelSettings; client: Awaited<ReturnType<ModelAccess['client']>> } | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const settings = this.access.settingsFor(scope);
      if (!settings) return undefined;
      const client = await this.access.client(1);
      try {
        client.checkKey(settings.candidate);
        return { settings, client };
      } catch {
        if (attempt > 0 || !(await this.setUpModel(scope))) return undefined;
      }
    }
    return undefined;
  }

  /** The first step of Clarify without a model: true when one is set up now. */
  private async setUpModel(scope: vscode.Uri): Promise<boolean> {
    type Step = vscode.QuickPickItem & { step: 'key' | 'local' };
    const step = await vscode.window.showQuickPick<Step>(
      [
        {
          label: '$(server) Use a local OpenAI-compatible server',
          detail:
            'Ollama, llama.cpp, vLLM, LM Studio… on this machine: no key, nothing leaves it. Sets clarifier.model.baseUrl.',
          step: 'local',
        },
        {
          label: '$(key) Store an API key for a hosted endpoint',
          detail: 'Kept in VS Code SecretStorage, never in settings (OPENAI_API_KEY works too).',
          step: 'key',
        },
      ],
      {
        title: 'Clarify this clause needs a model: set one up first',
        placeHolder: 'How should Thought Clarifier reach a model?',
        ignoreFocusOut: true,
      },
    );
    if (!step) return false;
    if (step.step === 'key') {
      await this.access.askForKey();
      return true;
    }
    const config = vscode.workspace.getConfiguration('clarifier', scope);
    const baseUrl = await vscode.window.showInputBox({
      title: 'The local server’s OpenAI-compatible base URL',
      // the setting's default is the hosted endpoint: suggest a local one unless one is set already
      value:
        [config.get<string>('model.baseUrl'), process.env.OPENAI_BASE_URL].find((url) => !!url && isLoopback(url)) ??
        'http://127.0.0.1:11434/v1',
      prompt: 'e.g. http://127.0.0.1:11434/v1 for Ollama, http://127.0.0.1:8080/v1 for llama.cpp',
      ignoreFocusOut: true,
      validateInput: (value) =>
        /^https?:\/\/\S+$/.test(value.trim()) ? undefined : 'a URL such as http://127.0.0.1:11434/v1',
    });
    if (!baseUrl) return false;
    // a user setting: the model one reaches is the user's, not the workspace's (and a workspace may not be writable)
    await config.update('model.baseUrl', baseUrl.trim(), vscode.ConfigurationTarget.Global);
    const name = await vscode.window.showInputBox({
      title: 'The model’s name on that server',
      placeHolder: config.get<string>('model.name') || undefined,
      prompt: `as the server knows it, e.g. llama3.1:8b (empty keeps ${config.get<string>('model.name') || 'the default'})`,
      ignoreFocusOut: true,
    });
    if (name?.trim()) await config.update('model.name', name.trim(), vscode.ConfigurationTarget.Global);
    return true;
  }

  /** A cancellable model call with progress; undefined when cancelled or failed (the error is shown, or rethrown when `rethrow`). */
  private async withModel<T>(
    title: string,
    call: (signal: AbortSignal) => Promise<T>,
    rethrow = false,
  ): Promise<T | undefined> {
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return call(abort.signal);
        },
      );
    } catch (error) {
      if (error instanceof ModelError && error.kind === 'cancelled') {
        if (rethrow) throw error;
        return undefined;
      }
      if (error instanceof ModelError) {
        this.access.showModelError(error);
        if (rethrow) throw error;
        return undefined;
      }
      throw error;
    }
  }

  /** The clause at a position, from the server; null when none is there, undefined (after saying why) when the server failed. */
  private async findClause(
    uri: string,
    position: { line: number; character: number },
  ): Promise<ClarifyTargetResult | undefined> {
    try {
      return await this.context.sendRequest(ClarifyTargetRequest, {
        uri,
        position: { line: position.line, character: position.character },
      });
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Thought Clarifier: the language server did not find the clause (${error instanceof Error ? error.message : String(error)}): run 'Clarifier: Restart Language Server'.`,
      );
      return undefined;
    }
  }
}

/** One question as a picker, recommended option first. The picked option's index, 'skip', or undefined on Escape. */
async function ask(question: ClarifyingQuestion, index: number, total: number): Promise<number | 'skip' | undefined> {
  type Item = vscode.QuickPickItem & { option: number | 'skip' };
  const order = [question.recommended, ...question.options.map((_, i) => i).filter((i) => i !== question.recommended)];
  const items: Item[] = order.map((i) => ({
    label: question.options[i].answer,
    description: i === question.recommended ? '$(star-full) recommended' : undefined,
    detail: `Adds: ${question.options[i].clarification}`,
    option: i,
  }));
  items.push({ label: '$(debug-step-over) Skip this question', option: 'skip' });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Clarify this clause (${index + 1}/${total}): ${question.question}`,
    placeHolder: question.question,
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  return picked?.option;
}

/** Applies one edit built for `target`, unless the clause changed while the model was answering. */
async function apply(
  target: ClarifyTarget,
  label: string,
  edit: { range: ClarifyTarget['range']; newText: string },
): Promise<boolean> {
  const uri = vscode.Uri.parse(target.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.getText(toRange(target.range)) !== target.text) {
    void vscode.window.showWarningMessage(
      'Thought Clarifier: the clause changed while the model was answering; nothing was changed. Run Clarify This Clause again.',
    );
    return false;
  }
  const workspaceEdit = new vscode.WorkspaceEdit();
  // the user has seen and accepted the change: no needsConfirmation, which would put it in the
  // refactor preview unticked, where "Apply" does nothing
  workspaceEdit.replace(uri, toRange(edit.range), edit.newText, { label, needsConfirmation: false });
  const applied = await vscode.workspace.applyEdit(workspaceEdit);
  if (!applied)
    void vscode.window.showWarningMessage(
      'Thought Clarifier: the editor did not apply the change; nothing was changed.',
    );
  return applied;
}

async function closePreview(previewUri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === previewUri.toString(),
    );
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

function toPosition(position: { line: number; character: number }): vscode.Position {
  return new vscode.Position(position.line, position.character);
}

function toRange(range: ClarifyTarget['range']): vscode.Range {
  return new vscode.Range(toPosition(range.start), toPosition(range.end));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
