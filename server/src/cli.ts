import * as path from 'path';
import { CLI_VERSION, isUsageError, UsageError } from './cli/usage';
import type { Logger } from './engine/languageService';

const USAGE = `Usage: clarifier <command> [options]

Commands:
  lint <files|folders|globs>   check specs for structural defects
      --format text|json|sarif   output format (default: text)
      --config FILE              config file (default: ./.clarifier.json if present)
      --deep[=ambiguity,conflicts] also ask a model which clauses read two ways (ambiguity) and
                                 which similar clauses contradict each other (conflicts); default both
      --budget N | ambiguity=N,conflicts=M   model requests for clauses (default 30; cached
                                 clauses are free) and clause pairs (default 50) per run
      --calibrate[=FILE]         measure the ambiguity tier on a labelled set (default: the shipped
                                 docs/calibration/ambiguity-labelled.json): recall, false alarms, cost
      --base-url URL --model NAME --concurrency N --timeout MS --max-tokens N
      --no-cache --cache-dir DIR (model options; the API key is read from OPENAI_API_KEY)
  test <files|folders>         run each clause's examples against a model and grade the answers
      --clause ID --base-url URL --model NAME --grader-model NAME --grader-base-url URL
      --concurrency N --calibrate --no-cache --cache-dir DIR --format text|json|junit|html
      (the API key is read from OPENAI_API_KEY; exit 1 when an example fails, 2 on a setup error)
  precedent <spec> --clause ID --label GOOD|BAD --answer TEXT|--answer-file FILE
      --example N|TITLE | --prompt TEXT  --reason TEXT --title TEXT
                               record a decided answer as an example of the clause (examples/<id>.md or inline)
  clarify <spec> --line N      ask a model what the clause on line N leaves open, with answer options
      --answers A,B,... --write [--append] --format text|json --record-precedent GOOD|BAD
                               and rewrite it with your answers, and record the case behind an
                               answer as an example of the clause (the key is read from OPENAI_API_KEY)
  lsp --stdio                  run the language server over stdio, for any LSP editor

Run clarifier <command> --help for a command's options.
Exit codes: 0 no error finding, 1 at least one error finding, 2 usage or I/O error.`;

const LINT_USAGE = `Usage: clarifier lint <files|folders|globs> [options]

Checks specs for structural defects, ambiguous wording and clauses that contradict each other.

Options:
  --format text|json|sarif    output on stdout (default: text)
  --config FILE               config file (default: ./.clarifier.json if present)
  --no-color                  plain text output
  --deep[=ambiguity,conflicts]  also ask a model which clauses read two ways (ambiguity) and which
                              similar clauses contradict each other (conflicts); default: both
  --calibrate[=FILE]          measure the ambiguity tier on a labelled set (default: the shipped
                              docs/calibration/ambiguity-labelled.json): recall, false alarms, cost
  with --deep or --calibrate:
    --base-url URL            OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else https://api.openai.com/v1);
                              a local server such as http://127.0.0.1:8080/v1 needs no key
    --model NAME              (default: gpt-4.1-mini)
    --budget N | ambiguity=N,conflicts=M
                              model requests for clauses (default 30; cached clauses are free) and
                              clause pairs asked about (default 50), per run
    --max-tokens N            most tokens per answer (default: 1024)
    --concurrency N           requests at once (default: 4; 1 for a local server)
    --timeout MS              per request, from when it is sent (default: 60000; 600000 for a local server)
    --no-cache --cache-dir DIR
The API key is read from OPENAI_API_KEY, never from a flag.

Exit codes: 0 no error finding, 1 at least one error finding, 2 usage or I/O error, or a
setup or endpoint error of --deep, or a model answer that could not be read (stderr says what to fix).`;

const LSP_USAGE = `Usage: clarifier lsp --stdio

Runs the language server over stdio, for any editor with LSP support. For editors other than
VS Code it calls a model itself, with the key from its own environment (OPENAI_API_KEY) or a local
clarifier.model.baseUrl: the model tiers (on save with clarifier.modelTiers.enabled, or the command
clarifier.server.findAmbiguity) and Clarify (the "Clarify this clause" code action, or the command
clarifier.server.clarify {uri, position, answers?, apply?}).`;

const PRECEDENT_USAGE = `Usage: clarifier precedent <spec> --clause ID --label GOOD|BAD (--answer TEXT | --answer-file FILE)
                           (--example N|TITLE | --prompt TEXT) [--reason TEXT] [--title TEXT]

Records a decided answer as a GOOD or BAD example of the clause, in the spec's own transcript syntax:
appended to examples/<id>.md for a clause with a [^id] marker, or inline in its section.`;

