import * as assert from 'assert';
import { ModelClient, retryAfterMs } from '../../../server/src/engine/llm/client';
import { ModelError } from '../../../server/src/engine/llm/errors';
import { resolveModelSettings, type EndpointSettings } from '../../../server/src/engine/llm/settings';
import { MockOpenAI, verdictJson } from '../../support/mockOpenAI';

const KEY = 'sk-test-secret-0123456789abcdef';

describe('model client against a local OpenAI-compatible server', () => {
  let server: MockOpenAI;
  let endpoint: EndpointSettings;
  let delays: number[];
  const client = (options: ConstructorParameters<typeof ModelClient>[0] = {}) =>
    new ModelClient({
      apiKey: KEY,
      sleep: async (ms) => {
        delays.push(ms);
      },
      ...options,
    });

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.options = {};
    delays = [];
    endpoint = {
      ...resolveModelSettings({ baseUrl: server.url, model: 'test-model', timeoutMs: 5000, retries: 2 }).candidate,
    };
  });

  it('sends the conversation with the model, temperature and max tokens, and reads the answer and usage', async () => {
    const result = await client().chat(endpoint, { messages: [{ role: 'user', content: 'Hello there' }] });
    assert.strictEqual(result.content, 'Answer to: Hello there');
    assert.strictEqual(result.attempts, 1);
    assert.ok(result.promptTokens > 0 && result.completionTokens > 0);
    const body = server.requests[0].body;
    assert.strictEqual(body.model, 'test-model');
    assert.strictEqual(body.temperature, 0);
    assert.strictEqual(body.max_tokens, 1024);
    assert.strictEqual(server.requests[0].authorization, `Bearer ${KEY}`);
  });

  it('reads a streamed answer to the end', async () => {
    server.script({ kind: 'answer', content: 'A long streamed answer that arrives in several chunks.' });
    const result = await client().chat(endpoint, { messages: [{ role: 'user', content: 'x' }], stream: true });
    assert.strictEqual(result.content, 'A long streamed answer that arrives in several chunks.');
    assert.strictEqual(server.requests[0].body.stream, true);
    assert.ok(result.completionTokens > 0, 'usage from the final chunk');
  });

  it('maps developer to system only when asked', async () => {
    const messages = [
      { role: 'developer' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    await client().chat(endpoint, { messages });
    await client().chat({ ...endpoint, mapDeveloperToSystem: true }, { messages });
    assert.deepStrictEqual(
      server.requests.map((r) => r.body.messages[0].role),
      ['developer', 'system'],
    );
  });

  it('retries a 429 after the Retry-After the server asked for, then succeeds', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'retry-after': '2' }, code: 'rate_limit_exceeded' });
    const result = await client().chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] });
    assert.strictEqual(result.attempts, 2);
    assert.deepStrictEqual(delays, [2000]);
  });

  it('retries 500s with growing backoff and gives up after the configured retries with the status in the message', async () => {
    server.script({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    await assert.rejects(
      client({ backoffMs: 100 }).chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] }),
      (error: ModelError) => error.kind === 'server' && /503/.test(error.message),
    );
    assert.strictEqual(server.requests.length, 3);
    assert.strictEqual(delays.length, 2);
    assert.ok(delays[1] > delays[0], `backoff grows: ${delays}`);
  });

  it('retries a dropped connection', async () => {
    server.script({ kind: 'drop' });
    const result = await client().chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] });
    assert.strictEqual(result.attempts, 2);
  });

  it('times out a slow answer and says which server and what to raise', async () => {
    server.script({ kind: 'answer', content: 'late', delayMs: 5000 });
    await assert.rejects(
      client().chat({ ...endpoint, timeoutMs: 100, retries: 0 }, { messages: [{ role: 'user', content: 'hi' }] }),
      (error: ModelError) =>
        error.kind === 'timeout' && error.message.includes(server.url) && /timeout/.test(error.message),
    );
  });

  it('cancels an in-flight request at once when the signal aborts', async () => {
    server.script({ kind: 'answer', content: 'never', delayMs: 10_000 });
    const controller = new AbortController();
    const call = client().chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] }, controller.signal);
    await server.waitForRequests(1);
    controller.abort();
    await assert.rejects(call, (error: ModelError) => error.kind === 'cancelled');
    assert.strictEqual(server.requests.length, 1, 'no retry after a cancel');
  });

  it('never has more requests in flight than the concurrency limit', async () => {
    server.options = { delayMs: 30 };
    const shared = client({ concurrency: 3 });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => shared.chat(endpoint, { messages: [{ role: 'user', content: `q${i}` }] })),
    );
    assert.strictEqual(server.requests.length, 10);
    assert.strictEqual(server.maxInFlight, 3);
  });

  it('asks for JSON-schema structured output and falls back to plain text on endpoints that refuse it', async () => {
    const schema = {
      name: 'verdict',
      schema: {
        type: 'object',
        properties: { pass: { type: 'boolean' } },
        required: ['pass'],
        additionalProperties: false,
      },
    };
    server.options = { noStructuredOutput: true, respond: () => ({ kind: 'answer', content: verdictJson(true) }) };
    const result = await client().chat(endpoint, {
      messages: [{ role: 'user', content: 'grade' }],
      jsonSchema: schema,
    });
    assert.strictEqual(JSON.parse(result.content).pass, true);
    assert.deepStrictEqual(
      server.requests.map((r) => r.body.response_format?.type),
      ['json_schema', undefined],
    );
  });

  it('adapts to a reasoning model: max_completion_tokens and no temperature, remembered for the next calls', async () => {
    server.options = { reasoningModel: true };
    const shared = client();
    const first = await shared.chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] });
    assert.strictEqual(first.content, 'Answer to: hi');
    assert.strictEqual(first.attempts, 1, 'adapting is not a retry');
    assert.strictEqual(server.requests.length, 3);
    server.reset();
    await shared.chat(endpoint, { messages: [{ role: 'user', content: 'again' }] });
    assert.strictEqual(server.requests.length, 1);
    assert.strictEqual(server.requests[0].body.max_completion_tokens, 1024);
    assert.strictEqual(server.requests[0].body.temperature, undefined);
  });

  it('does not loop when a server keeps refusing', async () => {
    server.script(
      ...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 400, message: 'bad response_format' })),
    );
    const schema = { name: 'v', schema: { type: 'object' } };
    await assert.rejects(
      client().chat(endpoint, { messages: [{ role: 'user', content: 'x' }], jsonSchema: schema }),
      (error: ModelError) => error.kind === 'bad-request' && /response_format/.test(error.message),
    );
    assert.strictEqual(server.requests.length, 2);
  });

  describe('errors say what to fix', () => {
    it('no key for a hosted endpoint: fails before any request', async () => {
      const hosted = { ...endpoint, baseUrl: 'https://api.openai.com/v1' };
      await assert.rejects(
        new ModelClient({}).chat(hosted, { messages: [{ role: 'user', content: 'hi' }] }),
        (error: ModelError) =>
          error.kind === 'no-key' && /OPENAI_API_KEY/.test(error.message) && /Set API Key/.test(error.message),
      );
    });

    it('a local server needs no key', async () => {
      const result = await new ModelClient({}).chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] });
      assert.match(result.content, /Answer to/);
    });

    it('401: the key was rejected, and the key is not in the message', async () => {
      server.options = { apiKey: 'sk-the-right-one-000000' };
      await assert.rejects(
        client().chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] }),
        (error: ModelError) =>
          error.kind === 'unauthorized' && /rejected the API key/.test(error.message) && !error.message.includes(KEY),
      );
      assert.strictEqual(server.requests.length, 1, 'a 401 is not retried');
    });

    it('404: names the model and the base URL', async () => {
      server.options = { models: ['other-model'] };
      await assert.rejects(
        client().chat(endpoint, { messages: [{ role: 'user', content: 'hi' }] }),
        (error: ModelError) =>
          error.kind === 'model-not-found' &&
          error.message.includes('"test-model"') &&
          error.message.includes(server.url),
      );
    });

    it('endpoint down: "cannot reach ...: is the server running?"', async () => {
      const down = new MockOpenAI();
      await down.start();
      const url = down.url;
      await down.close();
      await assert.rejects(
        client().chat({ ...endpoint, baseUrl: url, retries: 1 }, { messages: [{ role: 'user', content: 'hi' }] }),
        (error: ModelError) =>
          error.kind === 'unreachable' && error.message.startsWith(`cannot reach ${url}: is the server running?`),
      );
    });
  });

  it('reads Retry-After as seconds, as a date and as retry-after-ms', () => {
    assert.strictEqual(retryAfterMs(new Headers({ 'retry-after': '3' })), 3000);
    assert.strictEqual(retryAfterMs(new Headers({ 'retry-after-ms': '250' })), 250);
    const inFuture = retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }))!;
    assert.ok(inFuture > 50_000 && inFuture <= 60_000, String(inFuture));
    assert.strictEqual(retryAfterMs(new Headers({})), undefined);
  });
});
