import {
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type Location,
  type LocationLink,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { RenameError } from '../engine/languageService';
import type { ServerContext } from '../serverContext';

/**
 * Editor features that read the spec model: outline, workspace symbols, definition, references,
 * rename, hover, completion, folding and document links. The logic lives in the engine (through
 * its facade); this module only connects it. Cross-file answers wait for the initial workspace scan.
 */
export function register(context: ServerContext): void {
  const { connection, service, guard, logger } = context;
  const caps = context.capabilities;
  // One outline per file: an editor with its own Markdown outline (VS Code) would otherwise show ours
  // beside it, two trees and a breadcrumb that switches between them. There, the spec's structure is
  // in the Specs view; other editors get it as the outline. Decided at initialize, like rename below.
  Object.defineProperty(caps, 'documentSymbolProvider', {
    enumerable: true,
    configurable: true,
    get: (): ServerCapabilities['documentSymbolProvider'] =>
      context.initializationOptions.editorHasMarkdownOutline ? undefined : { label: 'Spec outline' },
  });
  caps.workspaceSymbolProvider = true;
  caps.definitionProvider = true;
  caps.referencesProvider = true;
  caps.hoverProvider = true;
  caps.completionProvider = { triggerCharacters: ['#', '^'], resolveProvider: false };
  caps.foldingRangeProvider = true;
  caps.documentLinkProvider = { resolveProvider: false };
  // rename options with prepareProvider are only allowed when the client supports prepareRename,
  // which is known from the initialize request, after registration: decide when the result is built
  Object.defineProperty(caps, 'renameProvider', {
    enumerable: true,
    configurable: true,
    get: (): ServerCapabilities['renameProvider'] =>
      context.clientCapabilities.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
  });

  // outline and folding answer at once; cross-file answers wait for the initial workspace scan
  connection.onDocumentSymbol(
    guard('textDocument/documentSymbol', [], (params, token) =>
      service.documentSymbols(params.textDocument.uri, token),
    ),
  );

  connection.onWorkspaceSymbol(
    guard('workspace/symbol', [], async (params, token) => {
      await context.ready();
      return service.workspaceSymbols(params.query, token);
    }),
  );

  connection.onDefinition(
    guard('textDocument/definition', [] as Location[] | LocationLink[], async (params, token) => {
      await context.ready();
      const links = service.definition(params.textDocument.uri, params.position, token);
      if (context.clientCapabilities.textDocument?.definition?.linkSupport) return links;
      return links.map((link) => ({ uri: link.targetUri, range: link.targetSelectionRange }));
    }),
  );

  connection.onReferences(
    guard('textDocument/references', [], async (params, token) => {
      await context.ready();
      return service.references(params.textDocument.uri, params.position, params.context, token);
    }),
  );

  connection.onHover(
    guard('textDocument/hover', null, async (params, token) => {
      await context.ready();
      return service.hover(params.textDocument.uri, params.position, token);
    }),
  );

  connection.onCompletion(
    guard('textDocument/completion', { isIncomplete: false, items: [] }, async (params, token) => {
      await context.ready();
      return service.completion(params.textDocument.uri, params.position, token);
    }),
  );

  connection.onFoldingRanges(
    guard('textDocument/foldingRange', [], (params, token) => service.foldingRanges(params.textDocument.uri, token)),
  );

  connection.onDocumentLinks(
    guard('textDocument/documentLink', [], async (params, token) => {
      await context.ready();
      return service.documentLinks(params.textDocument.uri, token);
    }),
  );

  // A rename that cannot be done answers with an error the editor shows, not an empty result.
  const refused = (error: unknown) => {
    if (error instanceof RenameError) return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
    throw error;
  };

  connection.onPrepareRename(
    guard('textDocument/prepareRename', null, async (params, token) => {
      await context.ready();
      try {
        return service.prepareRename(params.textDocument.uri, params.position, token);
      } catch (error) {
        return refused(error);
      }
    }),
  );

  connection.onRenameRequest(
    guard('textDocument/rename', null, async (params, token) => {
      await context.ready();
      const editCaps = context.clientCapabilities.workspace?.workspaceEdit;
      try {
        const options = {
          documentChanges: !!editCaps?.documentChanges,
          renameFiles: !!editCaps?.documentChanges && !!editCaps.resourceOperations?.includes('rename'),
          versionOf: (uri: string) => context.documents.get(uri)?.version ?? null,
        };
        const result = await service.rename(params.textDocument.uri, params.position, params.newName, options, token);
        if (!result) return null;
        for (const note of result.notes) {
          logger.warn('rename: ' + note, { uri: params.textDocument.uri, newName: params.newName });
          // a notification: window.showWarningMessage is a request, which an editor may leave unanswered
          void connection
            .sendNotification(ShowMessageNotification.type, {
              type: MessageType.Warning,
              message: `Thought Clarifier: ${note}`,
            })
            .catch(() => undefined);
        }
        return result.edit;
      } catch (error) {
        return refused(error);
      }
    }),
  );
}
