/**
 * Clause-test throughput against the local mock server: all examples of the Model Spec at
 * concurrency c with every answer delayed by d ms. Ideal = ceil(examples / c) x 2d (one answer
 * and one verdict per example). Also times a fully cached re-run, and a run against a serial
 * server (one request at a time, like llama.cpp on a CPU) with a 2 s answer delay, with the
 * defaults a loopback endpoint gets: ideal = requests x 2 s. Then `--repeat 3` with two graders on
 * every Model Spec example against a serial server (3 answers and 6 verdicts per example), as a ratio
 * to the ideal time requests x delay / concurrency, and to as many bare requests to the same server
 * measured in the same run (what this machine's round trips cost, runner aside). The serial server's
 * delay is 25 ms, not the seconds a real CPU server takes: 4,068 requests then take minutes, not hours,
 * and the second ratio hardly depends on the delay. Reports, never asserts.
 * Usage: node --import tsx test/bench/clauseTests.ts [--delay 50] [--concurrency 4,16] [--serial-examples 6] [--serial-delay 2000]
 *        [--repeat-delay 25] [--repeat-examples all] [--only repeat]
 */
import { execFile, fork } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { URI } from 'vscode-uri';
import { collectAllUnits, runClauseTests } from '../../server/src/engine/clauseTests';
import { DiskCache } from '../../server/src/node/diskCache';
import { silentLogger } from '../../server/src/engine/host';
import { ModelClient } from '../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../server/src/engine/llm/settings';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { exitWithoutModelSpec, MODEL_SPEC_DIR } from '../support/corpus';

/** A mock server in its own process; resolves with its base URL. */
async function startServer(delay: number, serial = false) {
  const child = fork(path.join(__dirname, 'mockServerProcess.ts'), [String(delay), serial ? 'serial' : 'parallel'], {
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`the mock server process exited with ${code}`)));
  });
  return { url, stop: () => child.disconnect() };
}

/**
 * A local CPU server answers one request at a time. With the loopback defaults (concurrency 1, a
 * long timeout counted from sending) the run should take requests x delay and never time out.
 */
async function serialRun(units: ReturnType<typeof collectAllUnits>): Promise<void> {
  const delay = Number(arg('serial-delay', '2000'));
  const wanted = Number(arg('serial-examples', '6'));
  const picked: typeof units = [];
  let count = 0;
  for (const unit of units) {
    if (count >= wanted) break;
    const examples = unit.examples.filter((e) => !e.skip).slice(0, wanted - count);
    if (!examples.length) continue;
    picked.push({ ...unit, examples });
    count += examples.length;
  }
  const server = await startServer(delay, true);
  try {
    const settings = resolveModelSettings({ baseUrl: server.url, retries: 0 });
    const started = performance.now();
    const results = await runClauseTests(picked, {
      client: new ModelClient({ concurrency: settings.concurrency }),
      settings,
    });
    const elapsed = performance.now() - started;
    const all = results.flatMap((u) => u.examples);
    const errors = all.filter((e) => e.status === 'error');
    const ideal = count * 2 * delay;
    console.log(
      `serial server (one at a time, ${delay} ms per answer), loopback defaults c=${settings.concurrency} timeout ${settings.candidate.timeoutMs / 1000} s: ${count} examples, ${count * 2} requests, ` +
        `${elapsed.toFixed(0)} ms vs ideal serial ${ideal} ms -> ratio ${(elapsed / ideal).toFixed(3)} (target <= 1.05); ${errors.length} error(s)${errors.length ? `: ${errors[0].message}` : ''}`,
    );
  } finally {
    server.stop();
  }
}

/**
 * The floor of one request on this machine right now: plain sequential POSTs to the same server, no
 * runner. On a loaded 2-core machine a round trip between two processes costs tens of ms, which no
 * runner can avoid; measured side by side, it tells the runner's own overhead from the machine's.
 */
async function bareRequestMs(url: string, count: number): Promise<number> {
  const body = JSON.stringify({ model: 'bare', messages: [{ role: 'user', content: 'Hello' }] });
  const target = new URL(`${url}/chat/completions`);
  // one kept-alive connection, as the runner's client keeps one
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', resolve);
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  try {
    await once(); // the connection, outside the measurement
    const started = performance.now();
    for (let i = 0; i < count; i++) await once();
    return (performance.now() - started) / count;
  } finally {
    agent.destroy();
  }
}

/**
 * `--repeat 3` with two graders, as a user with a local CPU server runs it: every request goes to one
 * serial server, with the loopback defaults (concurrency 1). Ideal = requests x delay / concurrency:
 * anything above it is the runner's own overhead (queueing, JSON, the cache-less HTTP round trips)
 * plus the machine's (a round trip between two processes). The second ratio divides by requests x
 * the time one bare request took on the same server in the same run, so only the runner's part is left.
 */