/** `clarifier <command> --help` answers with the command's usage on stdout. */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** CLI diagnostics go to stderr so that JSON and SARIF on stdout stay parseable. */
const stderrLogger: Logger = {
  error: (message, data) => process.stderr.write(`clarifier: ${message}${data ? ' ' + JSON.stringify(data) : ''}\n`),
  warn: (message, data) =>
    process.stderr.write(`clarifier: warning: ${message}${data ? ' ' + JSON.stringify(data) : ''}\n`),
  info: () => {},
  debug: () => {},
};

function parseFlags(args: string[], valued: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      positional.push(arg);
      continue;
    }
    const [, name, inline] = match;
    if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--')))
        throw new UsageError(
          `clarifier: --${name} needs a value, e.g. --${name}=${name === 'format' ? 'json' : 'FILE'}`,
        );
      flags[name] = value;
    } else flags[name] = inline ?? true;
  }
  return { positional, flags };
}

const TIERS = ['ambiguity', 'conflicts'] as const;

/** `--deep` is both tiers; `--deep=ambiguity`, `--deep=conflicts` or `--deep=ambiguity,conflicts` choose. */
function parseTiers(flag: string | true | undefined): ('ambiguity' | 'conflicts')[] {
  if (flag === undefined || flag === true) return [...TIERS];
  const names = flag
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(TIERS as readonly string[]).includes(name));
  if (!names.length || unknown.length)
    throw new UsageError(
      `clarifier lint: --deep=${flag}: the model tiers are ${TIERS.join(' and ')}, e.g. --deep=ambiguity,conflicts`,
    );
  return [...new Set(names)] as ('ambiguity' | 'conflicts')[];
}

