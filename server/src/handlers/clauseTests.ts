import { CodeLensRefreshRequest, type CodeLens } from 'vscode-languageserver/node';
import { collectUnits } from '../engine/clauseTests/collect';
import { ClauseTestResults, clauseTestLenses } from '../engine/languageFeatures/clauseTestLenses';
import { ClauseTestPlanRequest, ClauseTestResultsNotification, type ClauseTestPlan, type ClauseTestTarget } from '../protocol';
import type { ServerContext } from '../serverContext';

/** How often the relative times in result lenses ("2 min ago") are redrawn: their coarsest step is a minute. */
const LABEL_REFRESH_MS = 60_000;

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

  const canRefresh = () => !!context.clientCapabilities.workspace?.codeLens?.refreshSupport;
  const refresh = () => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  // "2 min ago" ages: every lens is asked for again at once each minute, so they stay one clock
  let ticking: ReturnType<typeof setInterval> | undefined;
  const keepLabelsCurrent = () => {
    if (results.size && canRefresh() && !ticking) {
      ticking = setInterval(refresh, LABEL_REFRESH_MS);
      // never what keeps the server process alive after its connection closes
      ticking.unref?.();
    } else if (!results.size && ticking) {
      clearInterval(ticking);
      ticking = undefined;
    }
  };

  connection.onNotification(ClauseTestResultsNotification, (params) => {
    try {
      if (params.replace) results.clear();
      results.add(params.results);
      if (canRefresh()) refresh();
      keepLabelsCurrent();
    } catch (error) {
      context.logger.error('clause test results failed', { error: String(error) });
    }
  });
}
