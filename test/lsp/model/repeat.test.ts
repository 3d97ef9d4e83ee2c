import * as assert from 'assert';
import type { CodeLens } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { runClauseTests, type RunOptions } from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { ClauseTestPlanRequest, ClauseTestResultsNotification } from '../../../server/src/protocol';
import { startServer } from '../../lsp/harness';
import { useMockModelAndFixture } from '../../support/clauseTestFixture';
import { sometimesWrong } from '../../support/model/repeat';

describe('repeats and thresholds (--repeat, --threshold)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({}, (server) => {
    server.options = { respond: sometimesWrong() };
  });
  const options = (extra: Partial<RunOptions> = {}): RunOptions => {
    const settings = resolveModelSettings({
      baseUrl: env.server.url,
      model: 'cand',
      graderModel: 'judge',
      temperature: 0.7,
      retries: 0,
    });
    return { client: new ModelClient({ concurrency: 1 }), settings, ...extra };
  };

  it('over LSP, the result lens shows the samples, the pass rate and the flaky count', async () => {
    const lsp = await startServer(env.fixture.dir, {}, null, {
      server: 'source',
      handle: (client) => client.onRequest('workspace/configuration', () => [null]),
    });
    try {
      const uri = URI.file(env.fixture.specPath).toString();
      const plan = await lsp.connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['lie1'] });
      const [result] = await runClauseTests(plan.units, options({ repeat: 3, threshold: 0.6 }));
      await lsp.connection.sendNotification(ClauseTestResultsNotification, { results: [result] });
      let titles: string[] = [];
      for (let i = 0; i < 100 && !titles.some((t) => /samples/.test(t)); i++) {
        titles = (await lsp.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map(
          (l) => l.command!.title,
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(
        titles.includes('✓ 2/2 passed · 5/6 samples (3 each, pass at 60%) · ≈ 1 flaky · just now'),
        titles.join('\n'),
      );
    } finally {
      await lsp.stop();
    }
  });
});
