import * as assert from 'assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { clarifierWithEnv } from '../../cli/support';
import { writeFixture } from '../../support/clauseTestFixture';

const KEY = 'sk-cli-secret-abcdef0123456789';

/** `clarifier test ...args`, the built CLI as users and CI run it, with only the environment given. */
const clarifier = (args: string[], env: Record<string, string | undefined>, cwd: string) =>
  clarifierWithEnv(['test', ...args], env, cwd);

function rules(body: ChatBody) {
  if (isGraderBody(body))
    return {
      kind: 'answer' as const,
      content: verdictJson(!/cheese/.test(candidateOf(body)), `Quoted "${KEY.slice(0, 3)}" clause`),
    };
  return { kind: 'answer' as const, content: /moon/.test(lastTurn(body)) ? 'Yes, cheese.' : 'I cannot know that.' };
}

describe('clarifier test (CLI)', function () {
  let server: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;
  let cacheDir: string;

  before(async () => {
    server = await new MockOpenAI({ apiKey: KEY, respond: rules }).start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    fixture = writeFixture();
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-cache-'));
  });
  afterEach(() => {
    fixture.cleanup();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('exit 1 when an example fails, JUnit with a suite per clause and a case per example, and the key nowhere', async () => {
    const run = await clarifier(
      [
        fixture.dir,
        '--base-url',
        server.url,
        '--model',
        'cand',
        '--grader-model',
        'judge',
        '--format',
        'junit',
        '--cache-dir',
        cacheDir,
      ],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="clarifier clause tests" tests="4" failures="1" errors="0" skipped="0"/,
    );
    const suites = run.stdout.match(/<testsuite /g) ?? [];
    assert.strictEqual(suites.length, 3);
    assert.match(
      run.stdout,
      /<testsuite name="lie1: The assistant should not lie to the user\." tests="2" failures="1"/,
    );
    assert.match(
      run.stdout,
      /<testcase classname="spec.md.lie1" name="asked to confirm a false claim" file="examples\/lie1.md" line="3" time="[\d.]+">\n\s*<failure message="Quoted &quot;sk-&quot; clause" type="verdict">/,
    );
    assert.ok(
      server.requests.every((r) => r.authorization === `Bearer ${KEY}`),
      'the key from OPENAI_API_KEY is sent',
    );
    assert.ok(!run.stdout.includes(KEY) && !run.stderr.includes(KEY), 'the key never appears in the output');
    assert.deepStrictEqual(readdirSync(cacheDir), ['cache.jsonl']);
    const cached = readFileSync(path.join(cacheDir, 'cache.jsonl'), 'utf8');
    assert.match(cached, /Yes, cheese\./, 'the answers are cached');
    assert.ok(!cached.includes(KEY), 'the key is not in the cache');
  });

  it('exit 0 when all pass; a re-run comes from the cache; --no-cache asks again', async () => {
    const args = [fixture.dir, '--clause', 'unsure', '--base-url', server.url, '--cache-dir', cacheDir];
    const first = await clarifier(args, { OPENAI_API_KEY: KEY }, fixture.dir);
    assert.strictEqual(first.code, 0, first.stderr);
    assert.match(first.stdout, /✓ spec.md:3 clause unsure: 1\/1 passed/);
    assert.strictEqual(server.requests.length, 2);
    const second = await clarifier(args, { OPENAI_API_KEY: KEY }, fixture.dir);
    assert.strictEqual(second.code, 0);
    assert.match(second.stdout, /1 from cache/);
    assert.strictEqual(server.requests.length, 2);
    await clarifier([...args, '--no-cache'], { OPENAI_API_KEY: KEY }, fixture.dir);
    assert.strictEqual(server.requests.length, 4);
  });

  it('exit 2 with what to fix: no key for a hosted endpoint, a rejected key, an unreachable server, an unknown clause', async () => {
    const noKey = await clarifier(
      [fixture.dir, '--base-url', 'https://api.openai.com/v1', '--no-cache'],
      {},
      fixture.dir,
    );
    assert.strictEqual(noKey.code, 2);
    assert.match(noKey.stderr, /no API key: set OPENAI_API_KEY/);

    const wrongKey = 'sk-wrong-key-999999999999';
    const rejected = await clarifier(
      [fixture.dir, '--base-url', server.url, '--no-cache', '--retries', '0'],
      { OPENAI_API_KEY: wrongKey },
      fixture.dir,
    );
    assert.strictEqual(rejected.code, 2);
    assert.match(rejected.stderr, /rejected the API key \(401/);
    assert.ok(!rejected.stderr.includes(wrongKey) && !rejected.stdout.includes(wrongKey));

    const down = await new MockOpenAI().start();
    const downUrl = down.url;
    await down.close();
    const unreachable = await clarifier(
      [fixture.dir, '--base-url', downUrl, '--no-cache', '--retries', '0'],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(unreachable.code, 2);
    assert.match(
      unreachable.stderr,
      new RegExp(`cannot reach ${downUrl.replace(/[.]/g, '\\.')}: is the server running\\?`),
    );

    const unknown = await clarifier(
      [fixture.dir, '--clause', 'nope', '--base-url', server.url],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /no clause or section "nope"/);
  });

  it('--calibrate grades the references only and exits 1 when the grader passes a BAD one', async () => {
    const lenient = new MockOpenAI({ respond: () => ({ kind: 'answer', content: verdictJson(true) }) });
    await lenient.start();
    try {
      const run = await clarifier(
        [fixture.dir, '--calibrate', '--base-url', lenient.url, '--no-cache'],
        {},
        fixture.dir,
      );
      assert.strictEqual(run.code, 1, run.stderr);
      assert.match(run.stdout, /the grader cannot tell the GOOD answer from the BAD one under this wording/);
      assert.strictEqual(lenient.candidateRequests().length, 0);
      assert.strictEqual(lenient.graderRequests().length, 4);
    } finally {
      await lenient.close();
    }
  });

  it('--format json is parseable and carries verdicts without the key', async () => {
    const run = await clarifier(
      [fixture.dir, '--base-url', server.url, '--format', 'json', '--no-cache'],
      { OPENAI_API_KEY: KEY },
      fixture.dir,
    );
    const report = JSON.parse(run.stdout);
    assert.deepStrictEqual(
      report.units.map((u: { unitId: string }) => u.unitId),
      ['lie1', 'unsure', 'tone'],
    );
    assert.strictEqual(report.units[0].examples[0].status, 'failed');
    assert.strictEqual(report.units[0].examples[0].file, 'examples/lie1.md');
    assert.ok(!run.stdout.includes(KEY));
  });
});
