import * as vscode from 'vscode';
import { ModelAccessNotification } from '../../server/src/protocol';
import {
  checkRunOptions,
  isSpecContextSetting,
  ModelClient,
  ModelError,
  resolveModelSettings,
  RunOptionsError,
  settingNumber,
  settingText,
  SettingsError,
  type ModelSettings,
  type RunOptions,
} from '../../server/src/engine/modelFeatures';
import type { ClarifierContext } from './context';
import { errorActions } from './outcomes';

/** SecretStorage key of the API key. */
const SECRET_KEY = 'clarifier.openaiApiKey';

/**
 * Everything about reaching a model from the extension host: the API key (SecretStorage, else
 * OPENAI_API_KEY; this is the only place that reads it), workspace trust, the `clarifier.model.*`
 * settings, and the errors that tell the user what to fix. The server learns only two booleans.
 */
export class ModelAccess {
  constructor(private readonly context: ClarifierContext) {
    context.push(
      context.onDidStartServer(() => void this.tellServer()),
      context.secrets.onDidChange((event) => {
        if (event.key === SECRET_KEY) void this.tellServer();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.tellServer()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('clarifier.model')) void this.tellServer();
      }),
    );
  }

  /** The key, only in a trusted workspace: an untrusted one never gets it read, not even to say whether there is one. */
  private async apiKey(): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    return (await this.context.secrets.get(SECRET_KEY)) || process.env.OPENAI_API_KEY || undefined;
  }

  /** Whether a model call could work, without the key: the server offers Clarify only then. */
  private async tellServer(): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    await this.context.sendNotification(ModelAccessNotification, {
      trusted,
      hasKey: trusted && !!(await this.apiKey()),
    });
  }

  /** A model client with the stored key; the key stays inside it. */
  async client(concurrency: number): Promise<ModelClient> {
    return new ModelClient({ apiKey: await this.apiKey(), concurrency, logger: this.context.logger });
  }

  /** True in a trusted workspace; otherwise says why nothing happens, with a way to trust it. */
  trusted(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        `Thought Clarifier makes no model calls in an untrusted workspace: trust this workspace to ${what}.`,
        'Manage Workspace Trust',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return false;
  }

  /** The model settings for a file, or undefined after showing what is wrong with them. */
  settingsFor(scope: vscode.Uri): ModelSettings | undefined {
    const config = vscode.workspace.getConfiguration('clarifier', scope);
    const optional = <T>(key: string) => config.get<T | null>(key) ?? undefined;
    try {
      return resolveModelSettings({
        baseUrl: settingText(config.get('model.baseUrl')),
        model: settingText(config.get('model.name')),
        // empty (or null, written before) means the same as the model under test
        graderModel: settingText(config.get('grader.name')),
        graderModels: optional<string[]>('grader.models'),
        graderBaseUrl: settingText(config.get('grader.baseUrl')),
        temperature: optional<number>('model.temperature'),
        maxTokens: optional<number>('model.maxTokens'),
        // 0 (or null, written before) means automatic: local endpoints get their own defaults
        concurrency: settingNumber(config.get('model.concurrency')),
        timeoutMs: settingNumber(config.get('model.timeoutMs')),
        mapDeveloperToSystem: optional<boolean>('model.mapDeveloperToSystem'),
        maxAnswerBytes: optional<number>('model.maxAnswerBytes'),
      });
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      void vscode.window.showErrorMessage(`Thought Clarifier: ${error.message}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'clarifier.model');
      });
      return undefined;
    }
  }

  /** `clarifier.clauseTests.*` for a file: context, samples and threshold; undefined after showing what is wrong. */
  runSettingsFor(scope: vscode.Uri): Pick<RunOptions, 'context' | 'repeat' | 'threshold'> | undefined {
    const config = vscode.workspace.getConfiguration('clarifier.clauseTests', scope);
    const context = config.get<string>('context') ?? 'auto';
    const repeat = config.get<number>('repeat') ?? 1;
    const threshold = config.get<number>('threshold') ?? 1;
    try {
      if (!isSpecContextSetting(context))
        throw new RunOptionsError(`clauseTests.context must be auto, none, clause, section or spec, not "${context}"`);
      checkRunOptions({ repeat, threshold });
      return { context, repeat, threshold };
    } catch (error) {
      if (!(error instanceof RunOptionsError)) throw error;
      void vscode.window
        .showErrorMessage(`Thought Clarifier: clarifier.clauseTests: ${error.message}`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'clarifier.clauseTests');
        });
      return undefined;
    }
  }

  /** The error with the action that fixes it: the key, or the one setting the message names. */
  showModelError(error: ModelError): void {
    const actions = errorActions(error);
    void vscode.window
      .showErrorMessage(`Thought Clarifier: ${error.message}`, ...actions.map((a) => a.title))
      .then((choice) => {
        const action = actions.find((a) => a.title === choice);
        if (action) void vscode.commands.executeCommand(...action.command);
      });
  }

  /** "Clarifier: Set API Key": stored in SecretStorage; an empty answer removes it. */
  async askForKey(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: 'Clarifier: API key for the model endpoint',
      prompt:
        'Stored in VS Code SecretStorage, never in settings. Leave empty to remove the stored key (OPENAI_API_KEY is used then).',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    if (value.trim()) await this.context.secrets.store(SECRET_KEY, value.trim());
    else await this.context.secrets.delete(SECRET_KEY);
    void vscode.window.showInformationMessage(
      value.trim() ? 'Clarifier: API key stored.' : 'Clarifier: stored API key removed.',
    );
  }
}
