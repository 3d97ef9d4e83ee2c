import {
  createConnection,
  DidChangeConfigurationNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { resolveConfig, type ClarifierConfig, type ResolvedConfig } from './engine/config';
import { toDiagnostic } from './engine/diagnostics';
import type { Logger } from './engine/host';
import { lintDocument } from './engine/lint';
import { sectionAt } from './engine/rules/sections';
import { conflictIndex } from './engine/conflicts/analysis';
import { collectUnits } from './engine/clauseTests/collect';
import { FolderConfigs } from './engine/folderConfigs';
import { SpecWorkspace } from './engine/workspace';
import { nodeFileSystem } from './node/fileSystem';
import { loadConfigFile } from './node/loadConfig';
import { VERSION } from './node/version';
import { type ClarifierInitializationOptions, MarkAsSpecNotification, StatusRequest, type StatusResult } from './protocol';
import type { ServerContext } from './serverContext';
import { register as registerNavigation } from './handlers/navigation';
import { register as registerCodeActions } from './handlers/codeActions';
import { register as registerClauseTests } from './handlers/clauseTests';
import { register as registerClarify } from './handlers/clarify';
import { register as registerPrecedents } from './handlers/precedents';
import { register as registerModelTiers } from './handlers/modelTiers';

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

const workspace = new SpecWorkspace(nodeFileSystem, logger);
/** Each workspace folder's config file: a file's own folder's applies to it. */
const folderConfigs = new FolderConfigs();
let pullDiagnostics = false;
let configurationRequests = false;
const documentConfigs = new Map<string, Promise<ResolvedConfig>>();
let ready: Promise<void> = Promise.resolve();

/** Handlers never throw: they log with structure and answer with an empty result. */
function guard<P, R>(name: string, empty: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
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
  workspace,
  logger,
  guard,
  ready: () => ready,
  configFor: (uri) => configFor(uri),
  diagnose: (uri) => diagnose(uri),
  refreshDiagnostics: () => refreshDiagnostics(),
  capabilities: {},
  clientCapabilities: {},
  initializationOptions: {},
};
const features: ((context: ServerContext) => void)[] = [registerNavigation, registerCodeActions, registerClauseTests, registerClarify, registerPrecedents, registerModelTiers];
for (const register of features) register(context);

connection.onInitialize((params: InitializeParams): InitializeResult => {
  context.clientCapabilities = params.capabilities;
  const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspace.roots = folders;
  pullDiagnostics = !!params.capabilities.textDocument?.diagnostic;
  configurationRequests = !!params.capabilities.workspace?.configuration;
  const options = params.initializationOptions as ClarifierInitializationOptions | undefined;
  context.initializationOptions = options && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  if (options?.trace && LEVELS.includes(options.trace)) traceLevel = options.trace as typeof traceLevel;
  folderConfigs.setFolders(folders);
  for (const folder of folders) loadFolderConfig(folder);
  workspace.setConfig(resolveConfig(folderConfigs.forUri(folders[0] ?? '')));
  return {
    capabilities: {
      ...context.capabilities,
      // didSave: the model tiers run on save in editors other than VS Code
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      diagnosticProvider: pullDiagnostics ? { identifier: 'clarifier', interFileDependencies: true, workspaceDiagnostics: false } : undefined,
    },
    serverInfo: { name: 'clarifier', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (configurationRequests) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'clarifier' });
  ready = applyWorkspaceSettings().then(() => workspace.scan()).then(
    () => {
      logger.info('workspace indexed', { files: workspace.allDocuments().length, specs: workspace.specDocuments().length });
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
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: `Thought Clarifier: ${(error as Error).message}` }).catch(() => undefined);
  }
}

function settingsLayer(settings: ClarifierConfig | null): ClarifierConfig | undefined {
  return settings ? { rules: settings.rules, include: settings.include, exclude: settings.exclude, authorities: settings.authorities, profile: settings.profile, specSets: settings.specSets } : undefined;
}

/**
 * Which files are specs is a workspace-wide question: the first folder's `clarifier.*` settings
 * (include/exclude) apply to the index; severities are read per document in configFor.
 */
async function applyWorkspaceSettings(): Promise<void> {
  if (!configurationRequests) return;
  try {
    const settings: ClarifierConfig | null = await connection.workspace.getConfiguration({ scopeUri: workspace.roots[0], section: 'clarifier' });
    workspace.setConfig(resolveConfig(folderConfigs.forUri(workspace.roots[0] ?? ''), settingsLayer(settings)));
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

async function diagnose(uri: string): Promise<Diagnostic[]> {
  await ready;
  const doc = workspace.get(uri);
  if (!doc) return [];
  const config = await configFor(uri);
  const diagnostics = lintDocument(doc, workspace, logger, config).map((finding) => toDiagnostic(finding, doc, workspace));
  refreshIfConflictsMoved(uri);
  return diagnostics;
}

let lastConflictChange: Set<string> | undefined;
/** An edit here can add or settle a conflict with a clause in another file: that file is re-diagnosed too. */
function refreshIfConflictsMoved(uri: string) {
  const affected = conflictIndex(workspace).affectedUris;
  if (affected === lastConflictChange) return;
  lastConflictChange = affected;
  if ([...affected].some((other) => other !== uri)) refreshDiagnostics();
}

let refreshTimer: NodeJS.Timeout | undefined;
/** Other files' diagnostics depend on this one (ids, markers): ask the client to pull again. */
function refreshDiagnostics() {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) void pushDiagnostics(document.uri);
  }, 150);
}

