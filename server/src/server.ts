import {
  createConnection,
  CancellationToken,
  CancellationTokenSource,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type DiagnosticServerCancellationData,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  createLanguageService,
  FolderConfigs,
  resolveConfig,
  type ClarifierConfig,
  type Logger,
  type ResolvedConfig,
  YIELDING_PARSE_CHARS,
} from './engine/languageService';
import { nodeFileSystem } from './node/fileSystem';
import { loadConfigFile } from './node/loadConfig';
import { VERSION } from './node/version';
import {
  type ClarifierInitializationOptions,
  MarkAsSpecNotification,
  StatusRequest,
  type DocumentParams,
  type StatusResult,
} from './protocol';
import type { ServerContext } from './serverContext';
import { register as registerNavigation } from './handlers/navigation';
import { register as registerCodeActions } from './handlers/codeActions';
import { register as registerClauseTests } from './handlers/clauseTests';
import { register as registerClarify } from './handlers/clarify';
import { register as registerPrecedents } from './handlers/precedents';
import { register as registerModelTiers } from './handlers/modelTiers';
import { register as registerSpecs } from './handlers/specs';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let traceLevel: 'error' | 'warn' | 'info' | 'debug' = 'info';
const LEVELS = ['error', 'warn', 'info', 'debug'];
const log = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, data?: Record<string, unknown>) => {
  if (LEVELS.indexOf(level) > LEVELS.indexOf(traceLevel)) return;
  const line = `[${level}] ${message}${data ? ' ' + JSON.stringify(data) : ''}`;
  if (level === 'error') connection.console.error(line);
  else if (level === 'warn') connection.console.warn(line);
  else connection.console.log(line);
};
const logger: Logger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };

const service = createLanguageService({
  fileSystem: nodeFileSystem,
  logger,
  openDocuments: {
    get: (uri) => {
      const open = documents.get(uri);
      return open && { text: open.getText(), version: open.version };
    },
  },
  config: (uri) => configFor(uri),
  onDependentsChanged: (uris) => refreshDiagnostics(uris),
  // other requests are answered between the rules of a big file's lint, between slices of a big
  // file's parse (the editor's text or a file the workspace scan reads) and between scanned files
  pause: () => new Promise<void>((resolve) => setImmediate(resolve)),
});
/** Each workspace folder's config file: a file's own folder's applies to it. */
const folderConfigs = new FolderConfigs();
let pullDiagnostics = false;
let configurationRequests = false;
const documentConfigs = new Map<string, Promise<ResolvedConfig>>();
let ready: Promise<void> = Promise.resolve();

/** Handlers never throw: they log with structure and answer with an empty result. */
function guard<P, R>(
  name: string,
  empty: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token?: CancellationToken) => Promise<R> {
  return async (params: P, token?: CancellationToken) => {
    try {
      // a request about a big document still being parsed waits for it; others are answered meanwhile
      const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
      if (typeof uri === 'string') await whenParsed(uri);
      return await handler(params, token ?? CancellationToken.None);
    } catch (error) {
      logger.error(`${name} failed`, { error: error instanceof Error ? error.stack : String(error) });
      return empty;
    }
  };
}

/** What feature modules get: each registers its handlers and adds its capabilities. */
const context: ServerContext = {
  connection,
  documents,
  service,
  logger,
  guard,
  ready: () => ready,
  configFor: (uri) => configFor(uri),
  diagnose: (uri, token) => diagnose(uri, token),
  refreshDiagnostics: (uris) => refreshDiagnostics(uris),
  capabilities: {},
  clientCapabilities: {},
  initializationOptions: {},
};
const features: ((context: ServerContext) => void)[] = [
  registerNavigation,
  registerCodeActions,
  registerClauseTests,
  registerClarify,
  registerPrecedents,
  registerModelTiers,
  registerSpecs,
];
for (const register of features) register(context);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  context.clientCapabilities = params.capabilities;
  const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  service.setRoots(folders);
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  configurationRequests = !!params.capabilities.workspace?.configuration;
  const options = params.initializationOptions as ClarifierInitializationOptions | undefined;
  context.initializationOptions = options && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  if (options?.trace && LEVELS.includes(options.trace)) traceLevel = options.trace as typeof traceLevel;
  folderConfigs.setFolders(folders);
  for (const folder of folders) loadFolderConfig(folder);
  service.setWorkspaceConfig(resolveConfig(folderConfigs.forUri(folders[0] ?? '')));
  return {
    capabilities: {
      ...context.capabilities,
      // didSave: the model tiers run on save in editors other than VS Code
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      diagnosticProvider: pullDiagnostics
        ? { identifier: 'clarifier', interFileDependencies: true, workspaceDiagnostics: false }
        : undefined,
    },
    serverInfo: { name: 'clarifier', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (configurationRequests)
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'clarifier' });
  ready = applyWorkspaceSettings()
    .then(() => service.scan())
    .then(
      () => {
        logger.info('workspace indexed', service.indexSize());
        refreshDiagnostics();
      },
      (error) => logger.error('workspace scan failed', { error: String(error) }),
    );
});

