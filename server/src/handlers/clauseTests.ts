import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { collectUnits } from '../engine/clauseTests/collect';
import { specContextText } from '../engine/clauseTests/context';
import { ClauseTestResults, clauseTestLenses } from '../engine/languageFeatures/clauseTestLenses';
import { ClauseTestPlanRequest, ClauseTestResultsNotification, type ClauseTestPlan, type ClauseTestTarget } from '../protocol';
import type { ServerContext } from '../serverContext';

export function register(context: ServerContext): void {
  const results = new ClauseTestResults();
  context.capabilities.codeLensProvider = { resolveProvider: false };
  const { connection, workspace } = context;

  connection.onCodeLens(
    context.guard('textDocument/codeLens', [] as CodeLens[], async (params) => {
      await context.ready();
      return clauseTestLenses(params.textDocument.uri, workspace, results);
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
      if (params.replace) results.clear();
      results.add(params.results);
      if (context.clientCapabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
    } catch (error) {
      context.logger.error('clause test results failed', { error: String(error) });
    }
  });
}
