/**
 * The wire protocol between the extension (client) and the language server beyond LSP, in one place:
 * each message is a typed RequestType or NotificationType, each command that crosses the connection a
 * typed CommandType, beside the data they carry. Both sides import this module and nothing else of
 * the other side, so a changed parameter is a compile error on both ends, not a silent mismatch.
 *
 * Model calls (clause tests, Clarify) run in the extension host, never in the server: the API key
 * lives in SecretStorage and must never cross the LSP connection, where a verbose trace would log it.
 * The server plans and shows; the client calls the model and reports back.
 */
import {
  NotificationType,
  RequestType,
  type Command,
  type DocumentSymbol,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import type { ClarifyTarget } from './engine/clarify';
import type { PrecedentInput } from './engine/clauseTests/precedent';
import type { ClauseTestUnit, UnitResult } from './engine/clauseTests/types';
import type { ModelPairResult } from './engine/conflicts/modelTier';
import type { AmbiguityResult, ClarifyAnswer } from './engine/deep/ambiguity';
import type { DeepTargets, DeepTier } from './engine/deep/targets';
import type { SpecEntry } from './engine/languageFeatures/specList';

/**
 * A command with a typed argument list. The server puts it into lenses and code actions; the side
 * named in its comment registers it. The id is what VS Code and package.json know it by.
 */
export interface CommandType<Args extends unknown[]> {
  readonly id: string;
  /** Never set: carries the argument types. */
  readonly _args?: Args;
}

function commandType<Args extends unknown[]>(id: string): CommandType<Args> {
  return { id };
}

/** An LSP Command for `type` with its arguments checked against the type. */
export function commandOf<Args extends unknown[]>(type: CommandType<Args>, title: string, ...args: Args): Command {
  return { title, command: type.id, arguments: args };
}

// ---- document status ------------------------------------------------------------------------------

export interface DocumentParams {
  uri: string;
}

/** What the status bar shows for the active Markdown file. */
export interface StatusResult {
  isSpec: boolean;
  /** Why the file is (or is not) a spec, one sentence for the status item, e.g. "A spec by its name and place: an AGENTS.md agent instruction file." */
  reason?: string;
  /** What decided: config, marked ("Treat as spec"), name (and place), content, linked (from a spec), excluded, or none. */
  recognizedBy?: 'config' | 'marked' | 'name' | 'content' | 'linked' | 'excluded' | 'none';
  /** The kind of spec when known: agent-instructions, policy, product-spec, standard. */
  kind?: string;
  sections: number;
  clauses: number;
  examples: number;
  findings: number;
}
export const StatusRequest = new RequestType<DocumentParams, StatusResult, void>('clarifier/status');

/** "Treat this file as a spec": the server checks it as a spec from now on. */
export const MarkAsSpecNotification = new NotificationType<DocumentParams>('clarifier/markAsSpec');

// ---- the workspace's specs (status item, Specs view) ----------------------------------------------

/** One spec of the workspace: what the Specs view lists. */
export interface SpecSummary extends SpecEntry {
  /** The findings the editor shows for the file (the same count as its diagnostics). */
  findings: number;
}
export interface SpecListResult {
  specs: SpecSummary[];
  /** Markdown files indexed, specs or not: "no spec among 12 Markdown files" reads differently from an empty folder. */
  markdownFiles: number;
}
/** Every spec of the workspace, after the initial scan. */
export const SpecListRequest = new RequestType<Record<string, never>, SpecListResult, void>('clarifier/specs');

/**
 * A spec's structure (sections with their authority, clauses, examples) for the Specs view. Editors
 * with their own Markdown outline (VS Code) show it there instead of as a second document outline.
 */
export const SpecOutlineRequest = new RequestType<DocumentParams, DocumentSymbol[], void>('clarifier/specOutline');

// ---- code actions -----------------------------------------------------------------------------------

/** Server command (workspace/executeCommand): moves the cursor after a fix, e.g. into a new definition stub. */
export const RevealPositionCommand = commandType<[uri: string, position: Position]>('clarifier.revealPosition');

// ---- clause tests -----------------------------------------------------------------------------------

/** Arguments of the clause-test lens commands. No unitIds: every unit of the file. */
export interface ClauseTestTarget {
  uri: string;
  unitIds?: string[];
}

/** Client commands behind the lenses. Optional argument: from the command palette they act on the active editor. */
export const RunClauseTestsCommand = commandType<[target?: ClauseTestTarget]>('clarifier.runClauseTests');
export const CalibrateClauseCommand = commandType<[target?: ClauseTestTarget]>('clarifier.calibrateClause');
export const ShowClauseTestReportCommand = commandType<[target?: ClauseTestTarget]>('clarifier.showClauseTestReport');

export interface ClauseTestPlan {
  units: ClauseTestUnit[];
  /** The file's text without examples, comments and markers: what a run with context `spec` sends the model. */
  specText?: string;
}
/** Which examples belong to which clause or section of a file: the plan the client runs. */
export const ClauseTestPlanRequest = new RequestType<ClauseTestTarget, ClauseTestPlan, void>(
  'clarifier/clauseTestPlan',
);

/** A spec of the workspace with examples: what the Test Explorer lists before the file is opened. */
export interface WorkspaceTestFile {
  uri: string;
  /** Clauses and sections with examples. */
  units: number;
  /** Examples a run runs (skipped ones aside). */
  examples: number;
}
/** Every spec of the workspace with examples, open or not, in path order. */
export const WorkspaceClauseTestsRequest = new RequestType<Record<string, never>, { files: WorkspaceTestFile[] }, void>(
  'clarifier/workspaceClauseTests',
);

export interface ClauseTestResultsParams {
  results: UnitResult[];
  /** Replace everything the server holds (after a restart), instead of adding. */
  replace?: boolean;
}
/** The client reports finished runs; the server turns them into result lenses. */
export const ClauseTestResultsNotification = new NotificationType<ClauseTestResultsParams>(
  'clarifier/clauseTestResults',
);

/** Which result to record as a precedent: a unit's (the user picks the example), or one example's. */
export interface PrecedentSource {
  uri: string;
  unitId: string;
  exampleKey?: string;
}
/**
 * Client command behind "Record as precedent…" (result lens, hover, Test Explorer): the user labels
 * a stored answer GOOD or BAD, with an optional reason, and the server command below writes it.
 */
export const RecordPrecedentFromResultCommand = commandType<[source?: PrecedentSource]>('clarifier.recordPrecedent');

/**
 * The `data` of the server's code lenses: LSP commands have no tooltip, so a lens sends its detail here
 * and the VS Code client shows it as the command's tooltip. Other editors show the short title alone.
 */
export interface CodeLensData {
  tooltip: string;
}

/**
 * Server command (workspace/executeCommand), for the VS Code client and other editors alike: writes
 * the answer as a GOOD or BAD example of the clause and asks the editor to apply the edit.
 */
export const RecordPrecedentCommand = commandType<[input: PrecedentInput]>('clarifier.server.recordPrecedent');
export interface RecordPrecedentResult {
  applied: boolean;
  targetUri?: string;
  placement?: 'example-file' | 'new-example-file' | 'inline';
  markerId?: string;
  /** Why nothing was recorded, and what to do. */
  message?: string;
}

// ---- Clarify this clause --------------------------------------------------------------------------

/** Argument of the Clarify command: the clause at `position` of `uri`. */
export interface ClarifyClauseArgs {
  uri: string;
  position: Position;
  /** A question already asked (a model finding's): Clarify opens with it instead of asking the model. */
  question?: { question: string; options: ClarifyAnswer[]; recommended: number };
}
/** Client command (it needs the key and the UI), offered by the server as a refactor code action. */
export const ClarifyClauseCommand = commandType<[args?: ClarifyClauseArgs]>('clarifier.clarifyClause');

/** The clause at a position and its section context, or null when there is no normative clause there. */
export type ClarifyTargetResult = ClarifyTarget | null;
export const ClarifyTargetRequest = new RequestType<ClarifyClauseArgs, ClarifyTargetResult, void>(
  'clarifier/clarifyTarget',
);

/**
 * Server command for editors other than VS Code: Clarify run by `clarifier lsp --stdio` with the
 * key from its own environment. Without `answers` it asks each question with window/showMessageRequest
 * (the options as buttons) and then whether to apply the rewrite; with them it asks nothing.
 */
export const ServerClarifyCommand = commandType<[args: ServerClarifyArgs]>('clarifier.server.clarify');
export interface ServerClarifyArgs {
  uri: string;
  position: Position;
  /** Per question the picked option's index (from 0), null to skip; default: ask the user. */
  answers?: (number | null)[];
  /** What to do with the result; default: ask the user (rewrite, add the sentences, or discard). */
  apply?: 'rewrite' | 'append' | 'none';
}
export interface ServerClarifyResult {
  applied: boolean;
  clause?: string;
  questions?: { question: string; options: ClarifyAnswer[]; recommended: number }[];
  /** The clause as rewritten with the picked answers. */
  rewrite?: string;
  /** The one edit Clarify made (or would make, with apply "none"). */
  edit?: TextEdit;
  /** Why nothing was applied, and what to do. */
  message?: string;
}

/** Sent by the client at start and whenever trust, the stored key or `clarifier.model.*` change. */
export interface ModelAccessParams {
  /** The workspace is trusted: no model call otherwise. */
  trusted: boolean;
  /** An API key is in SecretStorage or OPENAI_API_KEY. The key itself never travels. */
  hasKey: boolean;
}
export const ModelAccessNotification = new NotificationType<ModelAccessParams>('clarifier/modelAccess');

// ---- the model tiers (ambiguity, conflicts) ------------------------------------------------------

export type ModelTierTier = DeepTier;

/** The clauses (and clause pairs) of one file the model tiers would ask about, best first. */
export interface ModelTierTargetsParams {
  uri: string;
  tiers?: ModelTierTier[];
  /** Most clause pairs for the conflict tier. */
  conflictBudget?: number;
  /** Ranges of clauses asked about first: those whose examples fail or whose graders disagree. */
  priorityRanges?: Range[];
}
export const ModelTierTargetsRequest = new RequestType<ModelTierTargetsParams, DeepTargets, void>(
  'clarifier/modelTierTargets',
);

/** What the client's model run found; replaces the server's earlier results about `uris`. */
export interface ModelTierResultsParams {
  uris: string[];
  ambiguity?: AmbiguityResult[];
  conflicts?: ModelPairResult[];
}
export const ModelTierResultsNotification = new NotificationType<ModelTierResultsParams>('clarifier/modelTierResults');

/** Client command: "Clarifier: Find Ambiguity with the Model" on the active editor. */
export const FindAmbiguityCommand = commandType<[uri?: string]>('clarifier.findAmbiguity');
/** Client command: "Clarifier: Calibrate the Ambiguity Model Tier". */
export const CalibrateAmbiguityCommand = commandType<[]>('clarifier.calibrateAmbiguityTier');
/**
 * Server command for editors other than VS Code: `clarifier lsp --stdio` runs the model tiers on
 * the document with the key from its own environment. Answers with a one-line summary.
 */
export const ServerFindAmbiguityCommand = commandType<[uri: string]>('clarifier.server.findAmbiguity');

/** What the VS Code client tells the server at initialize. */
export interface ClarifierInitializationOptions {
  trace?: string;
  /** The client calls the model for the model tiers itself (the key stays in the extension host). */
  modelTiersInClient?: boolean;
  /**
   * The editor has its own Markdown outline (VS Code's Markdown extension): the server offers no
   * document symbols, so a spec shows one outline, not two side by side; the spec's structure is in
   * the Specs view (SpecOutlineRequest).
   */
  editorHasMarkdownOutline?: boolean;
}