async function repeatWithGraders(units: ReturnType<typeof collectAllUnits>): Promise<void> {
  const delay = Number(arg('repeat-delay', '25'));
  const wanted = arg('repeat-examples', 'all');
  const limit = wanted === 'all' ? Infinity : Number(wanted);
  const picked: typeof units = [];
  let examples = 0;
  for (const unit of units) {
    if (examples >= limit) break;
    const runnable = unit.examples.filter((e) => !e.skip).slice(0, limit - examples);
    if (!runnable.length) continue;
    picked.push({ ...unit, examples: runnable });
    examples += runnable.length;
  }
  const repeat = 3;
  const server = await startServer(delay, true);
  try {
    const settings = resolveModelSettings({
      baseUrl: server.url,
      graderModel: 'grader-a,grader-b',
      temperature: 0.7,
      retries: 0,
    });
    const requests = examples * repeat * (1 + settings.graders.length);
    const graders = settings.graders.length;
    const client = new ModelClient({ concurrency: settings.concurrency });
    // in ten slices, each after ten bare requests: the machine's load changes over minutes, so each
    // slice is compared with the round trip measured just before it
    const sliceSize = Math.ceil(picked.length / 10);
    const results: Awaited<ReturnType<typeof runClauseTests>> = [];
    let elapsed = 0;
    let floor = 0;
    for (let start = 0; start < picked.length; start += sliceSize) {
      const slice = picked.slice(start, start + sliceSize);
      const sliceRequests = slice.reduce((n, u) => n + u.examples.length, 0) * repeat * (1 + graders);
      const bare = await bareRequestMs(server.url, 10);
      const started = performance.now();
      results.push(...(await runClauseTests(slice, { client, settings, repeat, context: 'none' })));
      elapsed += performance.now() - started;
      floor += (sliceRequests * bare) / settings.concurrency;
    }
    const bare = (floor * settings.concurrency) / requests;
    const ideal = (requests * delay) / settings.concurrency;
    const errors = results.flatMap((u) => u.examples).filter((e) => e.status === 'error');
    console.log(
      `--repeat ${repeat}, graders ${settings.graders.map((g) => g.model).join('+')}, serial server ${delay} ms per request, c=${settings.concurrency}: ${examples} examples, ${requests} requests, ` +
        `${elapsed.toFixed(0)} ms vs ideal ${ideal.toFixed(0)} ms (requests x delay / concurrency) -> ratio ${(elapsed / ideal).toFixed(3)}, ` +
        `runner and machine overhead ${((elapsed - ideal) / requests).toFixed(1)} ms per request; ` +
        `vs ${floor.toFixed(0)} ms for as many bare requests to the same server (${bare.toFixed(1)} ms each on average, measured before each tenth of the run) -> ratio ${(elapsed / floor).toFixed(3)}; ` +
        `${errors.length} error(s)${errors.length ? `: ${errors[0].message}` : ''}`,
    );
  } finally {
    server.stop();
  }
}

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main() {
  exitWithoutModelSpec('npm run bench:clausetests');
  const delay = Number(arg('delay', '50'));
  const concurrencies = arg('concurrency', '4,16').split(',').map(Number);
  let started = performance.now();
  const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(MODEL_SPEC_DIR).toString()]);
  await workspace.scan();
  const units = collectAllUnits(workspace);
  const examples = units.reduce((n, u) => n + u.examples.filter((e) => !e.skip).length, 0);
  const skipped = units.reduce((n, u) => n + u.examples.filter((e) => e.skip).length, 0);
  console.log(
    `Model Spec: ${units.length} units, ${examples} runnable examples (${skipped} skipped), indexed in ${(performance.now() - started).toFixed(0)} ms`,
  );
  if (arg('only', '') === 'repeat') return repeatWithGraders(units);
  const { url, stop } = await startServer(delay);
  try {
    for (const concurrency of concurrencies) {
      const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-bench-'));
      try {
        const settings = resolveModelSettings({ baseUrl: url, concurrency, retries: 0 });
        // a new cache object per run, as a new CLI process would have: the re-run reads the file back
        const run = async () => {
          const cache = new DiskCache(cacheDir);
          try {
            return await runClauseTests(units, { client: new ModelClient({ concurrency }), settings, cache });
          } finally {
            await cache.close();
          }
        };
        started = performance.now();
        const cpuBefore = process.cpuUsage();
        const first = await run();
        const cold = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        const ideal = Math.ceil(examples / concurrency) * 2 * delay;
        const requests = first.reduce(
          (n, u) => n + u.examples.filter((e) => !e.cached && e.status !== 'skipped').length * 2,
          0,
        );
        started = performance.now();
        const warm = await run();
        const cached = performance.now() - started;
        const allCached = warm.every((u) => u.examples.every((e) => e.cached || e.status === 'skipped'));
        console.log(
          `c=${concurrency} d=${delay}ms: ${requests} requests, cold ${cold.toFixed(0)} ms vs ideal ${ideal} ms -> ratio ${(cold / ideal).toFixed(3)} (target <= 1.15), runner CPU ${(cpuMs / requests).toFixed(2)} ms per request; ` +
            `cached re-run ${cached.toFixed(0)} ms${allCached ? '' : ' (NOT all cached)'} (target < 1000 ms)`,
        );
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    // end to end, as CI sees it: a CLI process that indexes the spec, then answers everything from the cache
    const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
    if (existsSync(cli)) {
      const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-bench-cli-'));
      try {
        const runCli = () =>
          new Promise<number>((resolve) => {
            const begun = performance.now();
            execFile(
              process.execPath,
              [
                cli,
                'test',
                MODEL_SPEC_DIR,
                '--base-url',
                url,
                '--concurrency',
                '16',
                '--cache-dir',
                cacheDir,
                '--format',
                'json',
              ],
              { maxBuffer: 64 * 1024 * 1024 },
              () => resolve(performance.now() - begun),
            );
          });
        const cold = await runCli();
        const cached = await runCli();
        console.log(
          `CLI (dist/cli.js, c=16): cold ${cold.toFixed(0)} ms, fully cached re-run ${cached.toFixed(0)} ms end to end (process start + indexing + cache)`,
        );
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    } else console.log('CLI timing skipped: run `npm run build` first');
  } finally {
    stop();
  }
  await serialRun(units);
  await repeatWithGraders(units);
}

void main();
