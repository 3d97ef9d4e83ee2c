import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { RecordPrecedentCommand, type PrecedentSource, type RecordPrecedentResult } from '../../server/src/protocol';
import type { ChatMessage, ExampleResult, UnitResult } from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import type { ClauseTestResultStore } from './results';

/** What "Record as precedent" writes: the answer and the conversation it replies to, labelled by the user. */
export interface PrecedentChoice {
  source: PrecedentSource;
  answer: string;
  label: 'GOOD' | 'BAD';
  reason?: string;
  /** Without an example to copy (source.exampleKey): the conversation the answer replies to, e.g. a clarified case. */
  messages?: ChatMessage[];
  /** The `**Example**:` title; default: the source example's title, or the first user turn. */
  title?: string;
}

/**
 * "Record as precedent…" from a result (the result lens, the hover on an example, the Test
 * Explorer): the user picks the answer (one example, one sample), labels it GOOD or BAD with an
 * optional reason, and the server writes it as an example of the clause in the spec's own
 * transcript syntax, so that the next run tests it.
 */
export class PrecedentRecorder {
  constructor(
    private readonly context: ClarifierContext,
    private readonly store: ClauseTestResultStore,
  ) {}

  /** From a command: a PrecedentSource (lens, hover) or a Test Explorer item (its id is the example key). */
  async record(arg: PrecedentSource | vscode.TestItem | undefined): Promise<RecordPrecedentResult | undefined> {
    const found = this.find(arg);
    if (!found) {
      void vscode.window.showInformationMessage(
        'Thought Clarifier: there is no answer to record here yet: run the clause’s examples first, then record one of the answers as a precedent.',
      );
      return undefined;
    }
    const example = found.example ?? (await pickExample(found.unit));
    if (!example) return undefined;
    const answer = await pickAnswer(example);
    if (answer === undefined) return undefined;
    const label = await pickLabel(example);
    if (!label) return undefined;
    // a lone BAD answer needs its reason (graders read it to know what fails): the grader's own, to edit, when it failed the answer
    const graderReason =
      label === 'BAD' && example.verdict && !example.verdict.pass ? oneLine(example.verdict.rationale) : '';
    const reason = await vscode.window.showInputBox({
      title: label === 'BAD' ? 'Why is this answer BAD?' : 'Why is this answer GOOD? (optional)',
      prompt: 'Written beside the label, e.g. <!-- BAD: reveals the address -->; graders read it.',
      value: graderReason,
      ignoreFocusOut: true,
      validateInput: (value) =>
        label === 'BAD' && !value.trim() ? 'A BAD answer needs a reason, so that graders know what fails' : undefined,
    });
    if (reason === undefined) return undefined;
    return this.write({
      source: { uri: found.unit.uri, unitId: found.unit.unitId, exampleKey: example.exampleKey },
      answer,
      label,
      reason: reason.trim() || undefined,
    });
  }

