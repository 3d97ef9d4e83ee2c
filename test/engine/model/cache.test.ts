import * as assert from 'assert';
import { appendFileSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiskCache } from '../../../server/src/node/diskCache';
import { collectAllUnits, runClauseTests } from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ConcurrencyLimiter } from '../../../server/src/engine/llm/limiter';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { MockOpenAI } from '../../support/mockOpenAI';
import { loadWorkspace, writeFixture } from '../../support/clauseTestFixture';

describe('disk cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-diskcache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a reload, skips a torn line from an interrupted run, and clears', async () => {
    const cache = new DiskCache(dir);
    await cache.set('a', { answer: 'one' });
    await cache.set('b', { answer: 'two' });
    await cache.close();
    appendFileSync(cache.file, '{"k":"c","v":{"answer":"thr');
    const reloaded = new DiskCache(dir);
    assert.deepStrictEqual(await reloaded.get('a'), { answer: 'one' });
    assert.strictEqual(await reloaded.get('c'), undefined);
    await reloaded.set('c', { answer: 'three' });
    await reloaded.close();
    assert.deepStrictEqual(
      await new DiskCache(dir).get('c'),
      { answer: 'three' },
      'a write after a torn line still reads back',
    );
    await reloaded.clear();
    assert.strictEqual(await new DiskCache(dir).get('a'), undefined);
  });
});

describe('the API key stays out of logs', () => {
  it('no log line from retries, errors or a run carries the key', async () => {
    const key = 'sk-log-secret-9999999999999';
    const server = await new MockOpenAI({ apiKey: key }).start();
    const fixture = writeFixture();
    try {
      const lines: string[] = [];
      const logger = {
        error: (m: string, d?: object) => lines.push(m + JSON.stringify(d)),
        warn: (m: string, d?: object) => lines.push(m + JSON.stringify(d)),
        info: (m: string, d?: object) => lines.push(m + JSON.stringify(d)),
        debug: (m: string, d?: object) => lines.push(m + JSON.stringify(d)),
      };
      server.script(
        { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
        { kind: 'status', status: 500, message: `echoing ${key}` },
        { kind: 'answer', content: 'not a verdict' },
      );
      const settings = resolveModelSettings({ baseUrl: server.url, retries: 2, concurrency: 1 });
      const results = await runClauseTests(collectAllUnits(await loadWorkspace(fixture.dir)), {
        client: new ModelClient({ apiKey: key, logger, sleep: async () => {}, concurrency: 1 }),
        settings,
        logger,
      });
      assert.ok(lines.length >= 2, 'retries and the unreadable verdict were logged');
      assert.ok(
        lines.every((line) => !line.includes(key)),
        lines.join('\n'),
      );
      assert.ok(!JSON.stringify(results).includes(key));
    } finally {
      fixture.cleanup();
      await server.close();
    }
  });
});

describe('concurrency limiter', () => {
  it('runs urgent work before waiting work, and a cancelled waiter leaves the queue', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const order: string[] = [];
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiting = [
      limiter.run(async () => void order.push('queued')),
      limiter.run(async () => void order.push('cancelled'), controller.signal),
      limiter.run(async () => void order.push('urgent'), undefined, true),
    ];
    controller.abort();
    await assert.rejects(waiting[1], /cancelled/);
    release();
    await first;
    await Promise.all([waiting[0], waiting[2]]);
    assert.deepStrictEqual(order, ['urgent', 'queued']);
  });
});
