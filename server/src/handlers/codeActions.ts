import {
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
} from 'vscode-languageserver/node';
import { FIX_ALL_KIND } from '../engine/languageService';
import { RevealPositionCommand } from '../protocol';
import type { ServerContext } from '../serverContext';

/** Actions that do not come from diagnostics, added by other feature modules (e.g. "Clarify this clause"). */
export type CodeActionContributor = (
  params: CodeActionParams,
  token: CancellationToken,
) => CodeAction[] | Promise<CodeAction[]>;
const contributors: CodeActionContributor[] = [];

/** There is one textDocument/codeAction handler (this module's); other modules plug into it here. */
export function contributeCodeActions(
  context: ServerContext,
  kinds: string[],
  contributor: CodeActionContributor,
): void {
  contributors.push(contributor);
  declareCodeActionKinds(context, kinds);
}

/** Merged, so that the order of the feature modules in server.ts does not matter. */
function declareCodeActionKinds(context: ServerContext, kinds: string[]): void {
  const existing = context.capabilities.codeActionProvider;
  const known = typeof existing === 'object' ? (existing.codeActionKinds ?? []) : [];
  context.capabilities.codeActionProvider = { codeActionKinds: [...new Set([...known, ...kinds])] };
}

/** Server commands of other features: one workspace/executeCommand handler serves them all. */
const commands = new Map<string, (args: unknown[]) => Promise<unknown>>();

/** Adds a workspace command (declared in the initialize result); call before the server starts listening. */
export function contributeCommand(
  context: ServerContext,
  name: string,
  handler: (args: unknown[]) => Promise<unknown>,
): void {
  commands.set(name, handler);
  const existing = context.capabilities.executeCommandProvider?.commands ?? [];
  context.capabilities.executeCommandProvider = { commands: [...new Set([...existing, name])] };
}

export function register(context: ServerContext): void {
  const { connection, service } = context;
  declareCodeActionKinds(context, [CodeActionKind.QuickFix, FIX_ALL_KIND]);
  const existing = context.capabilities.executeCommandProvider?.commands ?? [];
  context.capabilities.executeCommandProvider = { commands: [...existing, RevealPositionCommand.id] };

  connection.onCodeAction(
    context.guard('textDocument/codeAction', [] as CodeAction[], async (params: CodeActionParams, token) => {
      if (!context.documents.get(params.textDocument.uri)) return [];
      await context.ready();
      const actions = await service.codeActions(params, token);
      for (const contributor of contributors) actions.push(...(await contributor(params, token)));
      return actions;
    }),
  );

  connection.onExecuteCommand(
    context.guard('workspace/executeCommand', undefined as unknown, async (params) => {
      const contributed = commands.get(params.command);
      if (contributed) return contributed(params.arguments ?? []);
      if (params.command !== RevealPositionCommand.id) return undefined;
      const [uri, position] = (params.arguments ?? []) as NonNullable<typeof RevealPositionCommand._args>;
      if (typeof uri !== 'string' || !position) return undefined;
      await connection.window.showDocument({ uri, takeFocus: true, selection: { start: position, end: position } });
      return undefined;
    }),
  );
}
