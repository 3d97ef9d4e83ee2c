import * as assert from 'assert';
import { execFile } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MODEL_AMBIGUITY } from '../../../server/src/engine/deep/ambiguity';
import { CLARIFIER_BIN, ensureBuilt, type JsonReport } from '../../cli/support';
import { REPO_ROOT } from '../../support/corpus';
import { lastTurn, MockOpenAI } from '../../support/mockOpenAI';
import { AMBIGUITY_SPEC, EXTRA_CAUTION, readsClauses, REFUND } from '../../support/ambiguityFixture';

const KEY = 'sk-deep-cli-0123456789abcdefghij';

describe('clarifier lint --deep (ambiguity tier) and --calibrate', function () {
  let server: MockOpenAI;
  let dir: string;
  let cacheDir: string;

  before(async () => {
    server = await new MockOpenAI({ apiKey: KEY, respond: readsClauses }).start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-deep-cli-'));
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-deep-cli-cache-'));
    writeFileSync(path.join(dir, 'support.md'), AMBIGUITY_SPEC);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  function lint(
    args: string[],
    env: Record<string, string | undefined> = { OPENAI_API_KEY: KEY },
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    ensureBuilt();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLARIFIER_BIN, 'lint', ...args],
        { cwd: dir, env: { PATH: process.env.PATH, HOME: os.tmpdir(), NO_COLOR: '1', ...env } },
        (error, stdout, stderr) => {
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
        },
      );
    });
  }

  const model = () => ['--base-url', server.url, '--model', 'reader-model', '--cache-dir', cacheDir];
  const ambiguityFindings = (stdout: string) =>
    (JSON.parse(stdout) as JsonReport).files
      .flatMap((file) => file.diagnostics)
      .filter((d) => d.code === MODEL_AMBIGUITY);

  it('--deep=ambiguity reports model findings with the readings, the input and the question; a second run is cached; the key is never printed', async () => {
    const run = await lint(['support.md', '--deep=ambiguity', '--format', 'json', ...model()]);
    assert.strictEqual(run.code, 0, run.stderr);
    const findings = ambiguityFindings(run.stdout);
    assert.strictEqual(findings.length, 2, run.stdout);
    const refund = findings.find((d) => d.range.start.line === AMBIGUITY_SPEC.split('\n').indexOf(REFUND))!;
    assert.ok(refund, 'a finding on the refund clause');
    assert.match(
      refund.message,
      /^Model finding \(reader-model\): missing condition: .*"My parcel arrived broken two months ago\." Question: Is there a time limit/,
    );
    assert.match(run.stderr, /ambiguity model tier: 5 of 5 clause\(s\) read \(5 asked, 0 from cache\), 2 ambiguous/);
    assert.match(run.stderr, /model tiers cost 5 request\(s\), \d+ prompt \+ \d+ completion tokens/);
    assert.ok(!server.requests.some((r) => /Clause A:/.test(lastTurn(r.body))), 'the conflict tier was not asked');

    const again = await lint(['support.md', '--deep=ambiguity', '--format', 'json', ...model()]);
    assert.strictEqual(server.requests.length, 5, 'answered from the cache folder');
    assert.strictEqual(ambiguityFindings(again.stdout).length, 2);
    assert.match(again.stderr, /\(0 asked, 5 from cache\)/);
    const cacheText = readdirSync(cacheDir)
      .map((f) => readFileSync(path.join(cacheDir, f), 'utf8'))
      .join('');
    assert.ok(cacheText.includes('Is there a time limit'), 'verdicts are cached on disk');
    for (const output of [run, again])
      assert.ok(!(output.stdout + output.stderr).includes(KEY), 'the key is never printed');
    assert.ok(!cacheText.includes(KEY), 'the key is never cached');
  });

  it('--deep runs both tiers with one client; --budget caps each tier; the text format shows model findings', async () => {
    const run = await lint(['support.md', '--deep', '--budget', 'ambiguity=1,conflicts=2', ...model()]);
    assert.strictEqual(run.code, 0, run.stderr);
    const clauseRequests = server.requests.filter((r) => /<clause>/.test(lastTurn(r.body)));
    const pairRequests = server.requests.filter((r) => /Clause A:/.test(lastTurn(r.body)));
    assert.strictEqual(clauseRequests.length, 1, 'one clause asked');
    assert.ok(lastTurn(clauseRequests[0].body).includes(EXTRA_CAUTION), 'the clause with an offline finding first');
    assert.ok(pairRequests.length >= 1 && pairRequests.length <= 2, `at most two pairs (${pairRequests.length})`);
    assert.match(
      run.stderr,
      /1 of 5 clause\(s\) read \(1 asked, 0 from cache, 4 over the budget of 1: run again or raise --budget ambiguity=N\), 1 ambiguous/,
    );
    assert.match(run.stderr, /conflict model tier: \d clause pair\(s\) checked/);
    assert.match(run.stdout, /ambiguity-model/);
    assert.match(run.stdout, /Model finding \(reader-model\): vague term/);
  });

  it('usage errors for unknown tiers and bad budgets; exit 2 on setup errors without the key', async () => {
    const tier = await lint(['support.md', '--deep=style']);
    assert.strictEqual(tier.code, 2);
    assert.match(tier.stderr, /--deep=style: the model tiers are ambiguity and conflicts/);
    const budget = await lint(['support.md', '--deep', '--budget', 'clauses=3']);
    assert.strictEqual(budget.code, 2);
    assert.match(budget.stderr, /--budget needs a whole number .* --budget ambiguity=20,conflicts=40/);
    const rejected = await lint(['support.md', '--deep=ambiguity', ...model()], {
      OPENAI_API_KEY: 'sk-rejected-0000000000000000',
    });
    assert.strictEqual(rejected.code, 2);
    assert.match(rejected.stderr, /rejected the API key/);
    assert.ok(!rejected.stderr.includes('sk-rejected-0000000000000000'));
    assert.strictEqual(rejected.stdout, '', 'no partial report');
  });

  it('a malformed answer is a warning naming the clause, never a finding, and exit 2 (the result is incomplete) with the report still printed', async () => {
    server.options.respond = (body) =>
      /<clause>\nThe assistant must refund/.test(lastTurn(body))
        ? { kind: 'answer', content: '{"ambiguous": true, "readings": ["refund every' }
        : readsClauses(body);
    try {
      const run = await lint([
        'support.md',
        '--deep=ambiguity',
        '--format',
        'json',
        '--no-cache',
        '--base-url',
        server.url,
        '--model',
        'reader-model',
      ]);
      assert.strictEqual(run.code, 2, run.stderr);
      assert.match(run.stderr, /1 clause\(s\) or clause pair\(s\) got no readable answer/);
      assert.match(
        run.stderr,
        /warning: lint --deep: no reading of "The assistant must refund an order that arrives damaged\.": the model's answer about a clause could not be read/,
      );
      assert.deepStrictEqual(ambiguityFindings(run.stdout).length, 1, 'only the readable finding');
    } finally {
      server.options.respond = readsClauses;
    }
  });

  it('--calibrate measures the shipped labelled set: recall, false alarms and cost against the scripted answers', async () => {
    const set = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'docs', 'calibration', 'ambiguity-labelled.json'), 'utf8'),
    ) as { clauses: { clause: string; ambiguous: boolean; reason?: string }[] };
    assert.ok(set.clauses.length >= 40, 'at least 40 clauses');
    assert.strictEqual(set.clauses.filter((c) => c.ambiguous).length, set.clauses.length / 2, 'half ambiguous');
    assert.ok(
      set.clauses.filter((c) => c.ambiguous).every((c) => c.reason),
      'every ambiguous clause says why',
    );
    // a scripted "model" that flags a clause when it has a vague word: this checks the plumbing, not a model
    const vague =
      /\b(quickly|appropriate|extra care|relevant|upset|large|short|controversial|everything|harm|cold weather|friendly|personal information)\b/i;
    server.options.respond = (body) => {
      const clause = /<clause>\n([\s\S]*?)\n<\/clause>/.exec(lastTurn(body))?.[1] ?? '';
      return {
        kind: 'answer',
        content: vague.test(clause)
          ? JSON.stringify({
              ambiguous: true,
              kind: 'vague-term',
              readings: ['one way', 'another way'],
              divergingInput: 'an input',
              question: 'which way?',
              answers: [],
            })
          : 'none',
      };
    };
    try {
      const run = await lint(['--calibrate', '--format', 'json', ...model()]);
      assert.strictEqual(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as {
        total: number;
        ambiguous: number;
        caught: number;
        falseAlarms: number;
        recall: number;
        falseAlarmRate: number;
        requests: number;
        promptTokens: number;
      };
      const expectedCaught = set.clauses.filter((c) => c.ambiguous && vague.test(c.clause)).length;
      const expectedAlarms = set.clauses.filter((c) => !c.ambiguous && vague.test(c.clause)).length;
      assert.deepStrictEqual(
        [report.total, report.caught, report.falseAlarms, report.requests],
        [set.clauses.length, expectedCaught, expectedAlarms, set.clauses.length],
      );
      assert.strictEqual(report.recall, expectedCaught / report.ambiguous);
      assert.ok(report.promptTokens > 0);
      const text = await lint(['--calibrate', ...model()]);
      assert.match(text.stdout, new RegExp(`recall ${expectedCaught}/24 = \\d+%`));
      assert.match(text.stdout, /cost 0 request\(s\), 48 from cache/);
      assert.match(text.stdout, /Missed \(ambiguous, not flagged\):\n  - /);
    } finally {
      server.options.respond = readsClauses;
    }
    writeFileSync(path.join(dir, 'mine.json'), JSON.stringify([{ clause: 'Be nice.', ambiguous: 'yes' }]));
    const bad = await lint(['--calibrate=mine.json', ...model()]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /mine\.json, item 1 needs "ambiguous": true or false \(got "yes"\)/);
  });
});
