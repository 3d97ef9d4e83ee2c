import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { collectUnits } from '../engine/clauseTests/collect';
import { ClauseTestResults, clauseTestLenses } from '../engine/languageFeatures/clauseTestLenses';
import { ClauseTestPlanRequest, ClauseTestResultsNotification, WorkspaceClauseTestsRequest, type ClauseTestPlan, type ClauseTestTarget, type WorkspaceTestFile } from '../protocol';
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
      return { units: params.unitIds ? units.filter((unit) => params.unitIds!.includes(unit.id)) : units };
    }),
  );

  // the Test Explorer lists every spec with examples, not only the open ones
  connection.onRequest(
    WorkspaceClauseTestsRequest,
    context.guard('clarifier/workspaceClauseTests', { files: [] as WorkspaceTestFile[] }, async () => {
      await context.ready();
      const files: WorkspaceTestFile[] = [];
      for (const doc of workspace.specDocuments().sort((a, b) => a.uri.localeCompare(b.uri))) {
        const units = collectUnits(doc, workspace).filter((unit) => unit.examples.length);
        if (units.length) files.push({ uri: doc.uri, units: units.length, examples: units.reduce((n, unit) => n + unit.examples.filter((e) => !e.skip).length, 0) });
      }
      return { files };
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
