import * as assert from 'assert';
import { MemoryCache } from '../../../server/src/engine/clauseTests/cache';
import {
  askAboutClauses,
  MODEL_AMBIGUITY,
  parseAmbiguity,
  type AmbiguityTierOptions,
} from '../../../server/src/engine/deep/ambiguity';
import { storeAmbiguityResults } from '../../../server/src/engine/deep/store';
import { divergingInputPrecedent, type AmbiguityFindingData } from '../../../server/src/engine/deep/ambiguityFindings';
import { precedentEdit } from '../../../server/src/engine/clauseTests/precedent';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit } from 'vscode-languageserver-types';
import { deepTargets } from '../../../server/src/engine/deep/targets';
import { runDeepTiers } from '../../../server/src/engine/deep/run';
import { silentLogger } from '../../../server/src/engine/host';
import { lintDocument } from '../../../server/src/engine/lint';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ModelError } from '../../../server/src/engine/llm/errors';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { SpecWorkspace } from '../../../server/src/engine/workspace';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { lastTurn, MockOpenAI, type Behaviour, type ChatBody } from '../../support/mockOpenAI';
import {
  ambiguousAnswer,
  AMBIGUITY_SPEC,
  CLEAR_ANSWER,
  CREDIT,
  EXTRA_CAUTION,
  REFUND,
  readsClauses,
} from '../../support/ambiguityFixture';

const KEY = 'sk-deep-ambiguity-0123456789abcdef';
const SPEC_URI = MemoryFileSystem.uri('/spec/support.md');

async function specWorkspace(text = AMBIGUITY_SPEC): Promise<SpecWorkspace> {
  const workspace = new SpecWorkspace(new MemoryFileSystem({ '/spec/support.md': text }), silentLogger, [
    MemoryFileSystem.uri('/spec'),
  ]);
  await workspace.scan();
  for (const doc of workspace.allDocuments()) workspace.markAsSpec(doc.uri);
  return workspace;
}

function modelFindings(workspace: SpecWorkspace) {
  const doc = workspace.get(SPEC_URI)!;
  return lintDocument(doc, workspace, silentLogger)
    .filter((finding) => finding.ruleId === MODEL_AMBIGUITY)
    .map((finding) => ({ ...finding, text: doc.text.slice(finding.span.start, finding.span.end) }));
}