/** `--budget 20` for both tiers, or `--budget ambiguity=20,conflicts=40` per tier. */
function parseBudgets(flag: string | true | undefined): { ambiguity: number; conflicts: number } {
  // DEFAULT_BUDGETS of cli/deepCommand, not imported: that would load the engine on every start
  const budgets = { ambiguity: 30, conflicts: 50 };
  if (flag === undefined || flag === true) return budgets;
  const whole = (value: string) => /^\d+$/.test(value.trim()) && Number(value) >= 1;
  if (whole(flag)) return { ambiguity: Number(flag), conflicts: Number(flag) };
  for (const part of flag.split(',')) {
    const [name, value] = part.split('=').map((x) => x.trim());
    if (!(TIERS as readonly string[]).includes(name) || value === undefined || !whole(value))
      throw new UsageError(
        `clarifier lint: --budget needs a whole number of at least 1, for both tiers or per tier, e.g. --budget 20 or --budget ambiguity=20,conflicts=40 (got "${flag}")`,
      );
    budgets[name as 'ambiguity' | 'conflicts'] = Number(value);
  }
  return budgets;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint': {
        if (wantsHelp(rest)) {
          process.stdout.write(LINT_USAGE + '\n');
          return 0;
        }
        const deepFlags = ['base-url', 'model', 'budget', 'concurrency', 'timeout', 'max-tokens', 'cache-dir'];
        const { positional, flags } = parseFlags(rest, ['format', 'config', ...deepFlags]);
        for (const flag of Object.keys(flags))
          if (
            !['format', 'config', 'no-color', 'deep', 'calibrate', 'no-cache', 'all', 'verbose', ...deepFlags].includes(
              flag,
            )
          )
            throw new UsageError(`clarifier lint: unknown option --${flag}\n\n${USAGE}`);
        const format = (flags.format as string | undefined) ?? 'text';
        if (!['text', 'json', 'sarif'].includes(format))
          throw new UsageError(`clarifier lint: --format must be text, json or sarif, not "${format}"`);
        const modelFlag = [...deepFlags, 'no-cache'].find((flag) => flags[flag] !== undefined);
        if (modelFlag && !flags.deep && !flags.calibrate)
          throw new UsageError(
            `clarifier lint: --${modelFlag} only applies to the model tiers: add --deep (or --calibrate)`,
          );
        const number = (name: string): number | undefined => {
          if (flags[name] === undefined) return undefined;
          const value = Number(flags[name]);
          if (!Number.isInteger(value) || value < 1)
            throw new UsageError(`clarifier lint: --${name} needs a whole number of at least 1, e.g. --${name} 20`);
          return value;
        };
        const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
        const controller = new AbortController();
        // dist/lint.js is loaded by path on use: the engine and its NLP model are most of the start-up
        // time, and `lsp` loads its own copy in dist/server.js
        const { runLint, runCalibrate } = require(
          path.join(__dirname, 'lint.js'),
        ) as typeof import('./cli/lintCommand');
        const onInterrupt = () => controller.abort();
        const usesModel = !!flags.deep || !!flags.calibrate;
        const deep = usesModel
          ? {
              model: {
                baseUrl: text('base-url') ?? process.env.OPENAI_BASE_URL,
                model: text('model'),
                concurrency: number('concurrency'),
                timeoutMs: number('timeout'),
                maxTokens: number('max-tokens'),
              },
              tiers: parseTiers(flags.deep),
              budgets: parseBudgets(flags.budget),
              cache: !flags['no-cache'],
              cacheDir: text('cache-dir'),
              apiKey: process.env.OPENAI_API_KEY || undefined,
              signal: controller.signal,
            }
          : undefined;
        if (usesModel) process.once('SIGINT', onInterrupt);
        try {
          if (flags.calibrate) {
            if (format === 'sarif') throw new UsageError('clarifier lint --calibrate: --format must be text or json');
            if (positional.length)
              throw new UsageError(
                `clarifier lint --calibrate takes no files: name the labelled set as --calibrate=FILE (got ${positional.join(' ')})`,
              );
            return await runCalibrate(
              text('calibrate'),
              deep!,
              process.cwd(),
              (out) => process.stdout.write(out),
              format as 'text',
              stderrLogger,
            );
          }
          return await runLint(
            {
              targets: positional,
              format: format as 'text',
              configFile: flags.config as string | undefined,
              cwd: process.cwd(),
              color: !!process.stdout.isTTY && !flags['no-color'] && !process.env.NO_COLOR,
              all: !!flags.all,
              verbose: !!flags.verbose,
              deep,
            },
            (out) => process.stdout.write(out),
            stderrLogger,
          );
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }
      case 'test': {
        // dist/clause-tests.js is loaded by path on use, like lint.js: the model client stays out of start-up
        const tests = require(path.join(__dirname, 'clause-tests.js')) as typeof import('./cli/testCommand');
        if (wantsHelp(rest)) {
          process.stdout.write(tests.TEST_USAGE + '\n');
          return 0;
        }
        const { positional, flags } = parseFlags(rest, tests.TEST_FLAGS);
        const controller = new AbortController();
        const onInterrupt = () => controller.abort();
        process.once('SIGINT', onInterrupt);
        try {
          return await tests.runTests(
            { ...tests.testOptionsFromFlags(positional, flags, process.cwd(), process.env), signal: controller.signal },
            (text) => process.stdout.write(text),
            stderrLogger,
          );
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }
      case 'precedent': {
        if (wantsHelp(rest)) {
          process.stdout.write(PRECEDENT_USAGE + '\n');
          return 0;
        }
        const precedent = require(path.join(__dirname, 'precedent.js')) as typeof import('./cli/precedentCommand');
        const { positional, flags } = parseFlags(rest, precedent.PRECEDENT_FLAGS);
        return await precedent.runPrecedent(
          positional,
          flags,
          process.cwd(),
          (text) => process.stdout.write(text),
          stderrLogger,
        );
      }
      case 'clarify': {
        const clarify = require(path.join(__dirname, 'clarify.js')) as typeof import('./cli/clarifyCommand');
        if (wantsHelp(rest)) {
          process.stdout.write(clarify.CLARIFY_USAGE + '\n');
          return 0;
        }
        const { positional, flags } = parseFlags(rest, clarify.CLARIFY_FLAGS);
        const controller = new AbortController();
        const onInterrupt = () => controller.abort();
        process.once('SIGINT', onInterrupt);
        try {
          return await clarify.runClarify(
            positional,
            flags,
            process.cwd(),
            process.env,
            (text) => process.stdout.write(text),
            stderrLogger,
            controller.signal,
          );
        } finally {
          process.off('SIGINT', onInterrupt);
        }
      }
      case 'lsp': {
        if (wantsHelp(rest)) {
          process.stdout.write(LSP_USAGE + '\n');
          return 0;
        }
        // The server module starts listening on require; stdio is the transport it picks from argv.
        if (!rest.includes('--stdio'))
          throw new UsageError('clarifier lsp: only --stdio is supported, e.g. clarifier lsp --stdio');
        if (!process.argv.includes('--stdio')) process.argv.push('--stdio');
        // dist/server.js is loaded by path, not bundled in: `lint` starts faster without the server code.
        require(path.join(__dirname, 'server.js'));
        return await new Promise<number>(() => {});
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        if (command === undefined) {
          process.stderr.write(USAGE + '\n');
          return 2;
        }
        process.stdout.write(USAGE + '\n');
        return 0;
      case '--version':
        process.stdout.write(CLI_VERSION + '\n');
        return 0;
      default:
        throw new UsageError(`clarifier: unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    if (isUsageError(error)) process.stderr.write(error.message + '\n');
    else process.stderr.write(`clarifier: ${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
