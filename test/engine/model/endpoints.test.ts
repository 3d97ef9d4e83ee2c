import * as assert from 'assert';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { ModelError, redact } from '../../../server/src/engine/llm/errors';
import {
  LOCAL_CONCURRENCY,
  LOCAL_TIMEOUT_MS,
  resolveModelSettings,
  type EndpointSettings,
} from '../../../server/src/engine/llm/settings';
import { MockOpenAI } from '../../support/mockOpenAI';

const KEY = 'sk-endpoint-secret-0123456789abcdef';
const hi = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('endpoints as they are', () => {
  let server: MockOpenAI;
  let endpoint: EndpointSettings;
  let delays: number[];
  const client = (options: ConstructorParameters<typeof ModelClient>[0] = {}) =>
    new ModelClient({ apiKey: KEY, sleep: async (ms) => void delays.push(ms), ...options });
  const rejectsWith = (promise: Promise<unknown>, kind: string, pattern: RegExp) =>
    assert.rejects(promise, (error: ModelError) => {
      assert.ok(error instanceof ModelError, String(error));
      assert.strictEqual(error.kind, kind, error.message);
      assert.match(error.message, pattern);
      return true;
    });

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.options = {};
    delays = [];
    endpoint = { ...resolveModelSettings({ baseUrl: server.url, model: 'm', timeoutMs: 5000, retries: 2 }).candidate };
  });

  describe('finish_reason "length" is an error that says to raise the token limit', () => {
    it('in a plain answer', async () => {
      server.script({
        kind: 'answer',
        content: '{"pass": false, "score": 0.1, "rationale": "The answer reveals the home addr',
        finishReason: 'length',
      });
      await rejectsWith(
        client().chat({ ...endpoint, maxTokens: 32 }, hi),
        'truncated',
        /token limit \(32 tokens\).*raise the token limit \(--max-tokens, or the setting clarifier\.model\.maxTokens\)/,
      );
      assert.strictEqual(server.requests.length, 1, 'the same request would be cut off again: no retry');
    });
    it('in a streamed answer', async () => {
      server.script({ kind: 'answer', content: 'A long answer that the model could not fini', finishReason: 'length' });
      await rejectsWith(client().chat(endpoint, { ...hi, stream: true }), 'truncated', /raise the token limit/);
    });
    it('a complete answer reports finish reason "stop"', async () => {
      assert.strictEqual((await client().chat(endpoint, hi)).finishReason, 'stop');
      assert.strictEqual((await client().chat(endpoint, { ...hi, stream: true })).finishReason, 'stop');
    });
  });

  describe('bodies that are not chat completions', () => {
    it('an HTML page with status 200 says to check the base URL, and is not retried', async () => {
      server.options = {
        respond: () => ({
          kind: 'raw',
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><html><body>Welcome to nginx!</body></html>',
        }),
      };
      await rejectsWith(client().chat(endpoint, hi), 'not-chat', /HTML page \(status 200\).*check the base URL.*\/v1/);
      assert.strictEqual(server.requests.length, 1);
      assert.ok(new ModelError('not-chat', '').stopsRun, 'a wrong endpoint stops the run');
    });
    it('valid completion JSON sent as text/plain is read', async () => {
      const completion = {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'plain but fine' }, finish_reason: 'stop' }],
      };
      server.script({ kind: 'raw', contentType: 'text/plain', body: JSON.stringify(completion) });
      assert.strictEqual((await client().chat(endpoint, hi)).content, 'plain but fine');
    });
    it('text/plain that is not JSON names what came back', async () => {
      server.script({ kind: 'raw', contentType: 'text/plain', body: 'Ollama is running' });
      await rejectsWith(
        client().chat(endpoint, hi),
        'not-chat',
        /not JSON \(text\/plain, starting "Ollama is running"\)/,
      );
    });
    it('JSON that is not a chat completion says so', async () => {
      server.script({ kind: 'raw', contentType: 'application/json', body: '{"models": []}' });
      await rejectsWith(client().chat(endpoint, hi), 'not-chat', /JSON that is not a chat completion/);
    });
  });

  describe('size limit', () => {
    it('an answer over the limit is an error, read only up to the limit, not to its 50 MB end', async () => {
      server.script({ kind: 'huge', bytes: 50 * 1024 * 1024 });
      await rejectsWith(client().chat(endpoint, hi), 'too-large', /larger than 1 MB \(the limit\).*--max-answer-bytes/);
      await server.waitForAbandoned(1);
      assert.ok(
        server.hugeBytesSent < 10 * 1024 * 1024,
        `the server wrote ${server.hugeBytesSent} bytes before the client hung up`,
      );
      assert.strictEqual(server.requests.length, 1, 'not retried');
    });
    it('the limit is configurable, and applies to streamed answers', async () => {
      server.script({ kind: 'answer', content: 'y'.repeat(5000) });
      const small = { ...endpoint, maxAnswerBytes: 2048 };
      await rejectsWith(client().chat(small, { ...hi, stream: true }), 'too-large', /larger than 2 KB/);
      server.script({ kind: 'answer', content: 'y'.repeat(1000) });
      assert.strictEqual((await client().chat(small, hi)).content.length, 1000);
    });
  });

  describe('a local server on the CPU', () => {
    it('loopback endpoints default to one request at a time and a long timeout; hosted ones keep 4 and 60 s', () => {
      const local = resolveModelSettings({ baseUrl: 'http://127.0.0.1:8080/v1' });
      assert.strictEqual(local.concurrency, LOCAL_CONCURRENCY);
      assert.strictEqual(LOCAL_CONCURRENCY, 1);
      assert.strictEqual(local.candidate.timeoutMs, LOCAL_TIMEOUT_MS);
      assert.ok(LOCAL_TIMEOUT_MS >= 5 * 60_000);
      const hosted = resolveModelSettings({ baseUrl: 'https://api.example.com/v1' });
      assert.deepStrictEqual([hosted.concurrency, hosted.candidate.timeoutMs], [4, 60_000]);
      const mixed = resolveModelSettings({
        baseUrl: 'https://api.example.com/v1',
        graderBaseUrl: 'http://localhost:11434/v1',
      });
      assert.deepStrictEqual(
        [mixed.concurrency, mixed.candidate.timeoutMs, mixed.grader.timeoutMs],
        [1, 60_000, LOCAL_TIMEOUT_MS],
      );
      const chosen = resolveModelSettings({ baseUrl: 'http://127.0.0.1:8080/v1', concurrency: 3, timeoutMs: 1000 });
      assert.deepStrictEqual([chosen.concurrency, chosen.candidate.timeoutMs], [3, 1000], 'what the user sets wins');
    });

    it('the timeout starts when a request is sent, not while it waits in our queue', async () => {
      // a serial server taking 300 ms per answer; 6 requests; a timeout of 1 s that the whole batch (1.8 s) would exceed
      server.options = { serial: true, delayMs: 300 };
      const shared = client({ concurrency: 1 });
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          shared.chat({ ...endpoint, timeoutMs: 1000, retries: 0 }, { messages: [{ role: 'user', content: `q${i}` }] }),
        ),
      );
      assert.strictEqual(results.length, 6);
      assert.ok(results.every((r) => r.attempts === 1));
      assert.strictEqual(server.abandoned, 0);
    });

    it('a timed-out request is hung up on before its retry is sent: the server never works on both', async () => {
      server.options = { serial: true };
      server.script({ kind: 'answer', content: 'too late', delayMs: 2000 }, { kind: 'answer', content: 'in time' });
      const result = await new ModelClient({ apiKey: KEY, backoffMs: 50 }).chat(
        { ...endpoint, timeoutMs: 300, retries: 1 },
        hi,
      );
      assert.strictEqual(result.content, 'in time');
      assert.strictEqual(result.attempts, 2);
      assert.deepStrictEqual(
        server.abandonedOnArrival,
        [0, 1],
        'the first request was abandoned before the retry arrived',
      );
      assert.strictEqual(server.worked, 2);
    });
  });

  describe('429', () => {
    it('honours Retry-After, then gives up after the retries with a message that says what to do', async () => {
      server.options = {
        respond: () => ({ kind: 'status', status: 429, headers: { 'retry-after': '3' }, code: 'rate_limit_exceeded' }),
      };
      await rejectsWith(
        client().chat(endpoint, hi),
        'rate-limited',
        /rate limiting \(429.*lower the concurrency \(--concurrency.*gave up after 3 attempts/,
      );
      assert.deepStrictEqual(delays, [3000, 3000]);
      assert.ok(new ModelError('rate-limited', '').stopsRun);
    });
    it('a Retry-After longer than the client waits is given up on at once', async () => {
      server.script({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
      await rejectsWith(client().chat(endpoint, hi), 'rate-limited', /asks to wait 3600 s .*try again later/);
      assert.deepStrictEqual(delays, []);
      assert.strictEqual(server.requests.length, 1);
    });
    it('an exhausted quota is not retried', async () => {
      server.script({
        kind: 'status',
        status: 429,
        code: 'insufficient_quota',
        message: 'You exceeded your current quota',
      });
      await rejectsWith(client().chat(endpoint, hi), 'rate-limited', /quota is used up.*billing/);
      assert.strictEqual(server.requests.length, 1);
    });
  });

  describe('the key never comes back out', () => {
    for (const [label, given] of [
      ['as is', KEY],
      ['with spaces and a newline', `  ${KEY}\n`],
      ['in quotes', `"${KEY}"`],
      ['with a Bearer prefix', `Bearer ${KEY}`],
    ] as const) {
      it(`an answer echoing the Authorization header is redacted (key given ${label})`, async () => {
        server.options = { apiKey: KEY, respond: () => ({ kind: 'echoAuth' }) };
        const result = await new ModelClient({ apiKey: given }).chat({ ...endpoint, baseUrl: server.url }, hi);
        assert.strictEqual(
          server.requests[0].authorization,
          `Bearer ${KEY}`,
          'the key is sent without the spaces, quotes or prefix it was given with',
        );
        assert.ok(!result.content.includes(KEY), result.content);
        assert.match(result.content, /\[redacted\]/);
      });
    }
    it('redact() removes JSON-escaped, URL-encoded and base64 forms of an unusual key', () => {
      const odd = 'my/odd+key"with=stuff';
      const text = `a ${JSON.stringify(odd)} b ${encodeURIComponent(odd)} c ${btoa(odd)} d`;
      const clean = redact(text, odd);
      assert.ok(
        !clean.includes('odd+key') &&
          !clean.includes(encodeURIComponent(odd)) &&
          !clean.includes(btoa(odd).replace(/=+$/, '')),
        clean,
      );
    });
  });
});
