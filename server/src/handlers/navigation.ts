import { LSPErrorCodes, MessageType, ResponseError, ShowMessageNotification, type Location, type LocationLink, type ServerCapabilities } from 'vscode-languageserver/node';
import {
  completion, definition, documentLinks, documentSymbols, foldingRanges, hover, prepareRename, references, rename, RenameError, workspaceSymbols,
} from '../engine/languageFeatures';
import type { SpecDocument } from '../engine/model';
import type { ServerContext } from '../serverContext';

/**
 * Editor features that read the spec model: outline, workspace symbols, definition, references,
 * rename, hover, completion, folding and document links. The logic lives in engine/features;
 * this module only connects it. Cross-file answers wait for the initial workspace scan.
 */
export function register(context: ServerContext): void {
  const { connection, workspace, guard, logger } = context;
  const caps = context.capabilities;
  caps.documentSymbolProvider = { label: 'Spec outline' };
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
    get: (): ServerCapabilities['renameProvider'] => (context.clientCapabilities.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true),
  });

  /** The model of an open or indexed file; after the scan when other files matter. */
  const docFor = async (uri: string, needsWorkspace: boolean): Promise<SpecDocument | undefined> => {
    if (needsWorkspace) await context.ready();
    const doc = workspace.get(uri);
    if (doc) return doc;
    const open = context.documents.get(uri);
    return open ? workspace.update(uri, open.getText(), open.version) : undefined;
  };

  connection.onDocumentSymbol(guard('textDocument/documentSymbol', [], async (params) => {
    const doc = await docFor(params.textDocument.uri, false);
    return doc ? documentSymbols(doc) : [];
  }));

  connection.onWorkspaceSymbol(guard('workspace/symbol', [], async (params) => {
    await context.ready();
    return workspaceSymbols(workspace, params.query);
  }));

  connection.onDefinition(guard('textDocument/definition', [] as Location[] | LocationLink[], async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    if (!doc) return [];
    const links = definition(workspace, doc, params.position);
    if (context.clientCapabilities.textDocument?.definition?.linkSupport) return links;
    return links.map((link) => ({ uri: link.targetUri, range: link.targetSelectionRange }));
  }));

  connection.onReferences(guard('textDocument/references', [], async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    return doc ? references(workspace, doc, params.position, params.context) : [];
  }));

  connection.onHover(guard('textDocument/hover', null, async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    return doc ? hover(workspace, doc, params.position) : null;
  }));

  connection.onCompletion(guard('textDocument/completion', { isIncomplete: false, items: [] }, async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    return doc ? completion(workspace, doc, params.position) : { isIncomplete: false, items: [] };
  }));

  connection.onFoldingRanges(guard('textDocument/foldingRange', [], async (params) => {
    const doc = await docFor(params.textDocument.uri, false);
    return doc ? foldingRanges(doc) : [];
  }));

  connection.onDocumentLinks(guard('textDocument/documentLink', [], async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    return doc ? documentLinks(workspace, doc) : [];
  }));

  // A rename that cannot be done answers with an error the editor shows, not an empty result.
  const refused = (error: unknown) => {
    if (error instanceof RenameError) return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
    throw error;
  };

  connection.onPrepareRename(guard('textDocument/prepareRename', null, async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    if (!doc) return null;
    try {
      return prepareRename(workspace, doc, params.position);
    } catch (error) {
      return refused(error);
    }
  }));

  connection.onRenameRequest(guard('textDocument/rename', null, async (params) => {
    const doc = await docFor(params.textDocument.uri, true);
    if (!doc) return null;
    const editCaps = context.clientCapabilities.workspace?.workspaceEdit;
    try {
      const result = rename(workspace, doc, params.position, params.newName, {
        documentChanges: !!editCaps?.documentChanges,
        renameFiles: !!editCaps?.documentChanges && !!editCaps.resourceOperations?.includes('rename'),
        versionOf: (uri) => context.documents.get(uri)?.version ?? null,
      });
      // the target of a file rename may exist unindexed (a stray examples/<id>.md): never rely on the client to refuse
      for (const change of result.edit.documentChanges ?? []) {
        if ('kind' in change && change.kind === 'rename' && (await workspace.fileExists(change.newUri))) {
          throw new RenameError(`${workspace.relativePath(change.newUri)} already exists: renaming ${workspace.relativePath(change.oldUri)} onto it would overwrite it. Move or delete that file first, or choose another id.`);
        }
      }
      for (const note of result.notes) {
        logger.warn('rename: ' + note, { uri: doc.uri, newName: params.newName });
        // a notification: window.showWarningMessage is a request, which an editor may leave unanswered
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Thought Clarifier: ${note}` }).catch(() => undefined);
      }
      return result.edit;
    } catch (error) {
      return refused(error);
    }
  }));
}
