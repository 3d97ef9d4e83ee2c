import { SpecListRequest, SpecOutlineRequest, type SpecListResult, type SpecSummary } from '../protocol';
import type { ServerContext } from '../serverContext';

/**
 * The workspace's specs for the status item and the Specs view, and each spec's structure. Both
 * wait for the initial scan: a first answer that lists half the folder would mislead.
 */
export function register(context: ServerContext): void {
  const { connection, service, guard } = context;

  connection.onRequest(
    SpecListRequest,
    guard<Record<string, never>, SpecListResult>(
      'clarifier/specs',
      { specs: [], markdownFiles: 0 },
      async (_params, token) => {
        await context.ready();
        const specs: SpecSummary[] = [];
        for (const entry of service.specEntries(token)) {
          if (token.isCancellationRequested) break;
          // the same findings the editor shows for the file, so the view and the Problems panel agree
          specs.push({ ...entry, findings: (await context.diagnose(entry.uri, token)).length });
        }
        return { specs, markdownFiles: service.indexedUris().length };
      },
    ),
  );

  connection.onRequest(
    SpecOutlineRequest,
    guard('clarifier/specOutline', [], async (params, token) => {
      await context.ready();
      return service.documentSymbols(params.uri, token);
    }),
  );
}