/** Reads a folder's config file; an invalid one is shown to the user. */
function loadFolderConfig(folder: string): void {
  try {
    const found = loadConfigFile(URI.parse(folder).fsPath);
    folderConfigs.set(folder, found?.config);
    if (found) logger.info('config file loaded', { file: found.file });
  } catch (error) {
    // an invalid file (often half-way through an edit) keeps the folder's last good config
    // a notification, not window.showErrorMessage: that is a request an editor may never answer (or reject)
    void connection
      .sendNotification(ShowMessageNotification.type, {
        type: MessageType.Error,
        message: `Thought Clarifier: ${(error as Error).message}`,
      })
      .catch(() => undefined);
  }
}

function settingsLayer(settings: ClarifierConfig | null): ClarifierConfig | undefined {
  return settings
    ? {
        rules: settings.rules,
        include: settings.include,
        exclude: settings.exclude,
        authorities: settings.authorities,
        profile: settings.profile,
        specSets: settings.specSets,
        maxAnalyzedSentences: settings.maxAnalyzedSentences,
      }
    : undefined;
}

/**
 * Which files are specs is a workspace-wide question: the first folder's `clarifier.*` settings
 * (include/exclude) apply to the index; severities are read per document in configFor.
 */
async function applyWorkspaceSettings(): Promise<void> {
  if (!configurationRequests) return;
  try {
    const settings: ClarifierConfig | null = await connection.workspace.getConfiguration({
      scopeUri: service.roots[0],
      section: 'clarifier',
    });
    service.setWorkspaceConfig(resolveConfig(folderConfigs.forUri(service.roots[0] ?? ''), settingsLayer(settings)));
  } catch (error) {
    logger.warn('cannot read clarifier settings', { error: String(error) });
  }
}

async function configFor(uri: string): Promise<ResolvedConfig> {
  let config = documentConfigs.get(uri);
  if (!config) {
    const fileLayer = folderConfigs.forUri(uri);
    config = !configurationRequests
      ? Promise.resolve(resolveConfig(fileLayer))
      : connection.workspace
          .getConfiguration({ scopeUri: uri, section: 'clarifier' })
          .then((settings: ClarifierConfig | null) => resolveConfig(fileLayer, settingsLayer(settings)))
          .catch(() => resolveConfig(fileLayer));
    documentConfigs.set(uri, config);
  }
  return config;
}

async function diagnose(uri: string, token?: CancellationToken): Promise<Diagnostic[]> {
  await ready;
  await whenParsed(uri);
  return service.computeDiagnostics(uri, token);
}

let refreshTimer: NodeJS.Timeout | undefined;
/** Files waiting to be re-checked; undefined: every open file. */
let pendingRefresh: Set<string> | undefined = new Set();
/**
 * Other files' diagnostics depend on this one (ids, markers, titles, conflicts): the engine's
 * diagnostics manager says which. A pull client is asked to pull again; a push client gets fresh
 * diagnostics for each of those files it has open.
 */
function refreshDiagnostics(uris?: readonly string[]) {
  if (!uris) pendingRefresh = undefined;
  else if (pendingRefresh) for (const uri of uris) pendingRefresh.add(uri);
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    const due = pendingRefresh;
    pendingRefresh = new Set();
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) if (!due || due.has(document.uri)) void pushDiagnostics(document.uri);
  }, 150);
}

async function pushDiagnostics(uri: string) {
  const diagnostics = await guard('diagnostics', [] as Diagnostic[], diagnose)(uri);
  await connection.sendDiagnostics({ uri, diagnostics });
}

/**
 * A lint cut short answers with nothing; sent as a full report, "nothing" would read as "no
 * findings" to a client that applies it (and a status of a spec with 0 findings). Cancelled it is.
 */
