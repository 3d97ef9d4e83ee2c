import { existsSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { calibrateClauses, collectAllUnits, runClauseTests, tally } from '../engine/clauseTests';
import { DiskCache } from '../engine/clauseTests/cache';
import type { ClauseTestUnit, UnitResult } from '../engine/clauseTests/types';
import { CALIBRATION_MESSAGE } from '../engine/clauseTests/types';
import { formatHtmlReport } from '../engine/clauseTests/htmlReport';
import type { Logger } from '../engine/host';
import { ModelClient } from '../engine/llm/client';
import { ModelError, redact } from '../engine/llm/errors';
import { resolveModelSettings, SettingsError, type ModelSettings, type ModelSettingsInput } from '../engine/llm/settings';
import { resolveConfig } from '../engine/config';
import { SpecWorkspace } from '../engine/workspace';
import { nodeFileSystem } from '../node/fileSystem';
import { loadConfigFile } from '../node/loadConfig';
import { UsageError } from './usage';

export interface TestOptions {
  targets: string[];
  clause?: string;
  model: ModelSettingsInput;
  calibrate: boolean;
  cache: boolean;
  cacheDir?: string;
  format: 'text' | 'json' | 'junit' | 'html';
  cwd: string;
  /** From the environment only. */
  apiKey?: string;
  signal?: AbortSignal;
  /** For tests: backoff without long waits. */
  backoffMs?: number;
}

export const TEST_FLAGS = ['clause', 'base-url', 'model', 'grader-model', 'grader-base-url', 'concurrency', 'temperature', 'max-tokens', 'timeout', 'retries', 'format', 'cache-dir'];
export const TEST_SWITCHES = ['calibrate', 'no-cache', 'map-developer-to-system'];

/** The default cache folder: the user's cache directory, never the spec's folder. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), '.cache');
  return path.join(base || os.tmpdir(), 'clarifier', 'clause-tests');
}

/** Parses `clarifier test` flags into options; throws UsageError with what to write instead. */
export function testOptionsFromFlags(positional: string[], flags: Record<string, string | true>, cwd: string, env: NodeJS.ProcessEnv): TestOptions {
  for (const flag of Object.keys(flags)) if (!TEST_FLAGS.includes(flag) && !TEST_SWITCHES.includes(flag)) throw new UsageError(`clarifier test: unknown option --${flag}`);
  const number = (name: string): number | undefined => {
    const value = flags[name];
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (value === true || Number.isNaN(parsed)) throw new UsageError(`clarifier test: --${name} needs a number, e.g. --${name} 4`);
    return parsed;
  };
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const format = text('format') ?? 'text';
  if (!['text', 'json', 'junit', 'html'].includes(format)) throw new UsageError(`clarifier test: --format must be text, json, junit or html, not "${format}"`);
  return {
    targets: positional,
    clause: text('clause'),
    model: {
      baseUrl: text('base-url') ?? env.OPENAI_BASE_URL,
      model: text('model'),
      graderModel: text('grader-model'),
      graderBaseUrl: text('grader-base-url'),
      concurrency: number('concurrency'),
      temperature: number('temperature'),
      maxTokens: number('max-tokens'),
      timeoutMs: number('timeout'),
      retries: number('retries'),
      mapDeveloperToSystem: flags['map-developer-to-system'] ? true : undefined,
    },
    calibrate: !!flags.calibrate,
    cache: !flags['no-cache'],
    cacheDir: text('cache-dir'),
    format: format as TestOptions['format'],
    cwd,
    apiKey: env.OPENAI_API_KEY || undefined,
  };
}

/**
 * Runs the examples of every clause in the targets. Exit code: 0 all passed, 1 an example failed
 * (or calibration found a clause whose references the grader cannot separate), 2 a configuration
 * or endpoint error. Output never contains the API key.
 */
export async function runTests(options: TestOptions, write: (text: string) => void, logger: Logger): Promise<number> {
  let settings: ModelSettings;
  try {
    settings = resolveModelSettings(options.model);
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(`clarifier test: ${error.message}`);
    throw error;
  }
  if (!options.targets.length) throw new UsageError('clarifier test: name at least one spec file or folder, e.g. clarifier test spec/');
  const files: string[] = [];
  const folders: string[] = [];
  for (const target of options.targets) {
    const absolute = path.resolve(options.cwd, target);
    if (!existsSync(absolute)) throw new UsageError(`clarifier test: ${target}: no such file or folder`);
    (statSync(absolute).isDirectory() ? folders : files).push(absolute);
  }
  const roots = [...new Set([...folders, ...files.map((file) => path.dirname(file))])];
  const workspace = new SpecWorkspace(nodeFileSystem, logger, roots.map((root) => URI.file(root).toString()));
  workspace.setConfig(resolveConfig(loadConfigFile(options.cwd)?.config));
  await workspace.scan();
  const explicit = new Set(files.map((file) => URI.file(file).toString()));
  for (const uri of explicit) workspace.markAsSpec(uri);
  const inTargets = (uri: string) => explicit.has(uri) || folders.some((folder) => URI.parse(uri).fsPath.startsWith(folder + path.sep));
  let units = collectAllUnits(workspace, inTargets);
  if (options.clause) {
    const wanted = options.clause;
    units = units.filter((unit) => unit.id === wanted || unit.sectionId === wanted);
    if (!units.length) throw new UsageError(`clarifier test: no clause or section "${wanted}" with examples in ${options.targets.join(', ')}`);
  }
  if (!units.length) {
    logger.warn('no examples to run: no clause has an examples/<id>.md file and no section has an **Example**: transcript');
    write(format(options, settings, []));
    return 0;
  }
  const client = new ModelClient({ apiKey: options.apiKey, concurrency: settings.concurrency, logger, backoffMs: options.backoffMs });
  const cache = options.cache ? new DiskCache(options.cacheDir ? path.resolve(options.cwd, options.cacheDir) : defaultCacheDir(), (error) => logger.warn('cannot write the clause-test cache', { error: error.message })) : undefined;
  let results: UnitResult[];
  try {
    const run = options.calibrate ? calibrateClauses : runClauseTests;
    results = await run(units, { client, settings, cache, signal: options.signal, logger });
  } catch (error) {
    if (error instanceof ModelError) {
      process.stderr.write(`clarifier test: ${redact(error.message, options.apiKey)}\n`);
      return 2;
    }
    throw error;
  } finally {
    await cache?.close();
  }
  write(format(options, settings, results, units));
  const failed = options.calibrate ? results.some((r) => r.calibration?.some((c) => !c.agrees)) : results.some((r) => r.examples.some((e) => e.status === 'failed' || e.status === 'error'));
  return failed ? 1 : 0;
}

function format(options: TestOptions, settings: ModelSettings, results: UnitResult[], units: ClauseTestUnit[] = []): string {
  const relative = (uri: string) => path.relative(options.cwd, URI.parse(uri).fsPath) || URI.parse(uri).fsPath;
  if (options.format === 'json') return formatJson(results, settings, relative);
  if (options.format === 'junit') return formatJunit(results, relative, options.calibrate);
  if (options.format === 'html') return formatHtmlReport(results, units, { model: settings.candidate.model, graders: [settings.grader.model], where: (uri, line) => `${relative(uri)}:${line}`, generatedAt: Date.now(), calibrate: options.calibrate });
  return formatText(results, settings, relative, options.calibrate, units.length);
}

export function formatJson(results: UnitResult[], settings: ModelSettings, relative: (uri: string) => string): string {
  const units = results.map((unit) => ({
    ...unit,
    uri: undefined,
    file: relative(unit.uri),
    line: unit.range.start.line + 1,
    examples: unit.examples.map((e) => ({ ...e, uri: undefined, file: relative(e.uri), line: e.range.start.line + 1 })),
    calibration: unit.calibration?.map((c) => ({ ...c, uri: undefined, file: relative(c.uri), line: c.range.start.line + 1 })),
  }));
  return JSON.stringify({ model: settings.candidate.model, baseUrl: settings.candidate.baseUrl, grader: settings.grader.model, graderBaseUrl: settings.grader.baseUrl, units }, null, 2) + '\n';
}

export function formatText(results: UnitResult[], settings: ModelSettings, relative: (uri: string) => string, calibrate: boolean, unitCount: number): string {
  const lines: string[] = [];
  if (!unitCount) return 'No examples to run.\n';
  let passed = 0;
  let failed = 0;
  let cached = 0;
  let tokens = 0;
  for (const unit of results) {
    const where = `${relative(unit.uri)}:${unit.range.start.line + 1}`;
    const label = `${unit.kind} ${unit.unitId}`;
    if (calibrate) {
      const bad = (unit.calibration ?? []).filter((c) => !c.agrees);
      if (!unit.calibration?.length) continue;
      lines.push(`${bad.length ? '✗' : '✓'} ${where} ${label}: grader agrees with ${unit.calibration.length - bad.length}/${unit.calibration.length} labelled references`);
      if (bad.length) lines.push(`    ${CALIBRATION_MESSAGE}`);
      for (const c of bad) lines.push(`    ${c.label} reference of "${c.title}" (${relative(c.uri)}:${c.range.start.line + 1}) was ${c.verdict ? (c.verdict.pass ? 'passed' : 'failed') : 'not graded: ' + c.message}${c.verdict?.rationale ? `: ${c.verdict.rationale}` : ''}`);
      passed += unit.calibration.length - bad.length;
      failed += bad.length;
      continue;
    }
    const count = tally(unit);
    const ran = count.total - count.skipped;
    lines.push(`${count.failed + count.errors ? '✗' : '✓'} ${where} ${label}: ${count.passed}/${ran} passed${count.skipped ? `, ${count.skipped} skipped` : ''}`);
    for (const example of unit.examples) {
      tokens += example.promptTokens + example.completionTokens;
      if (example.cached) cached++;
      if (example.status === 'passed') passed++;
      if (example.status === 'failed' || example.status === 'error') failed++;
      if (example.status === 'failed') lines.push(`    ✗ ${example.title} (${relative(example.uri)}:${example.range.start.line + 1}): ${example.verdict?.rationale || 'failed'}`);
      if (example.status === 'error') lines.push(`    ! ${example.title} (${relative(example.uri)}:${example.range.start.line + 1}): ${example.message}`);
    }
  }
  const what = calibrate ? 'references' : 'examples';
  lines.push('', `${passed} ${what} passed, ${failed} failed · model ${settings.candidate.model} · grader ${settings.grader.model}${calibrate ? '' : ` · ${cached} from cache · ${tokens} tokens`}`);
  return lines.join('\n') + '\n';
}

function xml(text: string): string {
  // XML 1.0 has no place for most control characters
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One test suite per clause, one test case per example (or per labelled reference when calibrating). */
export function formatJunit(results: UnitResult[], relative: (uri: string) => string, calibrate: boolean): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let totalTime = 0;
  for (const unit of results) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    let suiteSkipped = 0;
    let suiteTime = 0;
    const classname = xml(`${relative(unit.uri)}.${unit.unitId}`);
    if (calibrate) {
      for (const c of unit.calibration ?? []) {
        const name = xml(`${c.title} · ${c.label} reference`);
        if (c.agrees) cases.push(`    <testcase classname="${classname}" name="${name}" time="0"/>`);
        else {
          suiteFailures++;
          cases.push(`    <testcase classname="${classname}" name="${name}" time="0">\n      <failure message="${xml(CALIBRATION_MESSAGE)}">${xml(`${c.label} reference was ${c.verdict ? (c.verdict.pass ? 'passed' : 'failed') : 'not graded'}: ${c.verdict?.rationale ?? c.message ?? ''}`)}</failure>\n    </testcase>`);
        }
      }
    } else {
      for (const e of unit.examples) {
        const time = (e.durationMs / 1000).toFixed(3);
        suiteTime += e.durationMs / 1000;
        const open = `    <testcase classname="${classname}" name="${xml(e.title)}" file="${xml(relative(e.uri))}" line="${e.range.start.line + 1}" time="${time}"`;
        if (e.status === 'passed') cases.push(`${open}/>`);
        else if (e.status === 'skipped') {
          suiteSkipped++;
          cases.push(`${open}>\n      <skipped message="${xml(e.message ?? '')}"/>\n    </testcase>`);
        } else if (e.status === 'failed') {
          suiteFailures++;
          cases.push(`${open}>\n      <failure message="${xml(e.verdict?.rationale ?? 'failed')}" type="verdict">${xml(`score ${e.verdict?.score ?? 0}\n\nAnswer:\n${e.answer ?? ''}`)}</failure>\n    </testcase>`);
        } else {
          suiteErrors++;
          cases.push(`${open}>\n      <error message="${xml(e.message ?? 'error')}"/>\n    </testcase>`);
        }
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    totalTime += suiteTime;
    suites.push(`  <testsuite name="${xml(`${unit.unitId}: ${unit.title.slice(0, 120)}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${suiteSkipped}" time="${suiteTime.toFixed(3)}" timestamp="${new Date(unit.finishedAt).toISOString()}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="clarifier clause tests" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${totalTime.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
