import * as assert from 'assert';
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MODEL_CONFLICT } from '../../../server/src/engine/conflicts/modelTier';
import { CLARIFIER_BIN, ensureBuilt, type JsonReport } from '../../cli/support';
import { MockOpenAI } from '../../support/mockOpenAI';
import { KEY, SPEC, judge } from '../../support/model/conflictModel';

describe('conflict model tier', function () {
  let server: MockOpenAI;

  before(async () => {
    server = await new MockOpenAI({ apiKey: KEY, respond: judge }).start();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  describe('clarifier lint --deep (CLI)', () => {
    let dir: string;
    let cacheDir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-deep-'));
      cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-deep-cache-'));
      writeFileSync(path.join(dir, 'spec.md'), SPEC);
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    });

    function lint(
      args: string[],
      env: Record<string, string | undefined>,
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

    it('reports model findings in JSON with related locations, caches on disk, and never prints the key', async () => {
      const args = [
        'spec.md',
        '--deep=conflicts',
        '--base-url',
        server.url,
        '--model',
        'judge-model',
        '--format',
        'json',
        '--cache-dir',
        cacheDir,
      ];
      const run = await lint(args, { OPENAI_API_KEY: KEY });
      assert.strictEqual(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      const findings = report.files.flatMap((file) => file.diagnostics).filter((d) => d.code === MODEL_CONFLICT);
      assert.strictEqual(findings.length, 4, run.stdout);
      assert.ok(findings.every((d) => /^Model finding \(judge-model\)/.test(d.message) && d.related?.length === 1));
      assert.match(
        run.stderr,
        /conflict model tier: \d+ clause pair\(s\) checked \(\d+ asked, 0 from cache\), 2 contradiction\(s\)/,
      );
      const asked = server.requests.length;
      assert.ok(asked > 0 && server.requests.every((r) => r.authorization === `Bearer ${KEY}`));
      const again = await lint(args, { OPENAI_API_KEY: KEY });
      assert.strictEqual(server.requests.length, asked, 'the second run is answered from the cache folder');
      const againReport = JSON.parse(again.stdout) as JsonReport;
      assert.strictEqual(
        againReport.files.flatMap((file) => file.diagnostics).filter((d) => d.code === MODEL_CONFLICT).length,
        4,
      );
      assert.match(again.stderr, /\(0 asked, \d+ from cache\)/);
      const sarif = await lint(
        args.map((a) => (a === 'json' ? 'sarif' : a)),
        { OPENAI_API_KEY: KEY },
      );
      assert.match(sarif.stdout, /"ruleId": "conflict-model"/);
      for (const output of [run, again, sarif])
        assert.ok(!(output.stdout + output.stderr).includes(KEY), 'the key is never printed');
    });

    it('exit 2 naming the URL when the endpoint is down, and when the key is rejected, without the key', async () => {
      const down = await new MockOpenAI().start();
      const url = down.url;
      await down.close();
      const unreachable = await lint(['spec.md', '--deep', '--base-url', url, '--no-cache'], {});
      assert.strictEqual(unreachable.code, 2, unreachable.stderr);
      assert.ok(unreachable.stderr.includes(`cannot reach ${url}: is the server running?`), unreachable.stderr);
      assert.strictEqual(unreachable.stdout, '', 'no partial report');
      const rejected = await lint(['spec.md', '--deep', '--base-url', server.url, '--no-cache'], {
        OPENAI_API_KEY: 'sk-rejected-key-99999999999',
      });
      assert.strictEqual(rejected.code, 2);
      assert.match(rejected.stderr, /rejected the API key .*set a valid OPENAI_API_KEY/);
      assert.ok(!rejected.stderr.includes('sk-rejected-key-99999999999'));
      const noKey = await lint(['spec.md', '--deep', '--base-url', 'https://api.example.invalid/v1', '--no-cache'], {});
      assert.strictEqual(noKey.code, 2);
      assert.match(noKey.stderr, /no API key: set OPENAI_API_KEY/);
      const misuse = await lint(['spec.md', '--model', 'x'], {});
      assert.strictEqual(misuse.code, 2);
      assert.match(misuse.stderr, /--model only applies to the model tiers: add --deep/);
    });
  });
});
