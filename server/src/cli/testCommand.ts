import { existsSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig } from '../engine/languageService';
import {
  CALIBRATION_MESSAGE,
  calibrateClauses,
  checkRunOptions,
  describeDisagreement,
  formatHtmlReport,
  graderDisagreements,
  GRADERS_DISAGREE_MESSAGE,
  isSpecContextSetting,
  ModelClient,
  ModelError,
  redact,
  resolveModelSettings,
  runClauseTests,
  RunOptionsError,
  SettingsError,
  stoppedRunResults,
  tally,
  type ClauseTestUnit,
  type ExampleResult,
  type Logger,
  type ModelSettings,
  type ModelSettingsInput,
  type SpecContextSetting,
  type UnitResult,
} from '../engine/modelFeatures';
import { DiskCache } from '../node/diskCache';
import { nodeFileSystem } from '../node/fileSystem';
import { loadConfigFile } from '../node/loadConfig';
import { loadTargets } from './readTargets';
import { UsageError } from './usage';

export interface TestOptions {
  targets: string[];
  clause?: string;
  model: ModelSettingsInput;
  calibrate: boolean;
  /** What of the spec the model under test sees; auto: per spec (see defaultContext). */
  context: SpecContextSetting;
  repeat: number;
  threshold: number;
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

export const TEST_FLAGS = [
  'context',
  'repeat',
  'threshold',
  'clause',
  'base-url',
  'model',
  'grader-model',
  'grader-base-url',
  'concurrency',
  'temperature',
  'max-tokens',
  'max-answer-bytes',
  'timeout',
  'retries',
  'format',
  'cache-dir',
];
export const TEST_SWITCHES = ['calibrate', 'no-cache', 'map-developer-to-system'];

export const TEST_USAGE = `Usage: clarifier test <files|folders> [options]

Runs each clause's examples against a model and has a grader model judge every answer against the clause.
A file is read with the files it links to and its examples/ folder, not the rest of its folder; a folder
is read whole and every spec in it is tested.

Options:
  --clause ID                 only the clause (marker id) or section (heading id) ID
  --base-url URL              OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else https://api.openai.com/v1);
                              a local server such as http://127.0.0.1:8080/v1 needs no key
  --model NAME                the model under test (default: gpt-4.1-mini)
  --context none|clause|section|spec
                              what of the spec the model under test sees before each example, as a
                              developer message: nothing, the clause, its section, or the whole spec
                              without its examples (default: auto; none for a spec with authority
                              levels like the Model Spec, which models are trained on; spec for
                              every other spec, which is the prompt)
  --repeat N                  sample each answer N times (default: 1)
  --threshold R               share of samples that must pass, 0 < R <= 1 (default: 1, every sample)
  --grader-model NAME[,NAME]  the model that grades (default: the model under test); several: each
                              grades each answer, the majority decides, a tie is an error
  --grader-base-url URL       the grader's endpoint, when it differs
  --concurrency N             requests at once (default: 4; 1 for a local server)
  --timeout MS                per request, from when it is sent (default: 60000; 600000 for a local server)
  --retries N                 attempts after the first on 429, 5xx, timeouts (default: 3)
  --max-tokens N              most tokens per answer (default: 1024)
  --max-answer-bytes N        larger answers are errors (default: 1048576)
  --temperature T             of the model under test (default: 0)
  --map-developer-to-system   send developer messages as system messages (most local servers)
  --calibrate                 grade the spec's own GOOD and BAD references instead
  --format text|json|junit|html  output on stdout (default: text); html is one self-contained page
  --no-cache                  ask again instead of reusing cached answers and verdicts
  --cache-dir DIR             where answers and verdicts are cached (default: the user's cache folder)

The API key is read from OPENAI_API_KEY, never from a flag.
Exit codes: 0 every example passed; 1 an example failed (the grader's verdict);
2 a setup or endpoint error (key, unreachable, rate limited, not a chat API, timeouts,
unreadable or cut-off answers): stderr says what to fix, and JUnit/JSON mark those examples as errors.`;

/** The default cache folder: the user's cache directory, never the spec's folder. */
export function defaultCacheDir(): string {
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) ||
    path.join(os.homedir(), '.cache');
  return path.join(base || os.tmpdir(), 'clarifier', 'clause-tests');
}