function cancelled<D = void>(data?: D): ResponseError<D> {
  return new ResponseError(
    LSPErrorCodes.RequestCancelled,
    'the request was cancelled before its answer was complete',
    data,
  );
}

connection.languages.diagnostics.on(
  guard<DocumentDiagnosticParams, DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>>(
    'textDocument/diagnostic',
    { kind: 'full', items: [] },
    async (params, token) => {
      const items = await diagnose(params.textDocument.uri, token);
      return token.isCancellationRequested ? cancelled({ retriggerRequest: true }) : { kind: 'full', items };
    },
  ),
);

/**
 * Big documents being parsed, by URI. Requests about such a document wait for its parse (see
 * whenParsed); requests about every other file are answered meanwhile. A newer text cancels the
 * parse of the older one.
 */
const parsing = new Map<string, { done: Promise<void>; source: CancellationTokenSource }>();

/** Resolves once no parse of `uri` is running (the latest text's parse included). */
async function whenParsed(uri: string): Promise<void> {
  let running;
  while ((running = parsing.get(uri))) await running.done;
}

documents.onDidChangeContent((change) => {
  const uri = change.document.uri;
  const text = change.document.getText();
  const version = change.document.version;
  parsing.get(uri)?.source.cancel();
  parsing.delete(uri);
  const updated = (affected: string[]) => {
    if (!pullDiagnostics) void pushDiagnostics(uri);
    if (affected.length) refreshDiagnostics(affected);
  };
  // an edit or a small file is parsed at once; a big file's first text in slices with pauses
  if (text.length < YIELDING_PARSE_CHARS || service.indexedVersion(uri) !== undefined) {
    try {
      updated(service.updateDocument(uri, text, version));
    } catch (error) {
      logger.error('update failed', { uri, error: String(error) });
    }
    return;
  }
  const source = new CancellationTokenSource();
  const done = service.updateDocumentYielding(uri, text, version, source.token).then(
    (affected) => {
      if (parsing.get(uri)?.source === source) parsing.delete(uri);
      if (affected) updated(affected);
    },
    (error: unknown) => {
      if (parsing.get(uri)?.source === source) parsing.delete(uri);
      logger.error('update failed', { uri, error: String(error) });
    },
  );
  parsing.set(uri, { done, source });
});

documents.onDidClose((event) => {
  const uri = event.document.uri;
  parsing.get(uri)?.source.cancel(); // the closed editor's text is no longer the truth
  // an untitled (or any non-file) document has no file: it leaves the index, nothing is read from disk
  if (!uri.startsWith('file:')) {
    refreshDiagnostics(service.removeDocument(uri));
    return;
  }
  // the file on disk is the truth again once the editor lets go of it
  void service.refreshFromDisk(uri).then((affected) => refreshDiagnostics(affected));
});

connection.onDidChangeWatchedFiles(
  guard('workspace/didChangeWatchedFiles', undefined, async (params) => {
    for (const change of params.changes) {
      if (/(^|\/)(\.clarifier\.json|clarifier\.config\.json)$/.test(change.uri)) {
        const folder = change.uri.replace(/\/[^/]+$/, '');
        if (folderConfigs.folders.includes(folder)) loadFolderConfig(folder);
        service.setWorkspaceConfig(resolveConfig(folderConfigs.forUri(service.roots[0] ?? '')));
        await applyWorkspaceSettings();
        documentConfigs.clear();
        continue;
      }
      if (documents.get(change.uri)) continue; // the editor's text wins over the disk
      if (change.type === 3) service.removeDocument(change.uri);
      else await service.refreshFromDisk(change.uri);
    }
    refreshDiagnostics();
  }),
);

connection.onDidChangeConfiguration(() => {
  documentConfigs.clear();
  void applyWorkspaceSettings().then(() => refreshDiagnostics());
});

connection.onRequest(
  StatusRequest,
  guard<DocumentParams, StatusResult | ResponseError<void>>(
    'clarifier/status',
    { isSpec: false, sections: 0, clauses: 0, examples: 0, findings: 0 },
    async (params, token) => {
      await ready;
      const status = await service.status(params.uri, token);
      return token.isCancellationRequested ? cancelled() : status;
    },
  ),
);

connection.onNotification(MarkAsSpecNotification, (params) => {
  service.markAsSpec(params.uri);
  refreshDiagnostics();
});

documents.listen(connection);
connection.listen();
