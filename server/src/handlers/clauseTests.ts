import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import {
  ClauseTestPlanRequest,
  ClauseTestResultsNotification,
  WorkspaceClauseTestsRequest,
  type ClauseTestPlan,
  type ClauseTestTarget,
  type WorkspaceTestFile,
} from '../protocol';
import type { ServerContext } from '../serverContext';

/** How often the relative times in result lenses ("2 min ago") are redrawn: their coarsest step is a minute. */
const LABEL_REFRESH_MS = 60_000;

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
    context.guard(
      'clarifier/clauseTestPlan',
      { units: [] } as ClauseTestPlan,
      async (params: ClauseTestTarget, token): Promise<ClauseTestPlan> => {
        await context.ready();
        return service.clauseTestPlan(params.uri, params.unitIds, token);
      },
    ),
  );

  // the Test Explorer lists every spec with examples, not only the open ones
  connection.onRequest(
    WorkspaceClauseTestsRequest,
    context.guard('clarifier/workspaceClauseTests', { files: [] as WorkspaceTestFile[] }, async (_params, token) => {
      await context.ready();
      return { files: service.workspaceClauseTests(token) };
    }),
  );

  const canRefresh = () => !!context.clientCapabilities.workspace?.codeLens?.refreshSupport;
  const refresh = () => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  // "2 min ago" ages: every lens is asked for again at once each minute, so they stay one clock
  let ticking: ReturnType<typeof setInterval> | undefined;
  const keepLabelsCurrent = (held: number) => {
    if (held && canRefresh() && !ticking) {
      ticking = setInterval(refresh, LABEL_REFRESH_MS);
      // never what keeps the server process alive after its connection closes
      ticking.unref?.();
    } else if (!held && ticking) {
      clearInterval(ticking);
      ticking = undefined;
    }
  };

  connection.onNotification(ClauseTestResultsNotification, (params) => {
    try {
      const held = service.recordClauseTestResults(params.results, !!params.replace);
      // the graders-disagree rule reads the results: the clauses they cover get new diagnostics
      context.refreshDiagnostics();
      if (canRefresh()) refresh();
      keepLabelsCurrent(held);
    } catch (error) {
      context.logger.error('clause test results failed', { error: String(error) });
    }
  });
}
