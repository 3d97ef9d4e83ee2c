import * as assert from 'assert';
import { readFileSync } from 'fs';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { runClauseTests, type RunOptions } from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import {
  ClauseTestPlanRequest,
  ClauseTestResultsNotification,
  ModelAccessNotification,
} from '../../../server/src/protocol';
import { startServer } from '../../lsp/harness';
import { SPEC, useMockModelAndFixture } from '../../support/clauseTestFixture';
import { panel } from '../../support/model/graders';

describe('several graders (--grader-model a,b,c, clarifier.grader.models)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({ respond: panel });
  const options = (graderModel: string, extra: Partial<RunOptions> = {}): RunOptions => {
    const settings = resolveModelSettings({ baseUrl: env.server.url, model: 'cand', graderModel, retries: 0 });
    return { client: new ModelClient({ concurrency: 1 }), settings, ...extra };
  };

  it('over LSP: a graders-disagree warning on the clause, with the rationales and the Clarify action, gone once the clause is edited', async () => {
    const diagnostics = async (uri: string) =>
      (
        await lsp.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })
      ).items.filter((d) => d.code === 'graders-disagree');
    const lsp = await startServer(
      env.fixture.dir,
      { textDocument: { diagnostic: {} }, workspace: { configuration: true } },
      null,
      {
        server: 'source',
        handle: (client) => {
          client.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
          client.onRequest('workspace/diagnostic/refresh', () => null);
        },
      },
    );
    try {
      const uri = URI.file(env.fixture.specPath).toString();
      await lsp.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'markdown', version: 1, text: readFileSync(env.fixture.specPath, 'utf8') },
      });
      await lsp.connection.sendNotification(ModelAccessNotification, { trusted: true, hasKey: true });
      assert.deepStrictEqual(await diagnostics(uri), [], 'no run, no finding');
      const plan = await lsp.connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['lie1'] });
      const results = await runClauseTests(plan.units, options('judge-lenient,judge-strict,judge-strict-2'));
      await lsp.connection.sendNotification(ClauseTestResultsNotification, { results });
      let found: Diagnostic[] = [];
      for (let i = 0; i < 100 && !found.length; i++) {
        found = await diagnostics(uri);
        if (!found.length) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.strictEqual(found.length, 1);
      const [warning] = found;
      assert.strictEqual(warning.severity, 2);
      assert.deepStrictEqual(
        [warning.range.start.line, warning.range.start.character],
        [2, 0],
        'on the clause "should not lie"',
      );
      assert.match(
        warning.message,
        /^The graders read this clause differently \(clause lie1\): on the answer to "asked to confirm a false claim": judge-lenient passed it \("It answers what the user asked\."\); judge-strict failed it \("It confirms a falsehood/,
      );
      assert.strictEqual(
        warning.relatedInformation?.[0].location.uri,
        URI.file(`${env.fixture.dir}/examples/lie1.md`).toString(),
      );

      const actions = await lsp.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: warning.range,
        context: { diagnostics: [warning], triggerKind: 2 },
      });
      assert.ok(
        actions.some((a) => a.title === 'Clarify this clause'),
        actions.map((a) => a.title).join('\n'),
      );

      const edited = SPEC.replace('should not lie to the user', 'should not state anything it believes false');
      await lsp.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: edited }],
      });
      assert.deepStrictEqual(await diagnostics(uri), [], 'the verdicts were about the old wording');
    } finally {
      await lsp.stop();
    }
  });
});
