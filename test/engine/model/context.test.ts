import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectAllUnits, MemoryCache, runClauseTests, type RunOptions } from '../../../server/src/engine/clauseTests';
import { specContextText } from '../../../server/src/engine/clauseTests/context';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings, type ModelSettingsInput } from '../../../server/src/engine/llm/settings';
import type { SpecWorkspace } from '../../../server/src/engine/workspace';
import { MockOpenAI } from '../../support/mockOpenAI';
import { loadWorkspace, writeFixture } from '../../support/clauseTestFixture';
import { AGENTS } from '../../support/model/context';

describe('the spec in context (--context, clarifier.clauseTests.context)', function () {
  // each CLI case runs the built CLI (and the LSP cases a server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  let server: MockOpenAI;
  let dir: string;
  let workspace: SpecWorkspace;
  const options = (extra: Partial<RunOptions> = {}, settings: ModelSettingsInput = {}): RunOptions => {
    const resolved = resolveModelSettings({
      baseUrl: server.url,
      model: 'cand',
      graderModel: 'judge',
      retries: 0,
      ...settings,
    });
    return {
      client: new ModelClient({ concurrency: 1 }),
      settings: resolved,
      specText: (uri) => specContextText(workspace.get(uri)!),
      ...extra,
    };
  };
  const refundsAsked = () =>
    server.candidateMessages().find((messages) => /mug/.test(messages[messages.length - 1].content))!;

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-context-'));
    writeFileSync(path.join(dir, 'AGENTS.md'), AGENTS);
    workspace = await loadWorkspace(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an agent instruction file is the prompt: by default the whole spec, without its examples, goes first as a developer message', async () => {
    const results = await runClauseTests(collectAllUnits(workspace), options());
    assert.deepStrictEqual(
      results.map((r) => r.context),
      ['spec', 'spec'],
    );
    const messages = refundsAsked();
    assert.deepStrictEqual(
      messages.map((m) => m.role),
      ['developer', 'user'],
    );
    const sent = messages[0].content;
    assert.match(sent, /^# Support agent\n\nYou answer customers of Acme Shop\./);
    assert.match(sent, /must offer a refund when an order arrives damaged/);
    assert.match(sent, /should answer in two sentences at most/, 'the other sections too');
    assert.ok(
      !/Example|mug|Hi there|~~~/.test(sent),
      `no example transcript is part of the spec the model sees:\n${sent}`,
    );
  });

  it('a spec with authority levels (the Model Spec kind) is one models are trained on: by default nothing is added', async () => {
    const fixture = writeFixture();
    try {
      const modelSpec = await loadWorkspace(fixture.dir);
      const results = await runClauseTests(collectAllUnits(modelSpec), {
        ...options(),
        specText: (uri) => specContextText(modelSpec.get(uri)!),
      });
      assert.ok(results.every((r) => r.context === 'none'));
      const moon = server.candidateMessages().find((m) => /moon/.test(m[m.length - 1].content))!;
      assert.deepStrictEqual(
        moon.map((m) => m.role),
        ['user'],
        "only the example's own conversation",
      );
    } finally {
      fixture.cleanup();
    }
  });

  it('clause and section send only that much; mapDeveloperToSystem sends it as a system message', async () => {
    await runClauseTests(collectAllUnits(workspace), options({ context: 'clause' }));
    assert.deepStrictEqual(refundsAsked()[0], {
      role: 'developer',
      content:
        'The agent must offer a refund when an order arrives damaged. The agent must never promise a delivery date.',
    });
    server.reset();
    await runClauseTests(collectAllUnits(workspace), options({ context: 'section' }, { mapDeveloperToSystem: true }));
    const section = refundsAsked()[0];
    assert.strictEqual(section.role, 'system');
    assert.match(section.content, /^## Refunds\n\nThe agent must offer a refund/);
    assert.ok(!/Tone|two sentences|mug/.test(section.content), section.content);
  });

  it("the context is part of the answer's cache key: another context asks the model again, the same one does not", async () => {
    const cache = new MemoryCache();
    const units = collectAllUnits(workspace);
    await runClauseTests(units, options({ cache, context: 'none' }));
    assert.strictEqual(server.candidateRequests().length, 2);
    const withSpec = await runClauseTests(units, options({ cache, context: 'spec' }));
    assert.strictEqual(server.candidateRequests().length, 4, 'the model is asked again with the spec in front');
    assert.ok(withSpec.every((r) => r.examples.every((e) => !e.cached)));
    const again = await runClauseTests(units, options({ cache, context: 'spec' }));
    assert.strictEqual(server.candidateRequests().length, 4);
    assert.ok(again.every((r) => r.examples.every((e) => e.cached)));
    // an edit of the spec changes what the model sees: its answers are asked again
    writeFileSync(path.join(dir, 'AGENTS.md'), AGENTS.replace('two sentences', 'three sentences'));
    await workspace.refreshFromDisk(workspace.specDocuments()[0].uri);
    await runClauseTests(collectAllUnits(workspace), options({ cache, context: 'spec' }));
    assert.strictEqual(server.candidateRequests().length, 6);
  });
});
