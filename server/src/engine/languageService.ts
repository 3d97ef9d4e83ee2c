/**
 * The engine's one facade, in the manner of vscode-markdown-languageservice: a host (the language
 * server, the CLI, a test) creates a language service from an injected file system, logger, open
 * documents and config, feeds it file changes, and asks it for language features. Every request
 * takes a cancellation token; a cancelled request answers with an empty result. The host owns the
 * connection, the editor's capabilities and the user's settings; the service owns the index.
 *
 * server.ts, handlers/ and the CLI import the engine only through this module (ESLint enforces it).
 */
import type { CodeActionParams } from 'vscode-languageserver-protocol';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  LocationLink,
  Position,
  Range,
  ReferenceContext,
  WorkspaceSymbol,
} from 'vscode-languageserver-types';
import type {
  ClarifyClauseArgs,
  ClarifyTargetResult,
  ClauseTestPlan,
  ModelTierResultsParams,
  StatusResult,
  WorkspaceTestFile,
} from '../protocol';
import { clarifyTarget, clauseAt } from './clarify';
import { collectAllUnits, collectUnits } from './clauseTests/collect';
import { specContextText } from './clauseTests/context';
import type { PrecedentEdit, PrecedentInput } from './clauseTests/precedent';
import { precedentEdit } from './clauseTests/precedent';
import type { ClauseTestUnit, UnitResult } from './clauseTests/types';
import { firstUnreadSentence } from './analysisLimit';
import { globMatcher, type ResolvedConfig } from './config';
import { storeModelResults } from './conflicts/modelTier';
import { storeAmbiguityResults, storeClauseTestResults, storedClauseTestResults } from './deep/store';
import { deepTargets, type DeepTargets, type DeepTier } from './deep/targets';
import { toDiagnostic } from './diagnostics';
import { DiagnosticsManager } from './diagnosticsManager';
import { CancellationToken, type FileSystem, type Logger } from './host';
import {
  completion,
  definition,
  documentLinks,
  documentSymbols,
  foldingRanges,
  hover,
  prepareRename,
  references,
  rename,
  RenameError,
  specEntries,
  workspaceSymbols,
  type SpecEntry,
  type RenameOptions,
  type RenameResult,
} from './languageFeatures';
import { clarifyActionArgs } from './languageFeatures/clarifyAction';
import { clauseTestLenses } from './languageFeatures/clauseTestLenses';
import { buildCodeActions, dataOf, FIX_ALL_KIND } from './languageFeatures/codeActions';
import { modelTierQuickFixes } from './languageFeatures/modelTierActions';
import { lintDocument, lintDocumentYielding } from './lint';
import type { SpecDocument } from './model';
import type { Finding } from './rules/types';
import type { SpecVerdict } from './recognition';
import { safeDecode } from './text';
import { SpecWorkspace } from './workspace';