/** Parses `clarifier test` flags into options; throws UsageError with what to write instead. */
export function testOptionsFromFlags(
  positional: string[],
  flags: Record<string, string | true>,
  cwd: string,
  env: NodeJS.ProcessEnv,
): TestOptions {
  for (const flag of Object.keys(flags))
    if (!TEST_FLAGS.includes(flag) && !TEST_SWITCHES.includes(flag))
      throw new UsageError(`clarifier test: unknown option --${flag}`);
  const number = (name: string): number | undefined => {
    const value = flags[name];
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (value === true || Number.isNaN(parsed))
      throw new UsageError(`clarifier test: --${name} needs a number, e.g. --${name} 4`);
    return parsed;
  };
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const format = text('format') ?? 'text';
  const context = text('context') ?? 'auto';
  if (!isSpecContextSetting(context))
    throw new UsageError(`clarifier test: --context must be none, clause, section, spec or auto, not "${context}"`);
  const repeat = number('repeat') ?? 1;
  const threshold = number('threshold') ?? 1;
  try {
    checkRunOptions({ repeat, threshold });
  } catch (error) {
    if (error instanceof RunOptionsError) throw new UsageError(`clarifier test: --${error.message}`);
    throw error;
  }
  if (!['text', 'json', 'junit', 'html'].includes(format))
    throw new UsageError(`clarifier test: --format must be text, json, junit or html, not "${format}"`);
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
      maxAnswerBytes: number('max-answer-bytes'),
      timeoutMs: number('timeout'),
      retries: number('retries'),
      mapDeveloperToSystem: flags['map-developer-to-system'] ? true : undefined,
    },
    calibrate: !!flags.calibrate,
    context,
    repeat,
    threshold,
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
  if (!options.targets.length)
    throw new UsageError('clarifier test: name at least one spec file or folder, e.g. clarifier test spec/');
  const files: string[] = [];
  const folders: string[] = [];
  for (const target of options.targets) {
    const absolute = path.resolve(options.cwd, target);
    if (!existsSync(absolute)) throw new UsageError(`clarifier test: ${target}: no such file or folder`);
    (statSync(absolute).isDirectory() ? folders : files).push(absolute);
  }
  // as `clarifier lint` reads them: a named file with what it links to and its examples/ folder, never
  // the rest of its folder, whose other specs' examples are not this file's and whose huge or broken
  // files must not slow or break the run; a named folder whole
  const { service, explicit, inFolders } = await loadTargets(
    { files, folders, named: new Set(files) },
    {
      command: 'test',
      cwd: options.cwd,
      config: resolveConfig(loadConfigFile(options.cwd)?.config),
      fileSystem: nodeFileSystem,
      logger,
    },
  );
  const inTargets = (uri: string) => explicit.has(uri) || inFolders(uri);
  let units = service.clauseTestUnits(inTargets);
  if (options.clause) {
    const wanted = options.clause;
    units = units.filter((unit) => unit.id === wanted || unit.sectionId === wanted);
    if (!units.length)
      throw new UsageError(
        `clarifier test: no clause or section "${wanted}" with examples in ${options.targets.join(', ')}`,
      );
  }
  if (!units.length) {
    logger.warn(
      'no examples to run: no clause has an examples/<id>.md file and no section has an **Example**: transcript',
    );
    write(format(options, settings, []));
    return 0;
  }
  // samples at temperature 0 are mostly one answer asked N times: say so rather than report a stability that was not tested
  if (options.repeat > 1 && !options.calibrate && settings.candidate.temperature === 0)
    process.stderr.write(
      `clarifier test: --repeat ${options.repeat} at temperature 0 samples much the same answer each time; add --temperature 0.7 (or the temperature you deploy with) to test how stable the behaviour is\n`,
    );
  const client = new ModelClient({
    apiKey: options.apiKey,
    concurrency: settings.concurrency,
    logger,
    backoffMs: options.backoffMs,
  });
  const cache = options.cache
    ? new DiskCache(options.cacheDir ? path.resolve(options.cwd, options.cacheDir) : defaultCacheDir(), (error) =>
        logger.warn('cannot write the clause-test cache', { error: error.message }),
      )
    : undefined;
  let results: UnitResult[];
  const finished = new Map<string, ExampleResult>();
  try {
    const run = options.calibrate ? calibrateClauses : runClauseTests;
    const specText = (uri: string) => service.specContextText(uri);
    results = await run(units, {
      client,
      settings,
      cache,
      signal: options.signal,
      logger,
      context: options.context,
      specText,
      repeat: options.repeat,
      threshold: options.threshold,
      onExample: (result) => finished.set(result.unitId + '\0' + result.exampleKey, result),
    });
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    if (error.kind === 'cancelled') {
      process.stderr.write('clarifier test: cancelled\n');
      return 2;
    }
    // the run stopped on an endpoint or setup error: what finished stands, every other example is an error of that cause
    results = stoppedRunResults(units, settings, finished, error, options.calibrate, options);
  } finally {
    await cache?.close();
  }
  // the key, in any form, never reaches stdout: an endpoint may echo it into answers or messages
  write(redact(format(options, settings, results, units), options.apiKey));
  for (const line of errorSummary(results, options.calibrate))
    process.stderr.write(`clarifier test: ${redact(line, options.apiKey)}\n`);
  return exitCode(results, options.calibrate);
}

