import { existsSync } from 'fs';
import * as path from 'path';
import { CodeActionKind, MessageType, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { DEFAULT_BASE_URL, isLoopback } from '../engine/languageService';
import {
  ClarifyClauseCommand,
  ClarifyTargetRequest,
  commandOf,
  ModelAccessNotification,
  ServerClarifyCommand,
  type ClarifyClauseArgs,
  type ClarifyTargetResult,
  type ModelAccessParams,
  type ServerClarifyArgs,
  type ServerClarifyResult,
} from '../protocol';
import type { ServerContext } from '../serverContext';
import { contributeCodeActions, contributeCommand } from './codeActions';

/**
 * "Clarify this clause": a refactor.rewrite action on every normative clause. With the VS Code
 * client it runs the client's command, which calls the model (the key stays in the extension host)
 * and, when no model is set up yet, first helps set one up; it is offered in a trusted workspace
 * only. Other editors get the server's own command, which calls the model with the key from the
 * server's environment and asks the questions with window/showMessageRequest.
 */
export function register(context: ServerContext): void {
  const { connection, documents, service } = context;
  // the VS Code client offers Clarify once it says the workspace is trusted
  let access: ModelAccessParams = { trusted: false, hasKey: false };
  const baseUrls = new Map<string, Promise<string>>();

  /** `clarifier.model.baseUrl` for a document; the client re-sends the access notification when it changes. */
  const baseUrlFor = (uri: string): Promise<string> => {
    let baseUrl = baseUrls.get(uri);
    if (!baseUrl) {
      baseUrl = context.clientCapabilities.workspace?.configuration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'clarifier.model' }).then(
            (settings: { baseUrl?: unknown } | null) =>
              typeof settings?.baseUrl === 'string' && settings.baseUrl ? settings.baseUrl : DEFAULT_BASE_URL,
            () => DEFAULT_BASE_URL,
          )
        : Promise.resolve(DEFAULT_BASE_URL);
      baseUrls.set(uri, baseUrl);
    }
    return baseUrl;
  };

  /** The same test as ModelClient.checkKey, without the key. */
  const endpointConfigured = async (uri: string) =>
    access.trusted && (access.hasKey || isLoopback(await baseUrlFor(uri)));

  contributeCodeActions(
    context,
    [CodeActionKind.RefactorRewrite],
    async (params: CodeActionParams, token): Promise<CodeAction[]> => {
      const only = params.context.only;
      if (
        only &&
        !only.some(
          (kind) => CodeActionKind.RefactorRewrite === kind || CodeActionKind.RefactorRewrite.startsWith(kind + '.'),
        )
      )
        return [];
      const args = service.clarifyActionArgs(params, token);
      if (!args) return [];
      if (!clientCallsModel())
        return [
          {
            title: 'Clarify this clause',
            kind: CodeActionKind.RefactorRewrite,
            command: commandOf(ServerClarifyCommand, 'Clarify this clause', { uri: args.uri, position: args.position }),
          },
        ];
      // no model call in an untrusted workspace; without a model, Clarify starts by setting one up
      if (!access.trusted) return [];
      const title = (await endpointConfigured(args.uri))
        ? 'Clarify this clause'
        : 'Clarify this clause (set up a model first)';
      return [{ title, kind: CodeActionKind.RefactorRewrite, command: commandOf(ClarifyClauseCommand, title, args) }];
    },
  );

  // ---- other editors: the server calls the model itself -----------------------------------------
  const clientCallsModel = () => context.initializationOptions?.modelTiersInClient === true;
  const modelSettingsFor = async (uri: string): Promise<Record<string, unknown>> => {
    if (context.clientCapabilities.workspace?.configuration)
      return ((await connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'clarifier.model' })
        .catch(() => null)) ?? {}) as Record<string, unknown>;
    return ((context.initializationOptions?.settings as { clarifier?: { model?: Record<string, unknown> } } | undefined)
      ?.clarifier?.model ?? {}) as Record<string, unknown>;
  };
  /** A message without buttons is a notification no editor has to answer. */
  const notify = (type: MessageType, message: string) =>
    void connection.sendNotification('window/showMessage', { type, message }).catch(() => undefined);
  const ask = async (message: string, titles: string[]): Promise<number | undefined> => {
    const picked = await connection.window.showInformationMessage(message, ...titles.map((title) => ({ title })));
    const index = picked ? titles.indexOf(picked.title) : -1;
    return index >= 0 ? index : undefined;
  };

  contributeCommand(context, ServerClarifyCommand.id, async (rawArgs): Promise<ServerClarifyResult> => {
    const args = rawArgs[0] as ServerClarifyArgs | undefined;
    if (
      !args ||
      typeof args.uri !== 'string' ||
      typeof args.position?.line !== 'number' ||
      typeof args.position?.character !== 'number'
    ) {
      return {
        applied: false,
        message: `${ServerClarifyCommand.id} needs one argument {uri, position: {line, character}, answers?: (number | null)[], apply?: "rewrite" | "append" | "none"}`,
      };
    }
    if (clientCallsModel())
      return { applied: false, message: 'the editor runs Clarify itself (the key stays in the editor)' };
    await context.ready();
    const target = service.clarifyTarget(args.uri, args.position, undefined);
    if (!target)
      return {
        applied: false,
        message: 'no normative clause (a sentence with must, should, may, never...) at that position',
      };
    const model = await modelSettingsFor(args.uri);
    const baseUrl = (typeof model.baseUrl === 'string' && model.baseUrl) || process.env.OPENAI_BASE_URL || undefined;
    const apiKey = process.env.OPENAI_API_KEY || undefined;
    if (!apiKey && !(baseUrl && isLoopback(baseUrl))) {
      const message =
        "Thought Clarifier: Clarify needs a model. Set OPENAI_API_KEY in the language server's environment for a hosted endpoint, or clarifier.model.baseUrl to a local OpenAI-compatible server (e.g. http://127.0.0.1:11434/v1).";
      notify(MessageType.Error, message);
      return { applied: false, message };
    }
    const clarify = loadClarify();
    const session = await clarify.startClarify(target, {
      model: {
        baseUrl,
        model: typeof model.name === 'string' ? model.name : undefined,
        timeoutMs: typeof model.timeoutMs === 'number' ? model.timeoutMs : undefined,
        maxTokens: typeof model.maxTokens === 'number' ? model.maxTokens : undefined,
      },
      apiKey,
      logger: context.logger,
    });
    if ('setupError' in session) {
      notify(MessageType.Error, `Thought Clarifier: Clarify: ${session.setupError}`);
      return { applied: false, message: session.setupError };
    }
    const { clarification } = session;
    const questions = clarification.questions.map((q) => ({
      question: q.question,
      options: q.options,
      recommended: q.recommended,
    }));
    const picks: (number | undefined)[] = [];
    for (const [i, q] of clarification.questions.entries()) {
      if (args.answers) {
        const given = args.answers[i];
        picks.push(typeof given === 'number' && given >= 0 && given < q.options.length ? given : undefined);
        continue;
      }
      const order = [q.recommended, ...q.options.map((_, j) => j).filter((j) => j !== q.recommended)];
      const index = await ask(`Clarify (${i + 1}/${clarification.questions.length}): ${q.question}`, [
        ...order.map((j) => q.options[j].answer + (j === q.recommended ? ' (recommended)' : '')),
        'Skip',
      ]);
      if (index === undefined)
        return { applied: false, clause: target.text, questions, message: 'stopped: nothing was changed' };
      picks.push(index < order.length ? order[index] : undefined);
    }
    let rewrite: string | undefined;
    try {
      rewrite = await session.rewriteFor(picks);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      notify(MessageType.Warning, `Thought Clarifier: no rewrite: ${error.message}`);
    }
    let mode = args.apply;
    const rewriteText = rewrite ? clarify.clarifyEdit(session, picks, rewrite, 'rewrite')?.newText : undefined;
    const appendEdit = clarify.clarifyEdit(session, picks, rewrite, 'append');
    if (!mode) {
      const choices: { title: string; mode: 'rewrite' | 'append' | 'none' }[] = [];
      if (rewriteText) choices.push({ title: 'Apply the rewrite', mode: 'rewrite' });
      if (appendEdit) choices.push({ title: 'Add the answers after the clause', mode: 'append' });
      if (!choices.length)
        return {
          applied: false,
          clause: target.text,
          questions,
          message: 'nothing to change: the clause already says that',
        };
      choices.push({ title: 'Discard', mode: 'none' });
      const index = await ask(
        rewriteText
          ? `Clarify: rewrite the clause as “${rewriteText}”?`
          : `Clarify: add “${appendEdit!.newText.trim()}” after the clause?`,
        choices.map((c) => c.title),
      );
      mode = index === undefined ? 'none' : choices[index].mode;
    }
    const edit =
      mode === 'none'
        ? rewriteText
          ? clarify.clarifyEdit(session, picks, rewrite, 'rewrite')
          : appendEdit
        : clarify.clarifyEdit(session, picks, rewrite, mode);
    const result: ServerClarifyResult = { applied: false, clause: target.text, questions, rewrite: rewriteText, edit };
    if (mode === 'none' || !edit)
      return {
        ...result,
        message: mode === 'none' ? 'discarded: nothing was changed' : 'nothing to change: the clause already says that',
      };
    // the clause as it reads now: the same text at the same place, or nothing is changed
    const current = service.clarifyTarget(args.uri, target.range.start, undefined);
    if (!current || current.text !== target.text || JSON.stringify(current.range) !== JSON.stringify(target.range)) {
      return {
        ...result,
        message: 'the clause changed while the model was answering; nothing was changed: run Clarify again',
      };
    }
    const applied = await connection.workspace.applyEdit({
      label: mode === 'rewrite' ? 'Rewrite the clause' : 'Clarify the clause',
      edit: { changes: { [args.uri]: [edit] } },
    });
    return applied.applied
      ? { ...result, applied: true }
      : {
          ...result,
          message: `the editor did not apply the edit${applied.failureReason ? `: ${applied.failureReason}` : ''}`,
        };
  });

  connection.onRequest(
    ClarifyTargetRequest,
    context.guard(
      'clarifier/clarifyTarget',
      null as ClarifyTargetResult,
      async (params: ClarifyClauseArgs, token): Promise<ClarifyTargetResult> => {
        await context.ready();
        return service.clarifyTarget(params.uri, params.position, documents.get(params.uri)?.version, token);
      },
    ),
  );

  connection.onNotification(ModelAccessNotification, (params) => {
    access = { trusted: params.trusted === true, hasKey: params.hasKey === true };
    baseUrls.clear();
  });
}

/**
 * dist/clarify.js holds the model client; it is loaded by path on first use, so that the server
 * bundle stays free of the SDK. Run from source (tests), the module is loaded from its source file.
 */
function loadClarify(): typeof import('../cli/clarifyCommand') {
  const bundled = path.join(__dirname, 'clarify.js');
  return require(existsSync(bundled) ? bundled : path.join(__dirname, '..', 'cli', 'clarifyCommand'));
}
