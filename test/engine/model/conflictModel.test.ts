import * as assert from 'assert';
import { MemoryCache } from '../../../server/src/engine/clauseTests/cache';
import {
  candidatePairs,
  judgePairs,
  MODEL_CONFLICT,
  parseContradiction,
  storeModelResults,
  type ModelTierOptions,
} from '../../../server/src/engine/conflicts/modelTier';
import { silentLogger } from '../../../server/src/engine/host';
import { lintDocument } from '../../../server/src/engine/lint';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ModelError } from '../../../server/src/engine/llm/errors';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { SpecWorkspace } from '../../../server/src/engine/workspace';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { MockOpenAI } from '../../support/mockOpenAI';
import { KEY, OFFER, NEVER, POLITE, SPEC, judge } from '../../support/model/conflictModel';

async function specWorkspace(): Promise<SpecWorkspace> {
  const workspace = new SpecWorkspace(new MemoryFileSystem({ '/spec/spec.md': SPEC }), silentLogger, [
    MemoryFileSystem.uri('/spec'),
  ]);
  await workspace.scan();
  for (const doc of workspace.allDocuments()) workspace.markAsSpec(doc.uri);
  return workspace;
}

function modelFindings(workspace: SpecWorkspace) {
  const doc = workspace.get(MemoryFileSystem.uri('/spec/spec.md'))!;
  return lintDocument(doc, workspace, silentLogger)
    .filter((finding) => finding.ruleId === MODEL_CONFLICT)
    .map((finding) => ({ ...finding, text: doc.text.slice(finding.span.start, finding.span.end) }));
}