/** 2 when anything could not be run or graded (the result says nothing about the spec), else 1 when a verdict failed, else 0. */
export function exitCode(results: UnitResult[], calibrate: boolean): number {
  if (calibrate) {
    const all = results.flatMap((r) => r.calibration ?? []);
    if (all.some((c) => !c.verdict)) return 2;
    return all.some((c) => !c.agrees) ? 1 : 0;
  }
  const examples = results.flatMap((r) => r.examples);
  if (examples.some((e) => e.status === 'error')) return 2;
  return examples.some((e) => e.status === 'failed') ? 1 : 0;
}

/** One line per cause: "4 examples could not be run: <what to fix>", not the same message four times. */
export function errorSummary(results: UnitResult[], calibrate: boolean): string[] {
  const causes = new Map<string, { message: string; count: number }>();
  const add = (kind: string, message: string) => {
    const cause = causes.get(kind);
    if (cause) cause.count++;
    else causes.set(kind, { message, count: 1 });
  };
  if (calibrate) {
    for (const c of results.flatMap((r) => r.calibration ?? []))
      if (!c.verdict) add(c.message ?? 'error', c.message ?? 'not graded');
  } else {
    for (const e of results.flatMap((r) => r.examples))
      if (e.status === 'error') add(e.errorKind ?? e.message ?? 'error', e.message ?? 'error');
  }
  const what = calibrate ? 'reference' : 'example';
  return [...causes.values()].map(
    ({ message, count }) =>
      `${count} ${what}${count === 1 ? '' : 's'} could not be ${calibrate ? 'graded' : 'run'}: ${message}${count > 1 && /not a verdict/.test(message) ? ' (the first of them)' : ''}`,
  );
}

function format(
  options: TestOptions,
  settings: ModelSettings,
  results: UnitResult[],
  units: ClauseTestUnit[] = [],
): string {
  const relative = (uri: string) => path.relative(options.cwd, URI.parse(uri).fsPath) || URI.parse(uri).fsPath;
  if (options.format === 'json') return formatJson(results, settings, relative);
  if (options.format === 'junit') return formatJunit(results, relative, options.calibrate);
  if (options.format === 'html')
    return formatHtmlReport(results, units, {
      model: settings.candidate.model,
      graders: settings.graders.map((g) => g.model),
      where: (uri, line) => `${relative(uri)}:${line}`,
      generatedAt: Date.now(),
      calibrate: options.calibrate,
    });
  return formatText(results, settings, relative, options.calibrate, units.length);
}

export function formatJson(results: UnitResult[], settings: ModelSettings, relative: (uri: string) => string): string {
  const units = results.map((unit) => ({
    ...unit,
    uri: undefined,
    file: relative(unit.uri),
    line: unit.range.start.line + 1,
    examples: unit.examples.map((e) => ({ ...e, uri: undefined, file: relative(e.uri), line: e.range.start.line + 1 })),
    calibration: unit.calibration?.map((c) => ({
      ...c,
      uri: undefined,
      file: relative(c.uri),
      line: c.range.start.line + 1,
    })),
    disagreements: graderDisagreements(unit).map((d) => ({
      ...d,
      uri: undefined,
      file: relative(d.uri),
      line: d.range.start.line + 1,
    })),
  }));
  const all = results.flatMap((r) => r.examples);
  const count = (status: ExampleResult['status']) => all.filter((e) => e.status === status).length;
  const summary = {
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    flaky: all.filter((e) => e.flaky).length,
    total: all.length,
  };
  return (
    JSON.stringify(
      {
        model: settings.candidate.model,
        baseUrl: settings.candidate.baseUrl,
        grader: settings.grader.model,
        graders: settings.graders.map((g) => g.model),
        graderBaseUrl: settings.grader.baseUrl,
        summary,
        units,
      },
      null,
      2,
    ) + '\n'
  );
}