describe('ambiguity model tier', function () {
  let server: MockOpenAI;
  const endpoint = () => resolveModelSettings({ baseUrl: server.url, model: 'reader-model' }).candidate;
  const options = (extra: Partial<AmbiguityTierOptions> = {}): AmbiguityTierOptions => ({
    client: new ModelClient({ apiKey: KEY, concurrency: 2 }),
    endpoint: endpoint(),
    ...extra,
  });
  const targetsOf = (workspace: SpecWorkspace) =>
    deepTargets(workspace, { tiers: ['ambiguity'], conflictBudget: 0 }).ambiguity;

  before(async () => {
    server = await new MockOpenAI({ apiKey: KEY, respond: readsClauses }).start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('flags only the clauses whose readings diverge, with the readings, the input and the question; "none" gives nothing', async () => {
    const workspace = await specWorkspace();
    const targets = targetsOf(workspace);
    assert.ok(targets.length >= 4, `every normative clause is a target (${targets.length})`);
    const run = await askAboutClauses(targets, options());
    assert.strictEqual(server.requests.length, targets.length);
    assert.ok(server.maxInFlight <= 2, `the client's concurrency limit holds (${server.maxInFlight})`);
    assert.ok(
      server.requests.every((r) => r.body.response_format?.type === 'json_schema'),
      'structured output is asked for',
    );
    const refundRequest = server.requests.find((r) => lastTurn(r.body).includes(`<clause>\n${REFUND}`))!;
    assert.match(lastTurn(refundRequest.body), /## Its section: Refunds/, 'the section goes with the clause');
    assert.doesNotMatch(
      lastTurn(refundRequest.body),
      /Goodwill credit means/,
      'definitions of terms it does not use stay out',
    );
    const creditRequest = server.requests.find((r) => lastTurn(r.body).includes(`<clause>\n${CREDIT}`))!;
    assert.match(
      lastTurn(creditRequest.body),
      /## Definitions the spec gives\n<definitions>\nGoodwill credit: Goodwill credit means a voucher/,
      'the definitions of terms it uses go with it',
    );
    assert.match(
      refundRequest.body.messages[0].content,
      /"ambiguous": false/,
      'the prompt asks for "not ambiguous" by default',
    );
    assert.ok(run.promptTokens > 0 && run.completionTokens > 0, 'tokens are counted');

    storeAmbiguityResults(workspace, run.results);
    const findings = modelFindings(workspace);
    assert.deepStrictEqual(findings.map((f) => f.text).sort(), [EXTRA_CAUTION, REFUND].sort());
    const refund = findings.find((f) => f.text === REFUND)!;
    assert.strictEqual(refund.severity, 'warning');
    assert.match(
      refund.message,
      /^Model finding \(reader-model\): missing condition: the clause can be read as \(1\) refund every damaged order; \(2\) refund only orders reported within 30 days\. The readings act differently on "My parcel arrived broken two months ago\." Question: Is there a time limit for reporting damage\?$/,
    );
    const data = refund.data as { question: string; answers: { answer: string; clarification: string }[] };
    assert.strictEqual(data.question, 'Is there a time limit for reporting damage?');
    assert.deepStrictEqual(
      data.answers.map((a) => a.answer),
      ['No limit', '30 days'],
    );
  });

  it('"Record the diverging input as an example" writes a precedent with the input and the answer left to the author', async () => {
    const workspace = await specWorkspace();
    storeAmbiguityResults(workspace, (await askAboutClauses(targetsOf(workspace), options())).results);
    const refund = modelFindings(workspace).find((f) => f.text === REFUND)!;
    const data = refund.data as AmbiguityFindingData;
    const doc = workspace.get(SPEC_URI)!;
    const clause = doc.clauses.find((c) => c.span.start === refund.span.start)!;
    const built = precedentEdit(workspace, divergingInputPrecedent(doc.uri, clause, data.divergingInput));
    assert.strictEqual(built.placement, 'inline', 'a generic spec gets an inline example');
    const change = built.edit.documentChanges![0] as TextDocumentEdit;
    const after = TextDocument.applyEdits(TextDocument.create(doc.uri, 'markdown', 1, doc.text), change.edits);
    assert.match(
      after,
      /\*\*Example\*\*: My parcel arrived broken two months ago\.\n\n~~~xml\n<user>\nMy parcel arrived broken two months ago\.\n<\/user>\n<comparison>\n<assistant> <!-- GOOD -->\nTODO: write the answer this clause expects\n<\/assistant>\n<\/comparison>\n~~~/,
    );
    const updated = workspace.update(SPEC_URI, after, 2);
    assert.strictEqual(updated.examples.length, doc.examples.length + 1, 'the spec parses the new example');
    const structural = lintDocument(updated, workspace, silentLogger).filter(
      (f) => f.ruleId === 'empty-example' || f.ruleId === 'malformed-transcript',
    );
    assert.deepStrictEqual(
      structural.map((f) => f.message),
      [],
      'a well-formed example',
    );
  });

  it('an edited clause keeps its finding greyed as stale; a removed clause drops it; the next run replaces it', async () => {
    const workspace = await specWorkspace();
    storeAmbiguityResults(workspace, (await askAboutClauses(targetsOf(workspace), options())).results);
    const doc = workspace.get(SPEC_URI)!;
    const edited = doc.text.replace(REFUND, REFUND.replace('damaged.', 'damaged, within 30 days of delivery.'));
    workspace.update(SPEC_URI, edited, 2);
    const stale = modelFindings(workspace).find((f) => /within 30 days/.test(f.text))!;
    assert.ok(stale, 'the edited clause still shows the finding');
    assert.strictEqual(stale.severity, 'hint');
    assert.deepStrictEqual(stale.tags, [1], 'greyed out (unnecessary)');
    assert.match(stale.message, /^Stale model finding \(reader-model\): the clause changed since the model read it/);
    assert.strictEqual(stale.fixes, undefined, 'no fix built on the old reading');
    workspace.update(SPEC_URI, edited.replace(/^.*within 30 days.*$/m, ''), 3);
    assert.ok(!modelFindings(workspace).some((f) => /refund/i.test(f.text)), 'gone with its clause');
    // the next run over this file replaces what was stored for it
    workspace.update(SPEC_URI, edited, 4);
    storeAmbiguityResults(workspace, (await askAboutClauses(targetsOf(workspace), options())).results, [SPEC_URI]);
    assert.ok(
      !modelFindings(workspace).some((f) => /within 30 days/.test(f.text)),
      'the clarified clause is clear now',
    );
  });

  it('malformed and truncated answers, and "ambiguous" without readings, are errors for their clause, never findings', async () => {
    const workspace = await specWorkspace();
    const targets = targetsOf(workspace).filter((t) => t.text === REFUND);
    for (const content of [
      'Hmm, this clause is interesting.',
      '{"ambiguous": true, "kind": "missing-condition", "readings": ["refund every damaged order", "refund only orders rep',
      '{"ambiguous": true, "kind": "vague-term", "readings": ["one reading"], "divergingInput": "x", "question": "y?", "answers": []}',
      '{"ambiguous": true, "readings": ["a", "b"], "divergingInput": "", "question": "q?"}',
      '{"kind": "vague-term"}',
      '',
    ]) {
      server.reset();
      server.script({ kind: 'answer', content });
      const run = await askAboutClauses(targets, options());
      assert.strictEqual(run.results[0].verdict, undefined, `no verdict from ${JSON.stringify(content)}`);
      assert.match(run.results[0].error ?? '', /the model's answer about a clause could not be read/);
      storeAmbiguityResults(workspace, run.results);
      assert.deepStrictEqual(modelFindings(workspace), [], `no finding from ${JSON.stringify(content)}`);
    }
    // an unreadable answer is not cached: the next run asks again
    const cache = new MemoryCache();
    server.reset();
    server.script({ kind: 'answer', content: 'not json' });
    await askAboutClauses(targets, options({ cache }));
    await askAboutClauses(targets, options({ cache }));
    assert.strictEqual(server.requests.length, 2);
  });

  it('reads "none", prose around JSON and common spellings', () => {
    assert.strictEqual(parseAmbiguity('none').ambiguous, false);
    assert.strictEqual(parseAmbiguity('None.').ambiguous, false);
    assert.strictEqual(parseAmbiguity('{"ambiguous": "no"}').ambiguous, false);
    assert.strictEqual(parseAmbiguity(CLEAR_ANSWER).ambiguous, false);
    const fenced = parseAmbiguity(
      'Here you go:\n```json\n' +
        ambiguousAnswer(['reading one', 'reading two'], 'an input', 'which one?', 'vague') +
        '\n```',
    );
    assert.deepStrictEqual(
      [fenced.ambiguous, fenced.kind, fenced.readings],
      [true, 'vague-term', ['reading one', 'reading two']],
    );
    const noAnswers = parseAmbiguity(
      '{"ambiguous": true, "readings": ["a", "b"], "divergingInput": "x", "question": "q?"}',
    );
    assert.deepStrictEqual(
      noAnswers.answers.map((a) => a.answer),
      ['a', 'b'],
      'the readings stand in for missing answers',
    );
    assert.throws(
      () =>
        parseAmbiguity('{"ambiguous": true, "readings": ["same", "same"], "divergingInput": "x", "question": "q?"}'),
      (e: unknown) => e instanceof ModelError && e.kind === 'bad-answer',
    );
  });

  it('the budget caps requests, highest-value clauses first; cached clauses are free and the next run continues', async () => {
    const workspace = await specWorkspace();
    const targets = targetsOf(workspace);
    assert.strictEqual(targets[0].text, EXTRA_CAUTION, 'a clause with an offline finding comes first');
    assert.deepStrictEqual(targets[0].priorityReasons, ['offline findings']);
    const cache = new MemoryCache();
    const first = await askAboutClauses(targets, options({ budget: 2, cache }));
    assert.strictEqual(server.requests.length, 2);
    assert.strictEqual(first.overBudget, targets.length - 2);
    assert.ok(
      lastTurn(server.requests[0].body).includes(EXTRA_CAUTION) ||
        lastTurn(server.requests[1].body).includes(EXTRA_CAUTION),
    );
    const second = await askAboutClauses(targets, options({ budget: 2, cache }));
    assert.strictEqual(second.fromCache, 2);
    assert.strictEqual(server.requests.length, 4, 'the next two clauses are asked');
    const third = await askAboutClauses(targets, options({ budget: 100, cache }));
    assert.strictEqual(third.requests, targets.length - 4);
    assert.strictEqual(third.fromCache, 4);
  });

  it('the cache is keyed by clause, context and model', async () => {
    const workspace = await specWorkspace();
    const targets = targetsOf(workspace).filter((t) => t.text === REFUND);
    const cache = new MemoryCache();
    await askAboutClauses(targets, options({ cache }));
    await askAboutClauses(targets, options({ cache }));
    assert.strictEqual(server.requests.length, 1, 'the same clause, context and model: from the cache');
    await askAboutClauses(
      [{ ...targets[0], sectionText: targets[0].sectionText + ' Refunds are paid within a week.' }],
      options({ cache }),
    );
    assert.strictEqual(server.requests.length, 2, 'new section context: asked again');
    await askAboutClauses(targets, options({ cache, endpoint: { ...endpoint(), model: 'other-model' } }));
    assert.strictEqual(server.requests.length, 3, 'another model: asked again');
  });

  it('cancellation stops the run: nothing more is sent, and it rejects as cancelled', async () => {
    const workspace = await specWorkspace();
    const controller = new AbortController();
    server.options.delayMs = 5000;
    try {
      const running = askAboutClauses(targetsOf(workspace), options({ signal: controller.signal }));
      await server.waitForRequests(2);
      controller.abort();
      await assert.rejects(running, (error: unknown) => error instanceof ModelError && error.kind === 'cancelled');
      await server.waitForAbandoned(2);
      assert.strictEqual(server.requests.length, 2, 'the waiting clauses were never sent');
    } finally {
      server.options.delayMs = 0;
    }
  });

  it('an endpoint error stops both tiers with a message that never contains the key', async () => {
    const workspace = await specWorkspace();
    const targets = deepTargets(workspace, { tiers: ['ambiguity', 'conflicts'], conflictBudget: 10 });
    const wrong = 'sk-wrong-key-00000000000000000';
    await assert.rejects(
      runDeepTiers(targets, { client: new ModelClient({ apiKey: wrong }), endpoint: endpoint() }),
      (error: unknown) =>
        error instanceof ModelError && error.kind === 'unauthorized' && !error.message.includes(wrong),
    );
    const run = await runDeepTiers(targets, {
      client: new ModelClient({ apiKey: KEY, concurrency: 2 }),
      endpoint: endpoint(),
      ambiguityBudget: 3,
    });
    assert.strictEqual(run.ambiguity?.requests, 3);
    assert.strictEqual(run.requests, 3 + (run.conflicts?.requests ?? 0));
    assert.ok(
      server.requests.every((r) => !JSON.stringify(r.body).includes(KEY)),
      'the key is only ever in the Authorization header',
    );
  });
});

export type { Behaviour, ChatBody };
