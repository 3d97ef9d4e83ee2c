// `npm run bench`: side-by-side timings, never a pass/fail test.
//  (a) cold CLI lint of the Model Spec corpus against markdownlint-cli2 (default rules) on the same files,
//      repetitions interleaved so that both see the same machine load;
//  (b) over LSP stdio against dist/server.js: a one-character didChange on model_spec.md until the
//      fresh textDocument/diagnostic result arrives, at many places in the file.
import { corpusAvailable } from '../precision/corpus';
import { fixtureReportLines } from '../precision/conflictFixtures';
import { judgedSample, precisionTable, recallReport, runCorpus } from '../precision/report';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { exitWithoutModelSpec, MODEL_SPEC_DIR, REPO_ROOT } from '../support/corpus';
import { DENSE_SHAPES, HOSTILE_INPUTS } from '../support/hostileInputs';

const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 7);
const EDIT_PLACES = Number(process.env.BENCH_EDIT_PLACES ?? 25);
const WARMUP_EDITS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * CPU time (user + system, ms) of a process from /proc, or of this process's reaped children with
 * 'children'. Wall time on a shared machine mostly measures the neighbours; CPU time much less so.
 * Undefined where /proc is missing (not Linux).
 */
function cpuMs(pid: number | 'children'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid === 'children' ? 'self' : pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after the command: utime is the 12th, stime 13th, cutime 14th, cstime 15th (0-based 11..14)
    const ticks =
      pid === 'children' ? Number(fields[13]) + Number(fields[14]) : Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

function timeCommand(args: string[], cwd: string): { ms: number; cpu?: number; status: number | null; stdout: string } {
  const cpuBefore = cpuMs('children');
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  const cpuAfter = cpuMs('children');
  if (result.error) throw result.error;
  return {
    ms,
    cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    status: result.status,
    stdout: result.stdout.toString('utf8'),
  };
}

interface CliTimes {
  clarifier: number[];
  markdownlint: number[];
  clarifierCpu: number[];
  markdownlintCpu: number[];
  statuses: string;
}

function benchCli(): CliTimes {
  const scratch = mkdtempSync(path.join(tmpdir(), 'clarifier-bench-'));
  try {
    // An empty config: markdownlint-cli2 runs its default rules, and no config file of ours is picked up.
    const markdownlintConfig = path.join(scratch, '.markdownlint-cli2.jsonc');
    writeFileSync(markdownlintConfig, '{}\n');
    const clarifierConfig = path.join(scratch, '.clarifier.json');
    writeFileSync(clarifierConfig, '{}\n');
    const targets = ['model_spec.md', 'examples/*.md'];
    const clarifierArgs = [
      path.join(REPO_ROOT, 'bin', 'clarifier.js'),
      'lint',
      ...targets,
      '--format',
      'json',
      '--config',
      clarifierConfig,
    ];
    const markdownlintArgs = [
      path.join(REPO_ROOT, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs'),
      '--config',
      markdownlintConfig,
      ...targets,
    ];
    const clarifier: number[] = [];
    const markdownlint: number[] = [];
    const clarifierCpu: number[] = [];
    const markdownlintCpu: number[] = [];
    const statuses = new Set<string>();
    for (let run = 0; run < CLI_RUNS; run++) {
      // alternate which goes first, so neither always inherits a warm file cache from the other
      const order = run % 2 ? ['markdownlint', 'clarifier'] : ['clarifier', 'markdownlint'];
      for (const which of order) {
        const result = timeCommand(which === 'clarifier' ? clarifierArgs : markdownlintArgs, MODEL_SPEC_DIR);
        if (result.status === 2) throw new Error(`${which} failed with exit code 2 on the corpus`);
        statuses.add(`${which} exit ${result.status}`);
        (which === 'clarifier' ? clarifier : markdownlint).push(result.ms);
        if (result.cpu !== undefined) (which === 'clarifier' ? clarifierCpu : markdownlintCpu).push(result.cpu);
      }
    }
    return { clarifier, markdownlint, clarifierCpu, markdownlintCpu, statuses: [...statuses].sort().join(', ') };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Budget for one file of up to 10 MB, cold, through the CLI (issue 9). */
const HOSTILE_BUDGET_MS = 10_000;

interface HostileTime {
  what: string;
  ms: number;
  cpu?: number;
  status: number | null;
  /** Where a file has more sentences than maxAnalyzedSentences: "20,000 of 345,290" (see analysis-limit). */
  analysed?: string;
}

/** "20,000 of 345,290" from an analysis-limit finding in a JSON report, if there is one. */
function analysedSentences(jsonReport: string): string | undefined {
  const found = /this file has ([\d,]+) sentences outside tables and they read the first ([\d,]+)/.exec(jsonReport);
  return found ? `${found[2]} of ${found[1]}` : undefined;
}

/** Each input that once broke or stalled a run, linted alone by the CLI: wall and CPU time, and the exit code (2 = crash). */
function benchHostileInputs(): HostileTime[] {
  const scratch = mkdtempSync(path.join(tmpdir(), 'clarifier-bench-hostile-'));
  try {
    // besides the generated inputs, a real spec's shape at 10 MB: the Model Spec pasted into itself
    // (real Markdown through remark, thousands of clauses for the conflict index, repeated ids)
    const modelSpec = readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8');
    const pasted = {
      file: 'model-spec-pasted.md',
      what: 'the Model Spec pasted into itself to 10 MB',
      text: () =>
        Array.from({ length: Math.floor((10 * 1024 * 1024) / Buffer.byteLength(modelSpec)) }, () => modelSpec).join(
          '\n\n',
        ),
    };
    const dense = DENSE_SHAPES.map((shape) => ({
      file: shape.file,
      what: `10 MB: ${shape.what}`,
      text: () => shape.text(10 * 1024 * 1024),
    }));
    return [...HOSTILE_INPUTS, pasted, ...dense].map((input) => {
      writeFileSync(path.join(scratch, input.file), input.text());
      const result = timeCommand(
        [path.join(REPO_ROOT, 'bin', 'clarifier.js'), 'lint', input.file, '--all', '--format', 'json'],
        scratch,
      );
      rmSync(path.join(scratch, input.file));
      return {
        what: input.what,
        ms: result.ms,
        cpu: result.cpu,
        status: result.status,
        analysed: analysedSentences(result.stdout),
      };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface LspSession {
  connection: MessageConnection;
  child: ChildProcess;
}

async function startServer(): Promise<LspSession> {
  // BENCH_PROFILE_DIR=folder writes a V8 CPU profile of the server there, to see where an edit's time goes
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onNotification('window/logMessage', () => {});
  connection.listen();
  const rootUri = pathToFileURL(MODEL_SPEC_DIR).toString();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'model-spec' }],
    capabilities: { textDocument: { diagnostic: { dynamicRegistration: false }, synchronization: { didSave: true } } },
  });
  await connection.sendNotification('initialized', {});
  return { connection, child };
}

/** Lines of running prose in the middle of the file, spread evenly, where a one-letter typo is typical. */
function editPlaces(text: string, count: number): { line: number; character: number }[] {
  const lines = text.split('\n');
  let inFence = false;
  const prose: number[] = [];
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && /^[A-Za-z].{40,}/.test(line)) prose.push(index);
  });
  return Array.from({ length: count }, (_, i) => {
    const line = prose[Math.floor(((i + 0.5) * prose.length) / count)];
    const character = lines[line].indexOf(' ', 20) + 1 || 1;
    return { line, character };
  });
}

async function benchEdits(): Promise<{
  insert: number[];
  remove: number[];
  findings: number;
  serverCpuPerEdit?: number;
}> {
  const { connection, child } = await startServer();
  try {
    const uri = pathToFileURL(path.join(MODEL_SPEC_DIR, 'model_spec.md')).toString();
    const text = readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8');
    let version = 1;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version, text },
    });
    const pull = () =>
      connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }) as Promise<{
        kind: string;
        items: unknown[];
      }>;
    const first = await pull(); // waits for the workspace scan
    const edit = async (line: number, character: number, insert: boolean) => {
      const start = performance.now();
      const range = { start: { line, character }, end: { line, character: insert ? character : character + 1 } };
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range, text: insert ? 'x' : '' }],
      });
      const result = await pull();
      if (result.kind !== 'full') throw new Error(`expected a full diagnostic report, got ${result.kind}`);
      return performance.now() - start;
    };
    const places = editPlaces(text, EDIT_PLACES);
    for (let i = 0; i < WARMUP_EDITS; i++) {
      const place = places[(i * 7) % places.length];
      await edit(place.line, place.character, true);
      await edit(place.line, place.character, false);
    }
    const insert: number[] = [];
    const remove: number[] = [];
    const cpuBefore = cpuMs(child.pid!);
    for (const place of places) {
      insert.push(await edit(place.line, place.character, true));
      remove.push(await edit(place.line, place.character, false));
    }
    const cpuAfter = cpuMs(child.pid!);
    const serverCpuPerEdit =
      cpuBefore !== undefined && cpuAfter !== undefined
        ? (cpuAfter - cpuBefore) / (insert.length + remove.length)
        : undefined;
    await connection.sendRequest('shutdown');
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      setTimeout(resolve, 5000).unref();
    });
    await connection.sendNotification('exit');
    await exited; // lets the server write its CPU profile
    return { insert, remove, findings: first.items.length, serverCpuPerEdit };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(11);