  /** Asks the server to build and apply the edit; says where the example went, or why nothing was written. */
  async write(choice: PrecedentChoice): Promise<RecordPrecedentResult | undefined> {
    let result: RecordPrecedentResult;
    try {
      result = await this.context.sendRequest(ExecuteCommandRequest.type, {
        command: RecordPrecedentCommand.id,
        arguments: [
          {
            uri: choice.source.uri,
            unitId: choice.source.unitId,
            exampleKey: choice.source.exampleKey,
            messages: choice.messages,
            answer: choice.answer,
            label: choice.label,
            reason: choice.reason,
            title: choice.title,
          },
        ],
      });
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Thought Clarifier: the precedent was not recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
    if (!result?.applied) {
      void vscode.window.showWarningMessage(
        `Thought Clarifier: the precedent was not recorded: ${result?.message ?? 'the language server did not answer'}`,
      );
      return result;
    }
    const target = vscode.Uri.parse(result.targetUri!);
    // the example file or spec is changed in the editor: save it, so that `clarifier test` and the next run see it
    await vscode.workspace.openTextDocument(target).then((document) => document.save());
    if (result.placement !== 'inline')
      await vscode.workspace
        .openTextDocument(vscode.Uri.parse(choice.source.uri))
        .then((document) => document.isDirty && document.save());
    const where = vscode.workspace.asRelativePath(target);
    void vscode.window
      .showInformationMessage(
        `Recorded a ${choice.label} precedent for ${choice.source.unitId} in ${where}${result.placement === 'new-example-file' ? ` (new; the clause now carries [^${result.markerId}])` : ''}: the next run tests it.`,
        'Open',
      )
      .then((open) => {
        if (open) void vscode.window.showTextDocument(target);
      });
    return result;
  }

  private find(
    arg: PrecedentSource | vscode.TestItem | undefined,
  ): { unit: UnitResult; example?: ExampleResult } | undefined {
    const results = this.store.all();
    if (!arg) return undefined;
    if ('unitId' in arg && typeof arg.unitId === 'string') {
      const unit = results.find((r) => r.uri === arg.uri && r.unitId === arg.unitId);
      if (!unit) return undefined;
      const example = arg.exampleKey ? unit.examples.find((e) => e.exampleKey === arg.exampleKey) : undefined;
      return { unit, example: example && hasAnswer(example) ? example : undefined };
    }
    // a Test Explorer item: an example's id is its key; a clause's is "<file>#<unit id>"
    const id = (arg as vscode.TestItem).id;
    for (const unit of results) {
      const example = unit.examples.find((e) => e.exampleKey === id);
      if (example) return hasAnswer(example) ? { unit, example } : undefined;
      if (`${unit.uri}#${unit.unitId}` === id) return { unit };
    }
    return undefined;
  }
}

function hasAnswer(example: ExampleResult): boolean {
  return example.answer !== undefined || !!example.samples?.some((s) => s.answer !== undefined);
}

async function pickExample(unit: UnitResult): Promise<ExampleResult | undefined> {
  const answered = unit.examples.filter(hasAnswer);
  if (answered.length <= 1) return answered[0];
  // failed and flaky first: those are the answers worth deciding
  const rank = (e: ExampleResult) => (e.status === 'failed' ? 0 : e.flaky ? 1 : e.status === 'error' ? 2 : 3);
  const items = [...answered]
    .sort((a, b) => rank(a) - rank(b))
    .map((example) => ({
      label: `${example.status === 'passed' ? '$(pass)' : example.status === 'failed' ? '$(error)' : '$(warning)'} ${example.title}`,
      detail: oneLine(example.answer ?? ''),
      example,
    }));
  return (
    await vscode.window.showQuickPick(items, {
      title: `Record as precedent: which answer of ${unit.unitId}?`,
      ignoreFocusOut: true,
      matchOnDetail: true,
    })
  )?.example;
}

async function pickAnswer(example: ExampleResult): Promise<string | undefined> {
  const answers = [
    ...new Set((example.samples ?? []).map((s) => s.answer).filter((a): a is string => a !== undefined)),
  ];
  if (answers.length <= 1) return answers[0] ?? example.answer;
  const items = answers.map((answer, i) => ({ label: `Sample ${i + 1}`, detail: oneLine(answer), answer }));
  return (
    await vscode.window.showQuickPick(items, {
      title: `Record as precedent: the samples of “${example.title}” differ; which answer?`,
      ignoreFocusOut: true,
      matchOnDetail: true,
    })
  )?.answer;
}

async function pickLabel(example: ExampleResult): Promise<'GOOD' | 'BAD' | undefined> {
  const verdict =
    example.status === 'passed'
      ? 'the grader passed it'
      : example.status === 'failed'
        ? 'the grader failed it'
        : undefined;
  const good = {
    label: 'GOOD' as const,
    description: example.status === 'passed' ? verdict : undefined,
    detail: 'The answer does what the clause asks: graders pass answers like it.',
  };
  const bad = {
    label: 'BAD' as const,
    description: example.status === 'failed' ? verdict : undefined,
    detail: 'The answer breaks the clause: graders fail answers like it.',
  };
  // the grader's reading first: confirming a verdict is the usual case, overruling it one step away
  const items = example.status === 'failed' ? [bad, good] : [good, bad];
  return (
    await vscode.window.showQuickPick(items, {
      title: `Record as precedent: is this answer to “${example.title}” GOOD or BAD?`,
      placeHolder: oneLine(example.answer ?? '').slice(0, 200),
      ignoreFocusOut: true,
    })
  )?.label;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
