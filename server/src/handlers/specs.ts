import { specEntries, documentSymbols } from '../engine/languageFeatures';
import { SpecListRequest, SpecOutlineRequest, type SpecListResult, type SpecSummary } from '../protocol';
import type { ServerContext } from '../serverContext';

/**
 * The workspace's specs for the status item and the Specs view, and each spec's structure. Both
 * wait for the initial scan: a first answer that lists half the folder would mislead.
 */
export function register(context: ServerContext): void {
  const { connection, workspace, guard } = context;

  connection.onRequest(SpecListRequest, (params, token) =>
    guard<typeof params, SpecListResult>('clarifier/specs', { specs: [], markdownFiles: 0 }, async () => {
      await context.ready();
      const specs: SpecSummary[] = [];
      for (const entry of specEntries(workspace, () => token.isCancellationRequested)) {
        if (token.isCancellationRequested) break;
        // the same findings the editor shows for the file, so the view and the Problems panel agree
        specs.push({ ...entry, findings: (await context.diagnose(entry.uri)).length });
      }
      return { specs, markdownFiles: workspace.allDocuments().length };
    })(params),
  );

  connection.onRequest(
    SpecOutlineRequest,
    guard('clarifier/specOutline', [], async (params) => {
      await context.ready();
      const doc = workspace.get(params.uri);
      return doc && workspace.isSpec(doc.uri) ? documentSymbols(doc) : [];
    }),
  );
}