async function main() {
  exitWithoutModelSpec('npm run bench');
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the build failed');
  console.log(`corpus: ${MODEL_SPEC_DIR}`);
  console.log(
    `node ${process.version}, ${CLI_RUNS} interleaved CLI runs, ${EDIT_PLACES * 2} LSP edits (after ${WARMUP_EDITS * 2} warm-up edits)\n`,
  );

  const cli = benchCli();
  const hostile = benchHostileInputs();
  const edits = await benchEdits();
  const all = [...edits.insert, ...edits.remove];

  console.log('(a) cold CLI lint of model_spec.md + examples/*.md       median        p90        min');
  console.log(
    `    clarifier lint                                    ${fmt(median(cli.clarifier))}${fmt(percentile(cli.clarifier, 90))}${fmt(Math.min(...cli.clarifier))}`,
  );
  console.log(
    `    markdownlint-cli2 (default rules)                 ${fmt(median(cli.markdownlint))}${fmt(percentile(cli.markdownlint, 90))}${fmt(Math.min(...cli.markdownlint))}`,
  );
  console.log(
    `    ratio clarifier / markdownlint-cli2 (medians)     ${(median(cli.clarifier) / median(cli.markdownlint)).toFixed(2).padStart(9)}x   (target <= 1.00)`,
  );
  if (cli.clarifierCpu.length && cli.markdownlintCpu.length) {
    console.log(
      `    CPU time (user+system), clarifier                 ${fmt(median(cli.clarifierCpu))}${fmt(percentile(cli.clarifierCpu, 90))}${fmt(Math.min(...cli.clarifierCpu))}`,
    );
    console.log(
      `    CPU time (user+system), markdownlint-cli2         ${fmt(median(cli.markdownlintCpu))}${fmt(percentile(cli.markdownlintCpu, 90))}${fmt(Math.min(...cli.markdownlintCpu))}`,
    );
    console.log(
      `    ratio of CPU medians                              ${(median(cli.clarifierCpu) / median(cli.markdownlintCpu)).toFixed(2).padStart(9)}x`,
    );
  }
  console.log(`    exit codes: ${cli.statuses}\n`);
  console.log(
    `(a2) cold CLI lint of each input that once broke or stalled a run, and a real spec at 10 MB (budget ${HOSTILE_BUDGET_MS / 1000} s each)   wall        CPU   exit`,
  );
  for (const input of hostile) {
    const verdict = input.status === 2 ? 'CRASHED' : input.ms <= HOSTILE_BUDGET_MS ? 'within budget' : 'OVER BUDGET';
    console.log(
      `    ${input.what.padEnd(60)}${fmt(input.ms)}${input.cpu !== undefined ? fmt(input.cpu) : '          -'}      ${input.status}   ${verdict}${input.analysed ? `; wording and conflicts read ${input.analysed} sentences (analysis-limit)` : ''}`,
    );
  }
  console.log('');
  console.log('(b) LSP: one-character didChange on model_spec.md -> fresh textDocument/diagnostic');
  console.log(
    `    insert one character (${edits.insert.length} places)                  ${fmt(median(edits.insert))}${fmt(percentile(edits.insert, 90))}${fmt(Math.min(...edits.insert))}`,
  );
  console.log(
    `    delete it again (${edits.remove.length} places)                       ${fmt(median(edits.remove))}${fmt(percentile(edits.remove, 90))}${fmt(Math.min(...edits.remove))}`,
  );
  console.log(
    `    all ${all.length} edits                                     ${fmt(median(all))}${fmt(percentile(all, 90))}${fmt(Math.min(...all))}`,
  );
  console.log(
    `    ratio median / 25 ms target                       ${(median(all) / 25).toFixed(2).padStart(9)}x   (target <= 1.00; ${edits.findings} diagnostics on open)`,
  );
  if (edits.serverCpuPerEdit !== undefined)
    console.log(`    server CPU time per edit (mean, from /proc)       ${fmt(edits.serverCpuPerEdit)}`);
  console.log(
    '\n(c) ambiguity precision per rule and document kind, from the hand-judged sample (test/precision/corpus-sample.json)',
  );
  if (!corpusAvailable()) console.log('    skipped: ../shared/corpus/real-specs is not beside the repository');
  else {
    const run = runCorpus();
    for (const line of precisionTable(judgedSample(), run).lines) console.log(`    ${line}`);
    for (const line of recallReport(run).lines) console.log(`    ${line}`);
  }
  console.log(
    '\n(d) conflicts (default tier) on our requirement fixtures (test/engine/fixtures/conflicts/bench; held-out never tuned on)',
  );
  for (const line of fixtureReportLines()) console.log(`    ${line}`);
  console.log(
    `\nload average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs (wall times on a busy machine are upper bounds)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