export function formatText(
  results: UnitResult[],
  settings: ModelSettings,
  relative: (uri: string) => string,
  calibrate: boolean,
  unitCount: number,
): string {
  const lines: string[] = [];
  if (!unitCount) return 'No examples to run.\n';
  let passed = 0;
  let failed = 0;
  let errors = 0;
  let cached = 0;
  let tokens = 0;
  for (const unit of results) {
    const where = `${relative(unit.uri)}:${unit.range.start.line + 1}`;
    const label = `${unit.kind} ${unit.unitId}`;
    if (calibrate) {
      const bad = (unit.calibration ?? []).filter((c) => !c.agrees);
      if (!unit.calibration?.length) continue;
      lines.push(
        `${bad.length ? '✗' : '✓'} ${where} ${label}: grader agrees with ${unit.calibration.length - bad.length}/${unit.calibration.length} labelled references`,
      );
      if (bad.length) lines.push(`    ${CALIBRATION_MESSAGE}`);
      for (const c of bad)
        lines.push(
          `    ${c.verdict ? '✗' : '!'} ${c.label} reference of "${c.title}" (${relative(c.uri)}:${c.range.start.line + 1}) was ${c.verdict ? (c.verdict.pass ? 'passed' : 'failed') : 'not graded: ' + c.message}${c.grader ? ` by ${c.grader}` : ''}${c.verdict?.rationale ? `: ${c.verdict.rationale}` : ''}`,
        );
      lines.push(...disagreementLines(unit));
      passed += unit.calibration.length - bad.length;
      failed += bad.filter((c) => c.verdict).length;
      errors += bad.filter((c) => !c.verdict).length;
      continue;
    }
    const count = tally(unit);
    const ran = count.total - count.skipped;
    lines.push(
      `${count.errors ? '!' : count.failed ? '✗' : '✓'} ${where} ${label}: ${count.passed}/${ran} passed${count.errors ? `, ${count.errors} not run or not graded` : ''}${count.skipped ? `, ${count.skipped} skipped` : ''}${unitDetails(unit)}`,
    );
    for (const example of unit.examples) {
      tokens += example.promptTokens + example.completionTokens;
      if (example.cached) cached++;
      if (example.status === 'passed') passed++;
      if (example.status === 'failed') failed++;
      if (example.status === 'error') errors++;
      const at = `${example.title} (${relative(example.uri)}:${example.range.start.line + 1})`;
      const rate =
        example.samples && example.samples.length > 1
          ? ` [${example.samples.filter((s) => s.status === 'passed').length}/${example.samples.length} samples passed${example.flaky ? ', flaky' : ''}]`
          : '';
      if (example.status === 'failed') lines.push(`    ✗ ${at}${rate}: ${example.verdict?.rationale || 'failed'}`);
      if (example.status === 'error') lines.push(`    ! ${at}${rate}: ${example.message}`);
      if (example.status === 'passed' && example.flaky)
        lines.push(`    ≈ ${at}${rate}: passed at the threshold, but the samples disagree`);
    }
    lines.push(...disagreementLines(unit));
  }
  const what = calibrate ? 'references' : 'examples';
  const graders =
    settings.graders.length > 1
      ? `graders ${settings.graders.map((g) => g.model).join(', ')} (majority decides)`
      : `grader ${settings.grader.model}`;
  lines.push(
    '',
    `${passed} ${what} passed, ${failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'} (not run or not graded: see above)` : ''} · model ${settings.candidate.model} · ${graders}${calibrate ? '' : ` · ${cached} from cache · ${tokens} tokens`}`,
  );
  return lines.join('\n') + '\n';
}

/** " · context spec · 5/6 samples (3 each, threshold 0.8) · 1 flaky": what the run was, for the unit's line. */
function unitDetails(unit: UnitResult): string {
  const parts: string[] = [];
  if (unit.context) parts.push(`context ${unit.context}`);
  if ((unit.repeat ?? 1) > 1) {
    const samples = unit.examples.flatMap((e) => e.samples ?? []);
    parts.push(
      `${samples.filter((s) => s.status === 'passed').length}/${samples.length} samples passed (${unit.repeat} each${(unit.threshold ?? 1) < 1 ? `, threshold ${unit.threshold}` : ''})`,
    );
  }
  const flaky = unit.examples.filter((e) => e.flaky).length;
  if (flaky) parts.push(`${flaky} flaky`);
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

/** The graders' rationales side by side, where they read the clause differently. */
function disagreementLines(unit: UnitResult): string[] {
  const found = graderDisagreements(unit);
  if (!found.length) return [];
  return [
    `    ⚖ ${GRADERS_DISAGREE_MESSAGE}: make the clause say what decides`,
    ...found.map((d) => `      ${describeDisagreement(d)}`),
  ];
}

function xml(text: string): string {
  // XML 1.0 has no place for most control characters
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The run's settings for a suite (model, graders, context, samples), and where the graders disagreed. */
function suiteProperties(unit: UnitResult): string {
  const props: [string, string][] = [
    ['model', unit.model],
    ['graders', (unit.graders ?? [unit.grader]).join(',')],
  ];
  if (unit.context) props.push(['context', unit.context]);
  if (unit.repeat) props.push(['repeat', String(unit.repeat)], ['threshold', String(unit.threshold ?? 1)]);
  for (const d of graderDisagreements(unit)) props.push([GRADERS_DISAGREE_MESSAGE, describeDisagreement(d)]);
  return `    <properties>\n${props.map(([name, value]) => `      <property name="${xml(name)}" value="${xml(value)}"/>`).join('\n')}\n    </properties>\n`;
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
        else if (!c.verdict) {
          suiteErrors++;
          cases.push(
            `    <testcase classname="${classname}" name="${name}" time="0">\n      <error message="${xml(c.message ?? 'not graded')}"/>\n    </testcase>`,
          );
        } else {
          suiteFailures++;
          cases.push(
            `    <testcase classname="${classname}" name="${name}" time="0">\n      <failure message="${xml(CALIBRATION_MESSAGE)}">${xml(`${c.label} reference was ${c.verdict ? (c.verdict.pass ? 'passed' : 'failed') : 'not graded'}: ${c.verdict?.rationale ?? c.message ?? ''}`)}</failure>\n    </testcase>`,
          );
        }
      }
    } else {
      for (const e of unit.examples) {
        const time = (e.durationMs / 1000).toFixed(3);
        suiteTime += e.durationMs / 1000;
        const open = `    <testcase classname="${classname}" name="${xml(e.title)}" file="${xml(relative(e.uri))}" line="${e.range.start.line + 1}" time="${time}"`;
        const sampled = e.samples && e.samples.length > 1 ? e.samples : undefined;
        const caseProps = sampled
          ? `\n      <properties>\n        <property name="samples" value="${sampled.filter((x) => x.status === 'passed').length}/${sampled.length} passed"/>\n        <property name="flaky" value="${e.flaky ? 'true' : 'false'}"/>\n      </properties>`
          : '';
        if (e.status === 'passed' && caseProps) cases.push(`${open}>${caseProps}\n    </testcase>`);
        else if (e.status === 'passed') cases.push(`${open}/>`);
        else if (e.status === 'skipped') {
          suiteSkipped++;
          cases.push(`${open}>\n      <skipped message="${xml(e.message ?? '')}"/>\n    </testcase>`);
        } else if (e.status === 'failed') {
          suiteFailures++;
          cases.push(
            `${open}>${caseProps}\n      <failure message="${xml(e.verdict?.rationale ?? 'failed')}" type="verdict">${xml(`score ${e.verdict?.score ?? 0}\n\nAnswer:\n${e.answer ?? ''}`)}</failure>\n    </testcase>`,
          );
        } else {
          suiteErrors++;
          cases.push(
            `${open}>${caseProps}\n      <error message="${xml(e.message ?? 'error')}" type="${xml(e.errorKind ?? 'error')}"/>\n    </testcase>`,
          );
        }
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    skipped += suiteSkipped;
    totalTime += suiteTime;
    suites.push(
      `  <testsuite name="${xml(`${unit.unitId}: ${unit.title.slice(0, 120)}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="${suiteSkipped}" time="${suiteTime.toFixed(3)}" timestamp="${new Date(unit.finishedAt).toISOString()}">\n${suiteProperties(unit)}${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="clarifier clause tests" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${totalTime.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