describe('conflict model tier', function () {
  let server: MockOpenAI;
  const endpoint = () => resolveModelSettings({ baseUrl: server.url, model: 'judge-model' }).candidate;
  const options = (extra: Partial<ModelTierOptions> = {}): ModelTierOptions => ({
    client: new ModelClient({ apiKey: KEY, concurrency: 2 }),
    endpoint: endpoint(),
    ...extra,
  });

  before(async () => {
    server = await new MockOpenAI({ apiKey: KEY, respond: judge }).start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('a contradiction is a model finding on both clauses, each pointing at the other; entailment and neutral give none', async () => {
    const workspace = await specWorkspace();
    const pairs = candidatePairs(workspace, 50);
    assert.ok(pairs.length >= 3, 'the index offers the refund pairs');
    const run = await judgePairs(pairs, options());
    assert.strictEqual(server.requests.length, pairs.length);
    assert.ok(server.maxInFlight <= 2, `the client's concurrency limit holds (${server.maxInFlight} at once)`);
    assert.ok(
      server.requests.every((r) => r.body.response_format?.type === 'json_schema'),
      'structured output is asked for',
    );
    assert.ok(
      run.results.some((r) => r.verdict?.relation === 'entailment'),
      'an entailment came back',
    );
    storeModelResults(workspace, run.results);
    const findings = modelFindings(workspace);
    // NEVER contradicts both OFFER and POLITE: two findings on NEVER, one on each of the others
    assert.deepStrictEqual(findings.map((f) => f.text).sort(), [NEVER, NEVER, OFFER, POLITE].sort());
    const onOffer = findings.find((f) => f.text === OFFER)!;
    assert.match(
      onOffer.message,
      /^Model finding \(judge-model\): "The assistant must offer a refund when a customer asks for one\." contradicts "The assistant must never discuss refunds with customers\." in #refunds: Offering a refund is discussing one\. Both can hold if refunds are offered only by the billing page\./,
    );
    const doc = workspace.get(MemoryFileSystem.uri('/spec/spec.md'))!;
    assert.strictEqual(onOffer.related?.length, 1);
    assert.strictEqual(doc.text.slice(onOffer.related![0].span.start, onOffer.related![0].span.end), NEVER);
    for (const f of findings.filter((f) => f.text === NEVER))
      assert.ok([OFFER, POLITE].includes(doc.text.slice(f.related![0].span.start, f.related![0].span.end)));
    assert.ok(!findings.some((f) => /greet/.test(f.message)), 'neutral pairs give no finding');

    // "Mark as an intended exception" with a reason silences it; the stored verdicts follow their clauses' text
    const fix = onOffer.fixes?.find((f) => /intended exception/.test(f.title));
    assert.ok(fix, 'an intended-exception fix is offered');
    const edit = fix.edits[0];
    const silenced =
      doc.text.slice(0, edit.span.start) +
      edit.newText.replace('reason: ', 'reason: refunds are offered by billing') +
      doc.text.slice(edit.span.end);
    workspace.update(doc.uri, silenced, 2);
    assert.deepStrictEqual(
      modelFindings(workspace)
        .map((f) => f.text)
        .sort(),
      [NEVER, NEVER, POLITE].sort(),
    );
  });

  it('the budget caps the requests, best-sharing pairs first', async () => {
    const workspace = await specWorkspace();
    const run = await judgePairs(candidatePairs(workspace, 2), options());
    assert.strictEqual(server.requests.length, 2);
    assert.strictEqual(run.results.length, 2);
  });

  it('the cache answers a pair it has seen, in either order, without a request', async () => {
    const workspace = await specWorkspace();
    const cache = new MemoryCache();
    const pairs = candidatePairs(workspace, 50);
    await judgePairs(pairs, options({ cache }));
    const asked = server.requests.length;
    const swapped = pairs.map(({ a, b }) => ({ a: b, b: a }));
    const second = await judgePairs(swapped, options({ cache }));
    assert.strictEqual(server.requests.length, asked, 'no request the second time');
    assert.strictEqual(second.fromCache, pairs.length);
    storeModelResults(workspace, second.results);
    assert.strictEqual(modelFindings(workspace).length, 4);
    // another model is another question
    await judgePairs(pairs.slice(0, 1), options({ cache, endpoint: { ...endpoint(), model: 'other-model' } }));
    assert.strictEqual(server.requests.length, asked + 1);
  });

  it('a malformed answer is a clear error for its pair and no finding; prose around JSON is still read', async () => {
    const workspace = await specWorkspace();
    const pairs = candidatePairs(workspace, 50).filter(
      ({ a, b }) => [a.text, b.text].includes(NEVER) && [a.text, b.text].includes(OFFER),
    );
    server.script({ kind: 'answer', content: 'Hmm, these two are tricky to compare.' });
    const run = await judgePairs(pairs, options());
    assert.strictEqual(run.results[0].verdict, undefined);
    assert.match(run.results[0].error ?? '', /not a relation: expected JSON like \{"relation": "contradiction"/);
    assert.match(run.results[0].error ?? '', /Hmm, these two are tricky/);
    storeModelResults(workspace, run.results);
    assert.deepStrictEqual(modelFindings(workspace), []);
    assert.deepStrictEqual(
      parseContradiction(
        'Sure:\n```json\n{"verdict": "Contradiction", "rationale": "One forbids what the other requires. Really.", "condition": "never both"}\n```',
      ),
      { relation: 'contradiction', reason: 'One forbids what the other requires.', bothHoldWhen: 'never both' },
    );
    assert.strictEqual(parseContradiction('Neutral: different topics.').relation, 'neutral');
    assert.throws(
      () => parseContradiction('{"relation": "maybe"}'),
      (error: unknown) => error instanceof ModelError && error.kind === 'bad-answer',
    );
  });

  it('a cancelled run sends nothing more and rejects as cancelled', async () => {
    const workspace = await specWorkspace();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      judgePairs(candidatePairs(workspace, 50), options({ signal: controller.signal })),
      (error: unknown) => error instanceof ModelError && error.kind === 'cancelled',
    );
    assert.strictEqual(server.requests.length, 0);
  });

  it('an endpoint error stops the run with the error, not a finding', async () => {
    const workspace = await specWorkspace();
    await assert.rejects(
      judgePairs(
        candidatePairs(workspace, 50),
        options({ client: new ModelClient({ apiKey: 'sk-wrong-key-000000000000' }) }),
      ),
      (error: unknown) =>
        error instanceof ModelError &&
        error.kind === 'unauthorized' &&
        !/sk-wrong-key-000000000000/.test(error.message),
    );
  });
});
