import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { collectUnits } from '../engine/clauseTests/collect';
import { specContextText } from '../engine/clauseTests/context';
import { storeClauseTestResults, storedClauseTestResults } from '../engine/deep/store';
import { clauseTestLenses } from '../engine/languageFeatures/clauseTestLenses';
import { ClauseTestPlanRequest, ClauseTestResultsNotification, type ClauseTestPlan, type ClauseTestTarget } from '../protocol';
import type { ServerContext } from '../serverContext';

export function register(context: ServerContext): void {
  context.capabilities.codeLensProvider = { resolveProvider: false };
  const { connection, workspace } = context;

  connection.onCodeLens(
    context.guard('textDocument/codeLens', [] as CodeLens[], async (params) => {
      await context.ready();
      return clauseTestLenses(params.textDocument.uri, workspace, storedClauseTestResults(workspace));
    }),
  );

  connection.onRequest(
    ClauseTestPlanRequest,
    context.guard('clarifier/clauseTestPlan', { units: [] } as ClauseTestPlan, async (params: ClauseTestTarget): Promise<ClauseTestPlan> => {
      await context.ready();
      const doc = workspace.get(params.uri);
      if (!doc) return { units: [] };
      const units = collectUnits(doc, workspace);
      const planned = params.unitIds ? units.filter((unit) => params.unitIds!.includes(unit.id)) : units;
      return { units: planned, specText: planned.length ? specContextText(doc) : undefined };
    }),
  );

  connection.onNotification(ClauseTestResultsNotification, (params) => {
    try {
      // kept beside the workspace: the lenses and the graders-disagree rule read them
      storeClauseTestResults(workspace, params.results, params.replace);
      context.refreshDiagnostics();
      if (context.clientCapabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
    } catch (error) {
      context.logger.error('clause test results failed', { error: String(error) });
    }
  });
}
