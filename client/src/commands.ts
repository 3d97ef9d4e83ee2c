import * as vscode from 'vscode';
import {
  CalibrateAmbiguityCommand,
  CalibrateClauseCommand,
  ClarifyClauseCommand,
  FindAmbiguityCommand,
  MarkAsSpecNotification,
  RecordPrecedentFromResultCommand,
  RunClauseTestsCommand,
  ShowClauseTestReportCommand,
} from '../../server/src/protocol';
import type { Clarifier } from './clarify';
import type { ClauseTestRunner } from './clauseTestRunner';
import type { ClarifierContext } from './context';
import type { ModelAccess } from './modelAccess';
import type { ModelTiers } from './modelTiers';
import type { PrecedentRecorder } from './precedents';
import type { ClauseTestReport } from './report';
import type { ClauseTestResultStore } from './results';
import type { SpecStatus } from './status';

/** Commands only the extension knows (the server's lenses and code actions use the typed ones of the protocol). */
export const ShowOutputCommand = 'clarifier.showOutput';
export const TreatAsSpecCommand = 'clarifier.treatAsSpec';
export const RestartServerCommand = 'clarifier.restartServer';
export const SetApiKeyCommand = 'clarifier.setApiKey';
export const ClearClauseTestResultsCommand = 'clarifier.clearClauseTestResults';
/** After an applied Clarify: the case behind an answer as a precedent (the notification's buttons pass the label). */
export const RecordClarifiedCaseCommand = 'clarifier.recordClarifiedCase';

export interface CommandTargets {
  status: SpecStatus;
  access: ModelAccess;
  runner: ClauseTestRunner;
  store: ClauseTestResultStore;
  /** Starts the server when it is not running (a failed start), restarts it otherwise. */
  startOrRestart(): Promise<void>;
  modelTiers: ModelTiers;
  report: ClauseTestReport;
  clarifier: Clarifier;
  precedents: PrecedentRecorder;
}

/** Every command of package.json, registered once per activation: a server restart keeps them. */
export function registerCommands(
  context: ClarifierContext,
  { status, access, runner, startOrRestart, modelTiers, report, clarifier, precedents }: CommandTargets,
): void {
  context.registerCommand(ShowOutputCommand, () => context.output.show());
  context.registerCommand(TreatAsSpecCommand, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !context.hasClient) return;
    await context.sendNotification(MarkAsSpecNotification, { uri: editor.document.uri.toString() });
    await rememberAsSpec(editor.document.uri);
    await status.refresh();
  });
  context.registerCommand(RestartServerCommand, () => startOrRestart());
  context.registerCommand(SetApiKeyCommand, () => access.askForKey());
  context.registerCommand(RunClauseTestsCommand, (target) => runner.run(target, false));
  context.registerCommand(CalibrateClauseCommand, (target) => runner.run(target, true));
  context.registerCommand(ShowClauseTestReportCommand, (target) => report.show(target));
  context.registerCommand(ClearClauseTestResultsCommand, () => runner.clear());
  context.registerCommand(RecordPrecedentFromResultCommand, (source) => precedents.record(source));
  context.registerCommand(ClarifyClauseCommand, (args) => clarifier.clarify(args));
  context.registerCommand(RecordClarifiedCaseCommand, (label?: 'GOOD' | 'BAD') =>
    clarifier.recordClarifiedCase(label === 'GOOD' || label === 'BAD' ? label : undefined),
  );
  context.registerCommand(FindAmbiguityCommand, (uri) => modelTiers.find(uri ? vscode.Uri.parse(uri) : undefined));
  context.registerCommand(CalibrateAmbiguityCommand, () => modelTiers.calibrate());
}

/** Keeps "treat as spec" across reloads: the file joins the folder's `clarifier.include` globs. */
async function rememberAsSpec(uri: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return; // an untitled or outside file: the server remembers it for this session only
  const relative = vscode.workspace.asRelativePath(uri, false);
  const settings = vscode.workspace.getConfiguration('clarifier', folder.uri);
  const include = settings.get<string[]>('include', []);
  if (include.includes(relative)) return;
  try {
    await settings.update('include', [...include, relative], vscode.ConfigurationTarget.WorkspaceFolder);
  } catch (error) {
    void vscode.window.showWarningMessage(
      `Thought Clarifier checks ${relative} as a spec for this session, but could not save that in the folder's settings: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