// What hosts need besides the service: data types, constants and errors they name.
export { CancellationToken, silentLogger, type FileSystem, type FileType, type Logger } from './host';
export {
  resolveConfig,
  parseConfig,
  globMatcher,
  CONFIG_FILE_NAMES,
  type ClarifierConfig,
  type ResolvedConfig,
} from './config';
export { FolderConfigs } from './folderConfigs';
export { YIELDING_PARSE_CHARS } from './workspace';
export { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';
export { RenameError, type RenameOptions, type RenameResult } from './languageFeatures';
export { FIX_ALL_KIND } from './languageFeatures/codeActions';
export { PrecedentError, type PrecedentEdit, type PrecedentInput } from './clauseTests/precedent';
export { DEEP_TIERS, type DeepTargets, type DeepTier } from './deep/targets';
export { DEFAULT_BASE_URL, isLoopback, settingNumber, settingText } from './llm/settings';
export type { ChatMessage } from './llm/client';
export type { ClauseTestUnit } from './clauseTests/types';
export { RULES } from './rules/registry';
export { docsUrl } from './rules/types';
export type { SpecVerdict } from './recognition';
export type { SpecEntry } from './languageFeatures';

/** The text the editor holds for an open document: it wins over the file on disk. */
export interface OpenDocument {
  readonly text: string;
  readonly version: number;
}

export interface LanguageServiceOptions {
  fileSystem: FileSystem;
  logger: Logger;
  /** The documents open in the editor (none for the CLI). */
  openDocuments?: { get(uri: string): OpenDocument | undefined };
  /** The config in force for a document: defaults, then the config file, then the user's settings. */
  config?: (uri: string) => ResolvedConfig | Promise<ResolvedConfig>;
  /** Workspace folder URIs; `setRoots` changes them. */
  roots?: string[];
  /**
   * The folder (URI) config globs are relative to when it holds a file, before the workspace
   * folders: the CLI's working folder, where its config file is, whichever folders it lints.
   */
  globBase?: string;
  /**
   * Called when computing one file's diagnostics showed that other files' findings changed too (a
   * clause edited here starts or stops conflicting with one there): the host re-checks them.
   */
  onDependentsChanged?: (uris: string[]) => void;
  /**
   * Lets the host handle other messages between two rules of a lint (a language server passes
   * `setImmediate`), so that a big file does not keep it from answering. Without it a lint runs
   * its rules back to back.
   */
  pause?: () => Promise<void>;
  /**
   * false for a one-shot run whose documents are never edited (the CLI): the parser then keeps no
   * per-block state for incremental re-parsing, which a 10 MB file pays for in memory and time.
   */
  documentsAreEdited?: boolean;
}

/** What one status request shows: whether the file is a spec and why, and what it holds. */
export type DocumentStatus = StatusResult;

export interface ModelTierTargetsInput {
  /** The specs whose clauses are asked about. */
  uris: string[];
  tiers?: readonly DeepTier[];
  conflictBudget: number;
  /** Clauses of the first of `uris` inside these ranges (a failing unit's) come first. */
  priorityRanges?: Range[];
}

/** Model-tier results to show as findings, for `uris` (every file when omitted). */
export interface ModelTierResults {
  uris?: string[];
  ambiguity?: ModelTierResultsParams['ambiguity'];
  conflicts?: ModelTierResultsParams['conflicts'];
}

export interface LanguageService {
  // ---- the index: the host reports what changed; each call says which other files to re-check
  readonly roots: readonly string[];
  setRoots(roots: string[]): void;
  /** The config that decides which files are specs (include/exclude): the first folder's. */
  setWorkspaceConfig(config: ResolvedConfig): void;
  /**
   * Reads every Markdown file under the roots that the index does not hold. With the host's
   * `pause`, a big file's parse pauses between slices and the scan between files; a file the editor
   * opens (or that changes on disk) meanwhile keeps its newer text, the scan's parse of it is dropped.
   */
  scan(token?: CancellationToken): Promise<void>;
  /**
   * As updateDocument, answering other requests meanwhile: a big file's first parse pauses between
   * slices of blocks (with the host's `pause`). Undefined when `token` was cancelled first (a newer text came).
   */
  updateDocumentYielding(
    uri: string,
    text: string,
    version: number,
    token: CancellationToken,
  ): Promise<string[] | undefined>;
  /** As scan, under these folders only (the CLI's named folders; the other roots are for relative paths). */
  scanFolders(folders: readonly string[]): Promise<void>;
  /** Reads the files an indexed file links to and its example files, transitively, without reading its folder. */
  readLinked(uri: string): Promise<void>;
  /** How many files and specs the index holds, for the log. */
  indexSize(): { files: number; specs: number };
  /** A document's new text (an editor change). Returns the other files whose findings may have changed. */
  updateDocument(uri: string, text: string, version: number): string[];
  /** A file left the workspace (or an untitled document closed). Returns the other files to re-check. */
  removeDocument(uri: string): string[];
  /** The file on disk is the truth again (closed in the editor, changed on disk). Returns the other files to re-check. */
  refreshFromDisk(uri: string): Promise<string[]>;
  /** "Treat as spec" (every file's findings may change: a spec's links make other files specs). */
  markAsSpec(uri: string): void;
  isSpec(uri: string): boolean;
  /** Whether a file is a spec and why (config, name and place, content, a link). */
  specVerdict(uri: string): SpecVerdict;
  /** Whether an "exclude" glob of the config matches the file. */
  isExcluded(uri: string): boolean;
  /** Every indexed Markdown file, spec or not. */
  indexedUris(): string[];
  specUris(): string[];
  /** The version of the document the index holds, or undefined when it holds none. */
  indexedVersion(uri: string): number | undefined;

  // ---- diagnostics
  /** A document's diagnostics (other files whose findings the same change moved go to `onDependentsChanged`). */
  computeDiagnostics(uri: string, token?: CancellationToken): Promise<Diagnostic[]>;
  status(uri: string, token?: CancellationToken): Promise<DocumentStatus>;

  // ---- language features
  /** The outline of a spec: sections (authority in `detail`), clauses, examples; none for a file that is not a spec. */
  documentSymbols(uri: string, token?: CancellationToken): Promise<DocumentSymbol[]>;
  /** The workspace's specs by path, without their example files, with what they hold (the Specs view). */
  specEntries(token?: CancellationToken): SpecEntry[];
  workspaceSymbols(query: string, token?: CancellationToken): WorkspaceSymbol[];
  definition(uri: string, position: Position, token?: CancellationToken): LocationLink[];
  references(uri: string, position: Position, context: ReferenceContext, token?: CancellationToken): Location[];
  hover(uri: string, position: Position, token?: CancellationToken): Hover | null;
  completion(uri: string, position: Position, token?: CancellationToken): CompletionList;
  foldingRanges(uri: string, token?: CancellationToken): FoldingRange[];
  documentLinks(uri: string, token?: CancellationToken): DocumentLink[];
  /** Throws RenameError when the cursor is on nothing that can be renamed; the message says why. */
  prepareRename(
    uri: string,
    position: Position,
    token?: CancellationToken,
  ): { range: Range; placeholder: string } | null;
  /** Throws RenameError when the rename cannot be done (including a file rename onto an existing file). */
  rename(
    uri: string,
    position: Position,
    newName: string,
    options: RenameOptions,
    token?: CancellationToken,
  ): Promise<RenameResult | null>;
  /** Quick fixes and "fix all" from the diagnostics' data, and "Disable … for this line". */
  codeActions(params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]>;
  /** Clause-test lenses: run, calibrate, and the last result of each unit. */
  codeLenses(uri: string, token?: CancellationToken): CodeLens[];

  // ---- clause tests, Clarify, precedents, model tiers
  /** Returns how many clauses and sections hold a result afterwards (none: the lenses' times need no redrawing). */
  recordClauseTestResults(results: UnitResult[], replace: boolean): number;
  clauseTestPlan(uri: string, unitIds: string[] | undefined, token?: CancellationToken): ClauseTestPlan;
  /** The spec's normative text without example transcripts: what `--context spec` sends the model under test. */
  specContextText(uri: string): string | undefined;
  /** The clause-test units of every spec that `include` accepts, in file order (a run over a workspace). */
  clauseTestUnits(include?: (uri: string) => boolean): ClauseTestUnit[];
  /** Every spec of the workspace with examples, open or not, in path order: what the Test Explorer lists. */
  workspaceClauseTests(token?: CancellationToken): WorkspaceTestFile[];
  /** Where "Clarify this clause" applies at `range`, if it is offered there. */
  clarifyActionArgs(params: CodeActionParams, token?: CancellationToken): ClarifyClauseArgs | undefined;
  /** The clause at `position` to clarify; null when the index holds another version than `editorVersion`. */
  clarifyTarget(
    uri: string,
    position: Position,
    editorVersion: number | undefined,
    token?: CancellationToken,
  ): ClarifyTargetResult;
  /** Throws PrecedentError when the input names no clause or example; the message says why. */
  precedentEdit(input: PrecedentInput, token?: CancellationToken): PrecedentEdit;
  modelTierTargets(input: ModelTierTargetsInput, token?: CancellationToken): Promise<DeepTargets>;
  storeModelTierResults(results: ModelTierResults): void;
  modelTierQuickFixes(
    uri: string,
    diagnostics: Diagnostic[],
    clientCallsModel: boolean,
    token?: CancellationToken,
  ): CodeAction[];
}

const NONE = CancellationToken.None;
const EMPTY_STATUS: DocumentStatus = { isSpec: false, sections: 0, clauses: 0, examples: 0, findings: 0 };

/** Config globs relative to a base folder first (see LanguageServiceOptions.globBase). */
class BasedWorkspace extends SpecWorkspace {
  constructor(
    fileSystem: FileSystem,
    logger: Logger,
    roots: string[],
    private readonly basePrefix: string,
    documentsAreEdited: boolean,
  ) {
    super(fileSystem, logger, roots, documentsAreEdited);
  }

  override relativePath(uri: string): string {
    if (uri.startsWith(this.basePrefix)) return safeDecode(uri.slice(this.basePrefix.length));
    return super.relativePath(uri);
  }
}

export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const { logger } = options;
  const edited = options.documentsAreEdited ?? true;
  const workspace = options.globBase
    ? new BasedWorkspace(options.fileSystem, logger, options.roots ?? [], options.globBase.replace(/\/?$/, '/'), edited)
    : new SpecWorkspace(options.fileSystem, logger, options.roots ?? [], edited);
  // compiled once per config: compiling the globs per file cost more than linting some files
  let excludedMatcher: { globs: string[]; match: (relativePath: string) => boolean } | undefined;
  const manager = new DiagnosticsManager(workspace);
  const configFor = async (uri: string): Promise<ResolvedConfig> =>
    options.config ? options.config(uri) : workspace.config;

  /** The model of an indexed file, or of an open document the index does not hold yet. */
  const docFor = (uri: string): SpecDocument | undefined => {
    const doc = workspace.get(uri);
    if (doc) return doc;
    const open = options.openDocuments?.get(uri);
    return open ? workspace.update(uri, open.text, open.version) : undefined;
  };

  const computeDiagnostics = async (uri: string, token: CancellationToken = NONE): Promise<Diagnostic[]> => {
    const doc = workspace.get(uri);
    if (!doc || token.isCancellationRequested) return [];
    const config = await configFor(uri);
    if (token.isCancellationRequested) return [];
    let findings: Finding[] | undefined;
    if (options.pause) {
      // rules run with pauses between them; a request cancelled meanwhile stops at the next rule
      findings = await lintDocumentYielding(doc, workspace, logger, config, {
        pause: options.pause,
        isCancelled: () => token.isCancellationRequested,
      });
      if (!findings) return [];
    } else findings = lintDocument(doc, workspace, logger, config);
    const diagnostics = findings.map((finding) => toDiagnostic(finding, doc, workspace));
    if (options.onDependentsChanged) {
      const dependents = manager.conflictDependents(uri);
      if (dependents.length) options.onDependentsChanged(dependents);
    }
    return diagnostics;
  };

  return {
    get roots() {
      return workspace.roots;
    },
    setRoots(roots) {
      workspace.roots = roots;
    },
    setWorkspaceConfig(config) {
      workspace.setConfig(config);
    },
    // with the host's pause, a big file read from disk is parsed in slices and the scan pauses between files
    scan: (token) => workspace.scan(undefined, { pause: options.pause, token }),
    scanFolders: (folders) => workspace.scan(folders, { pause: options.pause }),
    readLinked: (uri) => workspace.readLinked(uri, undefined, { pause: options.pause }),
    indexSize: () => ({ files: workspace.allDocuments().length, specs: workspace.specDocuments().length }),
    updateDocument(uri, text, version) {
      const before = workspace.get(uri);
      const after = workspace.update(uri, text, version);
      return manager.dependentsOfChange(uri, before, after);
    },
    async updateDocumentYielding(uri, text, version, token) {
      const pause = options.pause ?? (() => Promise.resolve());
      const change = await workspace.updateYielding(uri, text, version, pause, token);
      return change && manager.dependentsOfChange(uri, change.before, change.after);
    },
    removeDocument(uri) {
      const before = workspace.get(uri);
      workspace.remove(uri);
      return manager.dependentsOfChange(uri, before, undefined);
    },
    async refreshFromDisk(uri) {
      const change = await workspace.refreshFromDisk(uri, { pause: options.pause });
      // a read dropped for a newer text changed nothing: that change reports its own dependents
      return change ? manager.dependentsOfChange(uri, change.before, change.after) : [];
    },
    markAsSpec: (uri) => workspace.markAsSpec(uri),
    isSpec: (uri) => !!workspace.get(uri) && workspace.isSpec(uri),
    specVerdict: (uri) => workspace.specVerdict(uri),
    isExcluded(uri) {
      const globs = workspace.config.exclude;
      if (excludedMatcher?.globs !== globs) excludedMatcher = { globs, match: globMatcher(globs) };
      return excludedMatcher.match(workspace.relativePath(uri));
    },
    indexedUris: () => workspace.allDocuments().map((doc) => doc.uri),
    specUris: () => workspace.specDocuments().map((doc) => doc.uri),
    indexedVersion: (uri) => workspace.get(uri)?.version,

    computeDiagnostics,
    async status(uri, token = NONE) {
      const doc = workspace.get(uri);
      if (!doc || token.isCancellationRequested) return EMPTY_STATUS;
      const verdict = workspace.specVerdict(doc.uri);
      const isSpec = verdict.isSpec;
      // the examples a run runs, the same number as the "Run all N examples" lens and the run's progress (cached per index state)
      const exampleCount = isSpec
        ? collectUnits(doc, workspace).reduce((n, unit) => n + unit.examples.filter((e) => !e.skip).length, 0)
        : doc.examples.length +
          doc.markers.reduce(
            (n, m) => n + workspace.exampleFiles(m.id, doc.uri).reduce((k, f) => k + f.examples.length, 0),
            0,
          );
      const findings = isSpec ? (await computeDiagnostics(doc.uri, token)).length : 0;
      return {
        isSpec,
        reason: verdict.reason,
        recognizedBy: verdict.source,
        kind: verdict.kind,
        sections: doc.sections.length,
        clauses: doc.clauses.filter((c) => !c.commentary).length,
        examples: exampleCount,
        findings,
      };
    },

    async documentSymbols(uri, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      // a file that is not a spec keeps the editor's plain Markdown outline, if it has one
      if (!doc || !workspace.isSpec(doc.uri)) return [];
      const config = await configFor(uri);
      if (token.isCancellationRequested) return [];
      // clauses are listed as far as the wording and conflict rules read them (see analysis-limit)
      return documentSymbols(doc, firstUnreadSentence(doc, config.maxAnalyzedSentences)?.span.start ?? Infinity);
    },
    specEntries: (token = NONE) => specEntries(workspace, () => token.isCancellationRequested),
    workspaceSymbols: (query, token = NONE) =>
      token.isCancellationRequested ? [] : workspaceSymbols(workspace, query),
    definition(uri, position, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? definition(workspace, doc, position) : [];
    },
    references(uri, position, context, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? references(workspace, doc, position, context) : [];
    },
    hover(uri, position, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? hover(workspace, doc, position) : null;
    },
    completion(uri, position, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? completion(workspace, doc, position) : { isIncomplete: false, items: [] };
    },
    foldingRanges(uri, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? foldingRanges(doc) : [];
    },
    documentLinks(uri, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? documentLinks(workspace, doc) : [];
    },
    prepareRename(uri, position, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      return doc ? prepareRename(workspace, doc, position) : null;
    },
    async rename(uri, position, newName, renameOptions, token = NONE) {
      const doc = token.isCancellationRequested ? undefined : docFor(uri);
      if (!doc) return null;
      const result = rename(workspace, doc, position, newName, renameOptions);
      // the target of a file rename may exist unindexed (a stray examples/<id>.md): never rely on the client to refuse
      for (const change of result.edit.documentChanges ?? []) {
        if ('kind' in change && change.kind === 'rename' && (await workspace.fileExists(change.newUri))) {
          throw new RenameError(
            `${workspace.relativePath(change.newUri)} already exists: renaming ${workspace.relativePath(change.oldUri)} onto it would overwrite it. Move or delete that file first, or choose another id.`,
          );
        }
      }
      return result;
    },
    async codeActions(params, token = NONE) {
      const uri = params.textDocument.uri;
      const open = options.openDocuments?.get(uri);
      if (!open || token.isCancellationRequested) return [];
      const needsAll =
        !params.context.only ||
        params.context.only.some((k) => FIX_ALL_KIND.startsWith(k)) ||
        params.context.diagnostics.some((d) => dataOf(d));
      const all = needsAll ? await computeDiagnostics(uri, token) : [];
      if (token.isCancellationRequested) return [];
      return buildCodeActions({ uri, lines: open.text.split('\n'), params, all });
    },
    codeLenses: (uri, token = NONE) =>
      token.isCancellationRequested ? [] : clauseTestLenses(uri, workspace, storedClauseTestResults(workspace)),

    recordClauseTestResults(results, replace) {
      // kept beside the workspace: the lenses and the graders-disagree rule read them
      storeClauseTestResults(workspace, results, replace);
      return storedClauseTestResults(workspace).size;
    },
    clauseTestPlan(uri, unitIds, token = NONE) {
      const doc = workspace.get(uri);
      if (!doc || token.isCancellationRequested) return { units: [] };
      const units = collectUnits(doc, workspace);
      const planned = unitIds ? units.filter((unit) => unitIds.includes(unit.id)) : units;
      return { units: planned, specText: planned.length ? specContextText(doc) : undefined };
    },
    clauseTestUnits: (include) => collectAllUnits(workspace, include),
    specContextText(uri) {
      const doc = workspace.get(uri);
      return doc && specContextText(doc);
    },
    workspaceClauseTests(token = NONE) {
      const files: WorkspaceTestFile[] = [];
      for (const doc of workspace.specDocuments().sort((a, b) => a.uri.localeCompare(b.uri))) {
        if (token.isCancellationRequested) return [];
        const units = collectUnits(doc, workspace).filter((unit) => unit.examples.length);
        if (units.length)
          files.push({
            uri: doc.uri,
            units: units.length,
            examples: units.reduce((n, unit) => n + unit.examples.filter((e) => !e.skip).length, 0),
          });
      }
      return files;
    },
    clarifyActionArgs(params, token = NONE) {
      const doc = workspace.get(params.textDocument.uri);
      if (!doc || token.isCancellationRequested || !workspace.isSpec(doc.uri)) return undefined;
      return clarifyActionArgs(doc, params.range, params.context);
    },
    clarifyTarget(uri, position, editorVersion, token = NONE) {
      const doc = workspace.get(uri);
      // the editor's latest text, so that the edits built from the target apply to it
      if (!doc || token.isCancellationRequested || (editorVersion !== undefined && editorVersion !== doc.version))
        return null;
      const clause = clauseAt(doc, doc.lines.offsetAt(position));
      return clause ? clarifyTarget(doc, clause) : null;
    },
    precedentEdit: (input) => precedentEdit(workspace, input),
    async modelTierTargets(input, token = NONE) {
      const uris = input.uris.filter((uri) => workspace.get(uri) && workspace.isSpec(uri));
      if (!uris.length || token.isCancellationRequested) return { ambiguity: [], conflicts: [] };
      // clauses inside a failing unit's range come first
      const priority = new Set<string>();
      const doc = workspace.get(input.uris[0]);
      if (doc)
        for (const range of input.priorityRanges ?? []) {
          const start = doc.lines.offsetAt(range.start);
          const end = doc.lines.offsetAt(range.end);
          for (const clause of doc.clauses)
            if (clause.span.start < end && clause.span.end > start)
              priority.add(clause.plain.replace(/\s+/g, ' ').trim());
        }
      const tiers = input.tiers ?? ['ambiguity', 'conflicts'];
      return deepTargets(workspace, {
        tiers,
        uris,
        conflictBudget: input.conflictBudget,
        priorityClauses: priority,
        config: await configFor(uris[0]),
      });
    },
    storeModelTierResults(results) {
      if (results.ambiguity) storeAmbiguityResults(workspace, results.ambiguity, results.uris);
      if (results.conflicts) storeModelResults(workspace, results.conflicts, results.uris);
    },
    modelTierQuickFixes(uri, diagnostics, clientCallsModel, token = NONE) {
      const doc = workspace.get(uri);
      return doc && !token.isCancellationRequested ? modelTierQuickFixes(doc, diagnostics, clientCallsModel) : [];
    },
  };
}