async function pushDiagnostics(uri: string) {
  const diagnostics = await guard('diagnostics', [] as Diagnostic[], diagnose)(uri);
  await connection.sendDiagnostics({ uri, diagnostics });
}

connection.languages.diagnostics.on(
  guard('textDocument/diagnostic', { kind: 'full', items: [] }, async (params) => ({ kind: 'full' as const, items: await diagnose(params.textDocument.uri) })),
);

documents.onDidChangeContent((change) => {
  try {
    const before = workspace.get(change.document.uri);
    const doc = workspace.update(change.document.uri, change.document.getText(), change.document.version);
    if (!pullDiagnostics) void pushDiagnostics(doc.uri);
    if (!before || crossFileKey(before) !== crossFileKey(doc)) refreshDiagnostics();
  } catch (error) {
    logger.error('update failed', { uri: change.document.uri, error: String(error) });
  }
});

documents.onDidClose((event) => {
  const uri = event.document.uri;
  // an untitled (or any non-file) document has no file: it leaves the index, nothing is read from disk
  if (!uri.startsWith('file:')) {
    workspace.remove(uri);
    refreshDiagnostics();
    return;
  }
  // the file on disk is the truth again once the editor lets go of it
  void workspace.refreshFromDisk(uri).then(() => refreshDiagnostics());
});

/**
 * What other files can see of this one: section ids and titles, markers and the section each is in
 * (an example file's header names it: example-header-mismatch), example headers.
 */
function crossFileKey(doc: ReturnType<SpecWorkspace['update']>): string {
  const sections = doc.sections.map((s) => `${s.id}=${s.title}`).join('\n');
  const markers = doc.markers.map((m) => `${m.id}@${sectionAt(doc, m.span.start)?.id ?? ''}`).join(',');
  return [doc.hasSpecSyntax, sections, markers, doc.exampleFileHeader?.markerId, doc.exampleFileHeader?.sectionTitle].join('|');
}

connection.onDidChangeWatchedFiles(
  guard('workspace/didChangeWatchedFiles', undefined, async (params) => {
    for (const change of params.changes) {
      if (/(^|\/)(\.clarifier\.json|clarifier\.config\.json)$/.test(change.uri)) {
        const folder = change.uri.replace(/\/[^/]+$/, '');
        if (folderConfigs.folders.includes(folder)) loadFolderConfig(folder);
        workspace.setConfig(resolveConfig(folderConfigs.forUri(workspace.roots[0] ?? '')));
        await applyWorkspaceSettings();
        documentConfigs.clear();
        continue;
      }
      if (documents.get(change.uri)) continue; // the editor's text wins over the disk
      if (change.type === 3) workspace.remove(change.uri);
      else await workspace.refreshFromDisk(change.uri);
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
  guard('clarifier/status', { isSpec: false, sections: 0, clauses: 0, examples: 0, findings: 0 } as StatusResult, async (params) => {
    await ready;
    const doc = workspace.get(params.uri);
    if (!doc) return { isSpec: false, sections: 0, clauses: 0, examples: 0, findings: 0 };
    const verdict = workspace.specVerdict(doc.uri);
    const isSpec = verdict.isSpec;
    // the examples a run runs, the same number as the "Run all N examples" lens and the run's progress (cached per index state)
    const exampleCount = isSpec
      ? collectUnits(doc, workspace).reduce((n, unit) => n + unit.examples.filter((e) => !e.skip).length, 0)
      : doc.examples.length + doc.markers.reduce((n, m) => n + workspace.exampleFiles(m.id).reduce((k, f) => k + f.examples.length, 0), 0);
    return { isSpec, reason: verdict.reason, recognizedBy: verdict.source, kind: verdict.kind, sections: doc.sections.length, clauses: doc.clauses.filter((c) => !c.commentary).length, examples: exampleCount, findings: isSpec ? (await diagnose(doc.uri)).length : 0 };
  }),
);

connection.onNotification(MarkAsSpecNotification, (params) => {
  workspace.markAsSpec(params.uri);
  refreshDiagnostics();
});

documents.listen(connection);
connection.listen();
