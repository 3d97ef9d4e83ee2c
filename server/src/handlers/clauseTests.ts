import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { ClauseTestPlanRequest, ClauseTestResultsNotification, WorkspaceClauseTestsRequest, type ClauseTestPlan, type ClauseTestTarget, type WorkspaceTestFile } from '../protocol';
import type { ServerContext } from '../serverContext';

export function register(context: ServerContext): void {
  context.capabilities.codeLensProvider = { resolveProvider: false };
  const { connection, service } = context;

  connection.onCodeLens(
    context.guard('textDocument/codeLens', [] as CodeLens[], async (params, token) => {
      await context.ready();
      return service.codeLenses(params.textDocument.uri, token);
    }),
  );

  connection.onRequest(
    ClauseTestPlanRequest,
    context.guard('clarifier/clauseTestPlan', { units: [] } as ClauseTestPlan, async (params: ClauseTestTarget, token): Promise<ClauseTestPlan> => {
      await context.ready();
      return service.clauseTestPlan(params.uri, params.unitIds, token);
    }),
  );

  // the Test Explorer lists every spec with examples, not only the open ones
  connection.onRequest(
    WorkspaceClauseTestsRequest,
    context.guard('clarifier/workspaceClauseTests', { files: [] as WorkspaceTestFile[] }, async (_params, token) => {
      await context.ready();
      return { files: service.workspaceClauseTests(token) };
    }),
  );

  connection.onNotification(ClauseTestResultsNotification, (params) => {
    try {
      service.recordClauseTestResults(params.results, !!params.replace);
      if (context.clientCapabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest(CodeLensRefreshRequest.type);
    } catch (error) {
      context.logger.error('clause test results failed', { error: String(error) });
    }
  });
}
