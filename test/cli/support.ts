import { execFile, spawnSync } from 'child_process';
import * as os from 'os';
import { readFileSync } from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/corpus';

export const FIXTURES = path.join(REPO_ROOT, 'test', 'cli', 'fixtures');
export const CLARIFIER_BIN = path.join(REPO_ROOT, 'bin', 'clarifier.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

let built = false;

/** Bundles dist/ once per test run, so that the tests exercise the CLI users run, not a stale build. */
export function ensureBuilt(): void {
  if (built) return;
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}\n${build.stderr}`);
  built = true;
}

/** Longer than any CLI run of the tests takes; only a hang reaches it. */
export const CLI_RUN_LIMIT_MS = 5 * 60_000;

/** Runs `clarifier ...args` as a child process, the way a user or CI does. */
export function clarifier(args: string[], cwd = FIXTURES, input?: string): CliRun {
  ensureBuilt();
  const result = spawnSync(process.execPath, [CLARIFIER_BIN, ...args], {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
    // a synchronous run blocks mocha's own timeout: a hang is ended here, and fails the test by name
    timeout: CLI_RUN_LIMIT_MS,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface AsyncCliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI in a child process with only PATH, a throwaway HOME and the environment given (no
 * OPENAI_API_KEY leaks in from the shell). Asynchronous, so that a mock server in this process can answer it.
 */
export function clarifierWithEnv(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<AsyncCliRun> {
  ensureBuilt();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLARIFIER_BIN, ...args],
      { cwd, env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
      },
    );
  });
}

export interface JsonRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface JsonReport {
  version: number;
  files: {
    path: string;
    diagnostics: {
      code: string;
      severity: string;
      message: string;
      range: JsonRange;
      related: { path: string; range: JsonRange; message: string }[];
    }[];
  }[];
}

/** The text a 0-based LSP range covers, sliced with JS string (UTF-16) indices of its line. */
export function textAt(file: string, range: JsonRange): string {
  const lines = readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
  if (range.start.line !== range.end.line) throw new Error('textAt handles single-line ranges only');
  return lines[range.start.line].slice(range.start.character, range.end.character);
}
