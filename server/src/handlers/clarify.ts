import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { DEFAULT_BASE_URL, isLoopback } from '../engine/languageService';
import { ClarifyClauseCommand, ClarifyTargetRequest, commandOf, ModelAccessNotification, type ClarifyClauseArgs, type ClarifyTargetResult, type ModelAccessParams } from '../protocol';
import type { ServerContext } from '../serverContext';
import { contributeCodeActions } from './codeActions';

/**
 * "Clarify this clause": a refactor.rewrite action on every normative clause, offered only when a
 * model call could work (trusted workspace, and a key or a local endpoint that needs none). The
 * action runs the client's command, which calls the model; the server finds the clause.
 */
export function register(context: ServerContext): void {
  const { connection, documents, service } = context;
  // nothing is offered until the client says a call could work: other editors have no command to run
  let access: ModelAccessParams = { trusted: false, hasKey: false };
  const baseUrls = new Map<string, Promise<string>>();

  /** `clarifier.model.baseUrl` for a document; the client re-sends the access notification when it changes. */
  const baseUrlFor = (uri: string): Promise<string> => {
    let baseUrl = baseUrls.get(uri);
    if (!baseUrl) {
      baseUrl = context.clientCapabilities.workspace?.configuration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'clarifier.model' }).then(
            (settings: { baseUrl?: unknown } | null) => (typeof settings?.baseUrl === 'string' && settings.baseUrl ? settings.baseUrl : DEFAULT_BASE_URL),
            () => DEFAULT_BASE_URL,
          )
        : Promise.resolve(DEFAULT_BASE_URL);
      baseUrls.set(uri, baseUrl);
    }
    return baseUrl;
  };

  /** The same test as ModelClient.checkKey, without the key. */
  const endpointConfigured = async (uri: string) => access.trusted && (access.hasKey || isLoopback(await baseUrlFor(uri)));

  contributeCodeActions(context, [CodeActionKind.RefactorRewrite], async (params: CodeActionParams, token): Promise<CodeAction[]> => {
    const only = params.context.only;
    if (only && !only.some((kind) => CodeActionKind.RefactorRewrite === kind || CodeActionKind.RefactorRewrite.startsWith(kind + '.'))) return [];
    const args = service.clarifyActionArgs(params, token);
    if (!args || !(await endpointConfigured(args.uri))) return [];
    return [{ title: 'Clarify this clause', kind: CodeActionKind.RefactorRewrite, command: commandOf(ClarifyClauseCommand, 'Clarify this clause', args) }];
  });

  connection.onRequest(
    ClarifyTargetRequest,
    context.guard('clarifier/clarifyTarget', null as ClarifyTargetResult, async (params: ClarifyClauseArgs, token): Promise<ClarifyTargetResult> => {
      await context.ready();
      return service.clarifyTarget(params.uri, params.position, documents.get(params.uri)?.version, token);
    }),
  );

  connection.onNotification(ModelAccessNotification, (params) => {
    access = { trusted: params.trusted === true, hasKey: params.hasKey === true };
    baseUrls.clear();
  });
}
