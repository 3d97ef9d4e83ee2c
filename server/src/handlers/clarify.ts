import { CodeActionKind, CodeActionTriggerKind, type CodeAction, type CodeActionParams, type Position, type Range } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../engine/diagnostics';
import { clarifyTarget, clauseAt } from '../engine/clarify';
import { isLoopback } from '../engine/llm/client';
import { DEFAULT_BASE_URL } from '../engine/llm/settings';
import { ClarifyClauseCommand, ClarifyTargetRequest, commandOf, ModelAccessNotification, type ClarifyClauseArgs, type ClarifyTargetResult, type ModelAccessParams } from '../protocol';
import type { ServerContext } from '../serverContext';
import { contributeCodeActions } from './codeActions';

/**
 * "Clarify this clause": a refactor.rewrite action on every normative clause, offered only when a
 * model call could work (trusted workspace, and a key or a local endpoint that needs none). The
 * action runs the client's command, which calls the model; the server finds the clause.
 */
/**
 * A light bulb on every clause would be noise: offered when the author asks (Ctrl+., the Refactor
 * menu, a selection), and on its own only where a finding shows the clause is ambiguous.
 */
function wanted(params: CodeActionParams, clauseRange: Range): boolean {
  if (params.context.triggerKind !== CodeActionTriggerKind.Automatic) return true;
  const { start, end } = params.range;
  if (start.line !== end.line || start.character !== end.character) return true;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return params.context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE && !before(d.range.end, clauseRange.start) && !before(clauseRange.end, d.range.start));
}

export function register(context: ServerContext): void {
  const { connection, documents, workspace } = context;
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

  contributeCodeActions(context, [CodeActionKind.RefactorRewrite], async (params: CodeActionParams): Promise<CodeAction[]> => {
    const only = params.context.only;
    if (only && !only.some((kind) => CodeActionKind.RefactorRewrite === kind || CodeActionKind.RefactorRewrite.startsWith(kind + '.'))) return [];
    const doc = workspace.get(params.textDocument.uri);
    if (!doc || !workspace.isSpec(doc.uri)) return [];
    const clause = clauseAt(doc, doc.lines.offsetAt(params.range.start));
    if (!clause || !wanted(params, doc.lines.range(clause.span.start, clause.span.end)) || !(await endpointConfigured(doc.uri))) return [];
    const args: ClarifyClauseArgs = { uri: doc.uri, position: doc.lines.positionAt(clause.span.start) };
    return [{ title: 'Clarify this clause', kind: CodeActionKind.RefactorRewrite, command: commandOf(ClarifyClauseCommand, 'Clarify this clause', args) }];
  });

  connection.onRequest(
    ClarifyTargetRequest,
    context.guard('clarifier/clarifyTarget', null as ClarifyTargetResult, async (params: ClarifyClauseArgs): Promise<ClarifyTargetResult> => {
      await context.ready();
      const doc = workspace.get(params.uri);
      const document = documents.get(params.uri);
      // the editor's latest text, so that the edits built from the target apply to it
      if (!doc || (document && document.version !== doc.version)) return null;
      const clause = clauseAt(doc, doc.lines.offsetAt(params.position));
      return clause ? clarifyTarget(doc, clause) : null;
    }),
  );

  connection.onNotification(ModelAccessNotification, (params) => {
    access = { trusted: params.trusted === true, hasKey: params.hasKey === true };
    baseUrls.clear();
  });
}
