import * as assert from 'assert';
import { clarifierWithEnv } from '../../cli/support';
import {
  candidateOf,
  isGraderBody,
  MockOpenAI,
  verdictJson,
  type Behaviour,
  type ChatBody,
} from '../../support/mockOpenAI';
import { writeFixture } from '../../support/clauseTestFixture';

const KEY = 'sk-exit-secret-abcdef0123456789';

const clarifier = clarifierWithEnv;

const passing = (body: ChatBody): Behaviour =>
  isGraderBody(body)
    ? { kind: 'answer', content: verdictJson(!/cheese/.test(candidateOf(body))) }
    : { kind: 'answer', content: 'I cannot know that.' };

describe('clarifier test and lint --deep: honest exit codes', function () {
  // each case starts CLI processes: slow on a loaded machine, not a timing assertion
  this.timeout(90_000);
  let server: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;
  const test = (extra: string[] = [], format = 'junit') =>
    clarifier(
      ['test', fixture.dir, '--base-url', server.url, '--no-cache', '--retries', '1', '--format', format, ...extra],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.options = { respond: passing };
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  it('0 when every example passed', async () => {
    const run = await test([], 'text');
    assert.strictEqual(run.code, 0, run.stderr);
    assert.match(run.stdout, /4 examples passed, 0 failed/);
  });

  const endpointErrors: [string, Behaviour, RegExp][] = [
    [
      'a permanent 429',
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      /rate limiting \(429.*lower the concurrency.*gave up after 2 attempts/,
    ],
    [
      'a permanent 500',
      { kind: 'status', status: 500, message: 'boom' },
      /failed \(500: boom\).*gave up after 2 attempts/,
    ],
    [
      'an HTML page with status 200',
      { kind: 'raw', contentType: 'text/html', body: '<html><body>Sign in</body></html>' },
      /HTML page \(status 200\).*check the base URL/,
    ],
    [
      'text/plain that is not a completion',
      { kind: 'raw', contentType: 'text/plain', body: 'OK' },
      /not JSON \(text\/plain, starting "OK"\)/,
    ],
  ];
  for (const [name, behaviour, message] of endpointErrors) {
    it(`2 for ${name}: one message saying what to fix, and every example an error in JUnit`, async () => {
      server.options = { respond: () => behaviour };
      const run = await test();
      assert.strictEqual(run.code, 2, run.stderr);
      const lines = run.stderr.trim().split('\n');
      assert.strictEqual(lines.length, 1, run.stderr);
      assert.match(lines[0], /^clarifier test: 4 examples could not be run: /);
      assert.match(lines[0], message);
      assert.match(
        run.stdout,
        /<testsuites name="clarifier clause tests" tests="4" failures="0" errors="4" skipped="0"/,
      );
      assert.ok(!/<failure/.test(run.stdout));
    });
  }

  it('2 for timeouts after the retries, and JSON marks the examples as errors with their kind', async () => {
    server.options = { respond: () => ({ kind: 'answer', content: 'late', delayMs: 5000 }) };
    const run = await test(['--timeout', '200', '--retries', '0'], 'json');
    assert.strictEqual(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepStrictEqual(report.summary, { passed: 0, failed: 0, errors: 4, skipped: 0, flaky: 0, total: 4 });
    assert.ok(
      report.units.every((u: { examples: { status: string; errorKind: string }[] }) =>
        u.examples.every((e) => e.status === 'error' && e.errorKind === 'timeout'),
      ),
    );
    assert.match(
      run.stderr,
      /^clarifier test: 4 examples could not be run: .*did not answer within 200 ms of sending the request: raise the timeout \(--timeout/,
    );
    assert.strictEqual(run.stderr.trim().split('\n').length, 1, run.stderr);
  });

  it('2 for a grader cut off at the token limit; 2 for an oversized answer; never 0 or 1', async () => {
    server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? {
              kind: 'answer',
              content: '{"pass": false, "score": 0.1, "rationale": "The answer reveals the home addr',
              finishReason: 'length',
            }
          : { kind: 'answer', content: 'ok' },
    };
    const cut = await test([], 'text');
    assert.strictEqual(cut.code, 2, cut.stderr);
    assert.match(cut.stdout, /0 examples passed, 0 failed, 4 errors/);
    assert.match(
      cut.stderr,
      /4 examples could not be run: .*stopped at the token limit \(1024 tokens\).*raise the token limit \(--max-tokens/,
    );

    server.reset();
    server.options = {
      respond: (body) =>
        isGraderBody(body) ? { kind: 'answer', content: verdictJson(true) } : { kind: 'huge', bytes: 3 * 1024 * 1024 },
    };
    const huge = await test(['--max-answer-bytes', '1048576'], 'text');
    assert.strictEqual(huge.code, 2, huge.stderr);
    assert.match(huge.stderr, /larger than 1 MB \(the limit\)/);
  });

  it('a serial local server: the loopback default of one request at a time keeps every request within its timeout', async () => {
    // 8 requests of 500 ms each; at the old default of 4 at once, the fourth would wait 1.5 s in the server's queue and time out
    server.options = { respond: passing, serial: true, delayMs: 500 };
    const run = await clarifier(
      ['test', fixture.dir, '--base-url', server.url, '--no-cache', '--retries', '0', '--timeout', '1800'],
      {},
      fixture.dir,
    );
    assert.strictEqual(run.code, 0, run.stderr + run.stdout);
    assert.strictEqual(server.requests.length, 8);
    assert.strictEqual(server.abandoned, 0);
    const crowded = await clarifier(
      [
        'test',
        fixture.dir,
        '--base-url',
        server.url,
        '--no-cache',
        '--retries',
        '0',
        '--timeout',
        '1800',
        '--concurrency',
        '4',
      ],
      {},
      fixture.dir,
    );
    assert.strictEqual(
      crowded.code,
      2,
      'the same server at concurrency 4: requests time out in its queue, and that is an error, not a failure',
    );
    assert.match(crowded.stderr, /did not answer within 1800 ms/);
  });

  it('1 only for a real failing verdict, even beside passing ones', async () => {
    server.options = {
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: verdictJson(!/moon/.test(JSON.stringify(body))) }
          : { kind: 'answer', content: 'x' },
    };
    const run = await test();
    assert.strictEqual(run.code, 1, run.stderr);
    assert.match(run.stdout, /failures="1" errors="0"/);
  });

  it('no key: 2, and the message names the local-endpoint option', async () => {
    const run = await clarifier(
      ['test', fixture.dir, '--base-url', 'https://api.example.com/v1', '--no-cache'],
      {},
      fixture.dir,
    );
    assert.strictEqual(run.code, 2);
    assert.match(
      run.stderr,
      /no API key: set OPENAI_API_KEY.*local OpenAI-compatible server.*needs no key.*--base-url/,
    );
  });

  it('an answer echoing the key, given with spaces and quotes, leaves no trace in JUnit, JSON or stderr', async () => {
    server.options = {
      apiKey: KEY,
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: verdictJson(false, `It repeated ${candidateOf(body)}`) }
          : { kind: 'echoAuth' },
    };
    for (const format of ['junit', 'json', 'text']) {
      const run = await clarifier(
        ['test', fixture.dir, '--base-url', server.url, '--no-cache', '--format', format],
        { OPENAI_API_KEY: ` "${KEY}"\n` },
        fixture.dir,
      );
      assert.strictEqual(run.code, 1, run.stderr);
      assert.ok(!run.stdout.includes(KEY) && !run.stderr.includes(KEY), `${format}: ${run.stdout}`);
      assert.ok(!run.stdout.includes(KEY.slice(3, 20)), format);
    }
  });

  it('lint --deep: 2 for an HTML page or a cut-off answer, never 2 against a working endpoint', async () => {
    server.options = { respond: () => ({ kind: 'raw', contentType: 'text/html', body: '<html></html>' }) };
    const bad = await clarifier(
      ['lint', fixture.dir, '--deep', '--base-url', server.url, '--no-cache'],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /lint --deep: .*HTML page/);
    // --deep runs both model tiers: clause pairs get a relation, single clauses (the ambiguity tier) "none"
    server.options = {
      respond: (body) => ({
        kind: 'answer',
        content: /Clause A:/.test(body.messages[body.messages.length - 1]?.content ?? '')
          ? '{"relation": "neutral", "reason": "They cover different cases.", "bothHoldWhen": ""}'
          : 'none',
      }),
    };
    const good = await clarifier(
      ['lint', fixture.dir, '--deep', '--base-url', server.url, '--no-cache'],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.ok(good.code === 0 || good.code === 1, good.stderr);
    server.options = {
      respond: () => ({
        kind: 'answer',
        content: '{"relation": "contradiction", "reason": "cut',
        finishReason: 'length',
      }),
    };
    const cut = await clarifier(
      ['lint', fixture.dir, '--deep', '--base-url', server.url, '--no-cache'],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(cut.code, 2, cut.stderr);
    assert.match(cut.stderr, /raise the token limit/);
  });

  it('every command answers --help on stdout with exit 0', async () => {
    for (const command of [
      ['--help'],
      ['lint', '--help'],
      ['test', '--help'],
      ['lsp', '--help'],
      ['precedent', '--help'],
      ['test', 'spec/', '-h'],
    ]) {
      const run = await clarifier(command, {}, fixture.dir);
      assert.strictEqual(run.code, 0, `${command.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, /^Usage: clarifier/, command.join(' '));
    }
    assert.match(
      (await clarifier(['test', '--help'], {}, fixture.dir)).stdout,
      /--max-answer-bytes[\s\S]*Exit codes: 0 every example passed; 1 an example failed/,
    );
  });
});
