import { existsSync } from 'fs';
import * as path from 'path';
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { isLoopback, settingNumber, settingText, type DeepTier } from '../engine/languageService';
import {
  ModelTierResultsNotification,
  ModelTierTargetsRequest,
  ServerFindAmbiguityCommand,
  type ModelTierResultsParams,
  type ModelTierTargetsParams,
} from '../protocol';
import type { ServerContext } from '../serverContext';
import type { DeepOptions } from '../cli/deepCommand';
import { contributeCodeActions, contributeCommand } from './codeActions';

const TIERS: DeepTier[] = ['ambiguity', 'conflicts'];

interface ModelTierSettings {
  enabled?: boolean;
  tiers?: string[];
  budget?: { ambiguity?: number; conflicts?: number };
}

/**
 * The model tiers over LSP. With the VS Code client (which says so at initialize), the extension
 * host calls the model: the server hands out targets and shows the results it is sent. With any
 * other editor, `clarifier lsp --stdio` calls the model itself, with the key from its own
 * environment, on save (when `clarifier.modelTiers.enabled`) or on the command
 * `clarifier.server.findAmbiguity`. Either way the findings are ordinary diagnostics.
 */
export function register(context: ServerContext): void {
  const { connection, documents, service, logger } = context;
  const clientCallsModel = () => context.initializationOptions?.modelTiersInClient === true;

  connection.onRequest(
    ModelTierTargetsRequest,
    context.guard(
      'clarifier/modelTierTargets',
      { ambiguity: [], conflicts: [] },
      async (params: ModelTierTargetsParams, token) => {
        await context.ready();
        const tiers = (params.tiers ?? TIERS).filter((t) => TIERS.includes(t));
        return service.modelTierTargets(
          {
            uris: [params.uri],
            tiers,
            conflictBudget: params.conflictBudget ?? 50,
            priorityRanges: params.priorityRanges,
          },
          token,
        );
      },
    ),
  );

  connection.onNotification(ModelTierResultsNotification, (params: ModelTierResultsParams) => {
    try {
      service.storeModelTierResults(params);
      context.refreshDiagnostics();
    } catch (error) {
      logger.error('model tier results could not be stored', { error: String(error) });
    }
  });

  // ---- other editors: the server calls the model itself ------------------------------------------
  const running = new Map<string, AbortController>();
  /** A message without buttons: a notification, which no editor has to answer (a request it may not handle). */
  const notify = (type: 1 | 2 | 3, message: string) =>
    void connection.sendNotification('window/showMessage', { type, message }).catch(() => undefined);
  const settingsFor = async (uri: string): Promise<{ tiers: ModelTierSettings; model: Record<string, unknown> }> => {
    if (context.clientCapabilities.workspace?.configuration) {
      const all = ((await connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'clarifier' })
        .catch(() => null)) ?? {}) as { modelTiers?: ModelTierSettings; model?: Record<string, unknown> };
      return { tiers: all.modelTiers ?? {}, model: all.model ?? {} };
    }
    const fromInit = (
      context.initializationOptions?.settings as
        { clarifier?: { modelTiers?: ModelTierSettings; model?: Record<string, unknown> } } | undefined
    )?.clarifier;
    return { tiers: fromInit?.modelTiers ?? {}, model: fromInit?.model ?? {} };
  };

  const runHere = async (uri: string, explicit: boolean): Promise<string> => {
    if (clientCallsModel()) return 'the editor runs the model tiers itself';
    await context.ready();
    if (!service.isSpec(uri)) return `${uri} is not a spec`;
    const { tiers: tierSettings, model } = await settingsFor(uri);
    if (!explicit && tierSettings.enabled !== true) return 'clarifier.modelTiers.enabled is off';
    const apiKey = process.env.OPENAI_API_KEY || undefined;
    const baseUrl = (typeof model.baseUrl === 'string' && model.baseUrl) || process.env.OPENAI_BASE_URL || undefined;
    if (!apiKey && !(baseUrl && isLoopback(baseUrl))) {
      const message =
        "Thought Clarifier: the model tiers need OPENAI_API_KEY in the language server's environment, or a local clarifier.model.baseUrl";
      if (explicit) notify(1, message);
      return message;
    }
    const tiers = (tierSettings.tiers ?? TIERS).filter((t): t is DeepTier => (TIERS as string[]).includes(t));
    const budgets = {
      ambiguity: tierSettings.budget?.ambiguity ?? 30,
      conflicts: tierSettings.budget?.conflicts ?? 50,
    };
    const targets = await service.modelTierTargets({ uris: [uri], tiers, conflictBudget: budgets.conflicts });
    running.get(uri)?.abort();
    const controller = new AbortController();
    running.set(uri, controller);
    const options: DeepOptions = {
      model: {
        baseUrl,
        model: settingText(model.name),
        concurrency: settingNumber(model.concurrency),
        timeoutMs: settingNumber(model.timeoutMs),
        maxTokens: typeof model.maxTokens === 'number' ? model.maxTokens : undefined,
      },
      tiers,
      budgets,
      cache: true,
      apiKey,
      signal: controller.signal,
    };
    try {
      const outcome = await loadDeep().runDeep(targets, options, process.cwd(), logger);
      if ('setupError' in outcome) {
        notify(1, `Thought Clarifier: the model tiers: ${outcome.setupError}`);
        return outcome.setupError;
      }
      const { ambiguity, conflicts } = outcome.run;
      service.storeModelTierResults({ uris: [uri], ambiguity: ambiguity?.results, conflicts: conflicts?.results });
      context.refreshDiagnostics();
      const unreadable = [...(ambiguity?.results ?? []), ...(conflicts?.results ?? [])].filter((r) => r.error).length;
      const summary = `model tiers: ${ambiguity?.results.filter((r) => r.verdict?.ambiguous).length ?? 0} ambiguous clause(s), ${conflicts?.results.filter((r) => r.verdict?.relation === 'contradiction').length ?? 0} contradiction(s), ${outcome.run.requests} request(s), ${unreadable} unreadable answer(s)`;
      logger.info(summary);
      if (unreadable)
        notify(
          2,
          `Thought Clarifier: ${unreadable} model answer(s) could not be read; those clauses have no result (see the log).`,
        );
      return summary;
    } finally {
      if (running.get(uri) === controller) running.delete(uri);
    }
  };

  documents.onDidSave((event) => {
    void runHere(event.document.uri, false).catch((error) =>
      logger.error('model tiers failed', { error: error instanceof Error ? error.stack : String(error) }),
    );
  });

  contributeCommand(context, ServerFindAmbiguityCommand.id, async (args) => {
    const uri = typeof args[0] === 'string' ? args[0] : (args[0] as { uri?: string } | undefined)?.uri;
    if (!uri) return `${ServerFindAmbiguityCommand.id} needs the document's URI`;
    return runHere(uri, true);
  });

  // ---- quick fixes of ambiguity-model findings ----------------------------------------------------
  contributeCodeActions(
    context,
    [CodeActionKind.QuickFix],
    async (params: CodeActionParams, token): Promise<CodeAction[]> => {
      const only = params.context.only;
      if (
        only &&
        !only.some((kind) => CodeActionKind.QuickFix === kind || CodeActionKind.QuickFix.startsWith(kind + '.'))
      )
        return [];
      return service.modelTierQuickFixes(
        params.textDocument.uri,
        params.context.diagnostics,
        clientCallsModel(),
        token,
      );
    },
  );
}

/**
 * dist/deep.js holds the model client; it is loaded by path on first use, so that the server bundle
 * stays free of the SDK. Run from source (tests), the module is loaded from its source file.
 */
function loadDeep(): typeof import('../cli/deepCommand') {
  const bundled = path.join(__dirname, 'deep.js');
  return require(existsSync(bundled) ? bundled : path.join(__dirname, '..', 'cli', 'deepCommand'));
}
