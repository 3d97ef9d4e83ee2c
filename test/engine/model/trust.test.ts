import * as assert from 'assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  calibrateClauses,
  collectAllUnits,
  MemoryCache,
  runClauseTests,
  type UnitResult,
} from '../../../server/src/engine/clauseTests';
import { DiskCache } from '../../../server/src/node/diskCache';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ModelError } from '../../../server/src/engine/llm/errors';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson } from '../../support/mockOpenAI';
import { loadWorkspace, writeFixture } from '../../support/clauseTestFixture';

const CUT_OFF_FAIL = '{"pass": false, "score": 0.1, "rationale": "The answer reveals the home addr';

describe('clause test runs you can trust', () => {
  let server: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;
  const settings = () =>
    resolveModelSettings({ baseUrl: server.url, model: 'cand', graderModel: 'judge', retries: 0, timeoutMs: 5000 });
  const run = async (cache = new MemoryCache() as MemoryCache | DiskCache) =>
    runClauseTests(collectAllUnits(await loadWorkspace(fixture.dir)), {
      client: new ModelClient({ sleep: async () => {} }),
      settings: settings(),
      cache,
    });
  const statuses = (results: UnitResult[]) => results.flatMap((u) => u.examples.map((e) => `${u.unitId}:${e.status}`));

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  it('a FAIL cut off at the token limit is an error, never a pass, and is not cached: the fixed grader is asked again', async () => {
    server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: CUT_OFF_FAIL, finishReason: 'length' }
          : { kind: 'answer', content: 'an answer' },
    };
    const cache = new MemoryCache();
    const first = await run(cache);
    assert.ok(
      statuses(first).every((s) => s.endsWith(':error')),
      statuses(first).join(),
    );
    const example = first[0].examples[0];
    assert.strictEqual(example.errorKind, 'truncated');
    assert.match(example.message!, /raise the token limit/);
    server.reset();
    server.options = {
      respond: (body) =>
        isGraderBody(body) ? { kind: 'answer', content: verdictJson(false) } : { kind: 'answer', content: 'an answer' },
    };
    const second = await run(cache);
    assert.strictEqual(server.candidateRequests().length, 0, 'the complete answers were cached');
    assert.strictEqual(server.graderRequests().length, 4, 'no cut-off verdict was cached');
    assert.ok(
      statuses(second).every((s) => s.endsWith(':failed')),
      statuses(second).join(),
    );
  });

  it('the same cut-off FAIL without finish_reason "length" is still an error, not a pass', async () => {
    server.options = {
      respond: (body) =>
        isGraderBody(body) ? { kind: 'answer', content: CUT_OFF_FAIL } : { kind: 'answer', content: 'an answer' },
    };
    const results = await run();
    assert.ok(
      statuses(results).every((s) => s.endsWith(':error')),
      statuses(results).join(),
    );
    assert.match(results[0].examples[0].message!, /cut off/);
  });

  it('a candidate answer cut off at the token limit is an error and is not graded', async () => {
    server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: verdictJson(true) }
          : { kind: 'answer', content: 'Half an ans', finishReason: 'length' },
    };
    const results = await run();
    assert.ok(statuses(results).every((s) => s.endsWith(':error')));
    assert.strictEqual(server.graderRequests().length, 0);
  });

  it('cache entries on disk record the finish reason, and never the key an answer echoed', async () => {
    const key = 'sk-cache-echo-0123456789abcdef';
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-trust-'));
    try {
      server.options = {
        apiKey: key,
        respond: (body) => (isGraderBody(body) ? { kind: 'answer', content: verdictJson(true) } : { kind: 'echoAuth' }),
      };
      const cache = new DiskCache(path.join(dir, 'cache'));
      const results = await runClauseTests(collectAllUnits(await loadWorkspace(fixture.dir)), {
        client: new ModelClient({ apiKey: key }),
        settings: settings(),
        cache,
      });
      await cache.close();
      const text = readFileSync(cache.file, 'utf8');
      assert.ok(!text.includes(key) && !JSON.stringify(results).includes(key));
      assert.match(text, /\[redacted\]/);
      const entries = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).v);
      assert.ok(entries.length === 8 && entries.every((v) => v.finishReason === 'stop'), text);
      if (process.platform !== 'win32') {
        assert.strictEqual(statSync(cache.folder).mode & 0o777, 0o700);
        assert.strictEqual(statSync(cache.file).mode & 0o777, 0o600);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a rate limit that outlasts the retries stops the run with that cause; a slow answer fails only its example', async () => {
    server.options = { respond: () => ({ kind: 'status', status: 429, headers: { 'retry-after': '0' } }) };
    await assert.rejects(run(), (error: ModelError) => error.kind === 'rate-limited');
    server.reset();
    server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: verdictJson(true) }
          : { kind: 'answer', content: 'slow', delayMs: /moon/.test(lastTurn(body)) ? 3000 : 0 },
    };
    const results = await runClauseTests(collectAllUnits(await loadWorkspace(fixture.dir)), {
      client: new ModelClient(),
      settings: { ...settings(), candidate: { ...settings().candidate, timeoutMs: 300 } },
    });
    assert.deepStrictEqual(
      statuses(results).filter((s) => s.endsWith(':error')),
      ['lie1:error'],
    );
    assert.strictEqual(results[0].examples[0].errorKind, 'timeout');
  });

  it('calibration: an unreadable verdict is reported as not graded, never as the grader agreeing', async () => {
    server.options = {
      respond: (body) => ({
        kind: 'answer',
        content: /Whatever/.test(candidateOf(body)) ? CUT_OFF_FAIL : verdictJson(true),
      }),
    };
    const results = await calibrateClauses(collectAllUnits(await loadWorkspace(fixture.dir)), {
      client: new ModelClient(),
      settings: settings(),
    });
    const bad = results.flatMap((r) => r.calibration ?? []).find((c) => /Whatever/.test(c.reference))!;
    assert.strictEqual(bad.verdict, undefined);
    assert.strictEqual(bad.agrees, false);
    assert.match(bad.message!, /cut off/);
  });
});

describe('disk cache stays bounded', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-bounded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('superseded entries are compacted away, and the newest entries kept when the live ones pass the limit', async () => {
    const cache = new DiskCache(dir, undefined, { maxBytes: 20_000 });
    for (let round = 0; round < 5; round++)
      for (let i = 0; i < 40; i++) await cache.set(`k${i}`, { answer: `round ${round}`, finishReason: 'stop' });
    await cache.close();
    const lines = readFileSync(cache.file, 'utf8').trim().split('\n');
    assert.strictEqual(lines.length, 40, 'one line per key after compaction');
    assert.deepStrictEqual(await new DiskCache(dir).get('k7'), { answer: 'round 4', finishReason: 'stop' });

    const big = new DiskCache(dir, undefined, { maxBytes: 20_000 });
    for (let i = 0; i < 100; i++) await big.set(`big${i}`, { answer: 'z'.repeat(500), finishReason: 'stop' });
    await big.close();
    assert.ok(statSync(big.file).size <= 20_000, `compacted to ${statSync(big.file).size} bytes`);
    const reread = new DiskCache(dir);
    assert.ok(await reread.get('big99'), 'the newest entry is kept');
    assert.strictEqual(await reread.get('big0'), undefined, 'the oldest entry is dropped');
  });
});
