import { existsSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { resolveConfig, type ClarifierConfig, type Logger } from '../engine/languageService';
import { syncNodeFileSystem } from '../node/fileSystem';
import { loadConfigFile, readConfigFile } from '../node/loadConfig';
import type { DeepOptions } from './deepCommand';
import { formatJson, formatSarif, formatText, type FileReport } from './formats';
import { loadTargets } from './readTargets';
import { UsageError } from './usage';

export { UsageError };

export interface LintOptions {
  targets: string[];
  format: 'text' | 'json' | 'sarif';
  configFile?: string;
  cwd: string;
  color: boolean;
  /** Run the conflict model tier after the default tier (`--deep`). */
  deep?: DeepOptions;
  /** Lint every Markdown file of the named folders, spec or not (`--all`). */
  all?: boolean;
  /** Name the Markdown files skipped as not specs, with the reason (`--verbose`). */
  verbose?: boolean;
}

/** `clarifier lint --calibrate[=FILE]`: measures the ambiguity tier on a labelled set. Exit 0 when measured, 2 on a setup error. */
export async function runCalibrate(
  setFile: string | undefined,
  deep: DeepOptions,
  cwd: string,
  write: (text: string) => void,
  format: 'text' | 'json',
  cliLogger: Logger,
): Promise<number> {
  const deepModule = require(path.join(__dirname, 'deep.js')) as typeof import('./deepCommand');
  const outcome = await deepModule.runCalibration(setFile, deep, cwd, cliLogger);
  if ('setupError' in outcome) {
    cliLogger.error(`lint --calibrate: ${outcome.setupError}`);
    return 2;
  }
  write(format === 'json' ? JSON.stringify(outcome.report, null, 2) + '\n' : outcome.text);
  return 0;
}

/**
 * Lints files, folders and globs. Returns the exit code: 0 clean, 1 with an error finding, 2 when a
 * file of a named folder could not be read (the findings of the others are still reported).
 */
export async function runLint(options: LintOptions, write: (text: string) => void, cliLogger: Logger): Promise<number> {
  const { files, folders, named } = expandTargets(options.targets, options.cwd);
  const unreadable: string[] = [];
  const logger: Logger = {
    ...cliLogger,
    warn(message, data) {
      if (/^cannot read/.test(message)) unreadable.push(String(data?.uri ?? data?.folder ?? ''));
      cliLogger.warn(message, data);
    },
  };
  let fileConfig: ClarifierConfig | undefined;
  if (options.configFile) fileConfig = readConfigFile(path.resolve(options.cwd, options.configFile));
  else fileConfig = loadConfigFile(options.cwd)?.config;

  // each named folder whole, each named file with what it links to and its example files, never its whole folder
  const { service, explicit, inFolders } = await loadTargets(
    { files, folders, named },
    {
      command: 'lint',
      cwd: options.cwd,
      config: resolveConfig(fileConfig),
      fileSystem: syncNodeFileSystem,
      logger,
    },
  );
  if (options.all)
    for (const uri of service.indexedUris()) if (inFolders(uri) && !service.isExcluded(uri)) service.markAsSpec(uri);
  let deepErrors = 0;
  if (options.deep) {
    const deep = options.deep;
    const scope = service.specUris().filter((uri) => explicit.has(uri) || inFolders(uri));
    const targets = await service.modelTierTargets({
      uris: scope,
      tiers: deep.tiers,
      conflictBudget: deep.budgets.conflicts,
    });
    // dist/deep.js is loaded by path and only here: the model client stays out of plain linting
    const deepModule = require(path.join(__dirname, 'deep.js')) as typeof import('./deepCommand');
    const outcome = await deepModule.runDeep(targets, deep, options.cwd, cliLogger);
    if ('setupError' in outcome) {
      cliLogger.error(`lint --deep: ${outcome.setupError}`);
      return 2;
    }
    const { ambiguity, conflicts } = outcome.run;
    // one line per cause, not the same timeout fifty times
    const warnByCause = (errors: { error: string; what: string }[], noun: string, nouns: string) => {
      const causes = new Map<string, { count: number; example: string }>();
      for (const { error, what } of errors) {
        const cause = error.replace(/, got "[\s\S]*?"\./, '.');
        const known = causes.get(cause);
        if (known) known.count++;
        else causes.set(cause, { count: 1, example: what });
      }
      for (const [cause, { count, example }] of causes)
        cliLogger.warn(
          `lint --deep: ${noun} ${count === 1 ? example : `${count} ${nouns} (e.g. ${example})`}: ${cause}`,
        );
    };
    if (ambiguity) {
      warnByCause(
        ambiguity.results
          .filter((r) => r.error)
          .map((r) => ({ error: r.error!, what: `"${r.target.text.slice(0, 60)}"` })),
        'no reading of',
        'clauses',
      );
      const flagged = ambiguity.results.filter((result) => result.verdict?.ambiguous).length;
      process.stderr.write(
        `clarifier: ambiguity model tier: ${ambiguity.results.length} of ${targets.ambiguity.length} clause(s) read (${ambiguity.requests} asked, ${ambiguity.fromCache} from cache${ambiguity.overBudget ? `, ${ambiguity.overBudget} over the budget of ${deep.budgets.ambiguity}: run again or raise --budget ambiguity=N` : ''}), ${flagged} ambiguous\n`,
      );
      service.storeModelTierResults({ ambiguity: ambiguity.results });
      deepErrors += ambiguity.results.filter((result) => result.error).length;
    }
    if (conflicts) {
      warnByCause(
        conflicts.results
          .filter((r) => r.error)
          .map((r) => ({ error: r.error!, what: `"${r.a.text.slice(0, 60)}" and "${r.b.text.slice(0, 60)}"` })),
        'no verdict for',
        'clause pairs',
      );
      const contradictions = conflicts.results.filter((result) => result.verdict?.relation === 'contradiction').length;
      process.stderr.write(
        `clarifier: conflict model tier: ${conflicts.results.length} clause pair(s) checked (${conflicts.requests} asked, ${conflicts.fromCache} from cache), ${contradictions} contradiction(s)\n`,
      );
      service.storeModelTierResults({ conflicts: conflicts.results });
      deepErrors += conflicts.results.filter((result) => result.error).length;
    }
    const { requests, promptTokens, completionTokens } = outcome.run;
    process.stderr.write(
      `clarifier: model tiers cost ${requests} request(s), ${promptTokens} prompt + ${completionTokens} completion tokens\n`,
    );
  }
  const reports: FileReport[] = [];
  for (const uri of service.specUris().sort((a, b) => a.localeCompare(b))) {
    if (!explicit.has(uri) && !inFolders(uri)) continue;
    reports.push({
      path: path.relative(options.cwd, URI.parse(uri).fsPath) || path.basename(URI.parse(uri).fsPath),
      uri,
      diagnostics: await service.computeDiagnostics(uri),
    });
  }
  const relativeOf = (uri: string) => path.relative(options.cwd, URI.parse(uri).fsPath);
  if (options.format === 'json') write(formatJson(reports, relativeOf));
  else if (options.format === 'sarif') write(formatSarif(reports, relativeOf));
  else write(formatText(reports, relativeOf, options.color));
  // Markdown files of the named folders that are not specs: say how many, so that "0 files checked" is never a mystery
  const skipped = service
    .indexedUris()
    .filter((uri) => inFolders(uri) && !service.isSpec(uri) && !service.isExcluded(uri))
    .sort((a, b) => a.localeCompare(b));
  if (folders.length) {
    // text goes to stdout with the report; JSON and SARIF keep stdout parseable, so the note goes to stderr
    const note = (line: string) =>
      options.format === 'text' ? write(line + '\n') : process.stderr.write(`clarifier: ${line}\n`);
    const folderNames = folders.map((folder) => path.relative(options.cwd, folder) || '.').join(', ');
    if (!reports.length) {
      note(
        `No spec found in ${folderNames}: ${skipped.length ? `${skipped.length} Markdown file(s) read, none is a spec (no spec file names, RFC 2119 keywords, requirement ids or rules addressed to an actor)` : 'it holds no Markdown files'}. Name a file, pass --all to lint every Markdown file, or add "include" globs to .clarifier.json.`,
      );
    } else if (skipped.length) {
      note(
        `${skipped.length} Markdown file(s) skipped as not specs${options.verbose ? ':' : ' (--verbose names them, --all lints them)'}`,
      );
    }
    if (options.verbose) for (const uri of skipped) note(`  ${relativeOf(uri)}: ${service.specVerdict(uri).reason}`);
  }
  // Thought Clarifier failed somewhere (internal-error findings): everything else was checked and
  // reported above; the run still says it is incomplete, naming the files, and exits 2
  const failed = reports
    .filter((report) => report.diagnostics.some((d) => d.code === 'internal-error'))
    .map((report) => report.path);
  if (failed.length) {
    cliLogger.error(
      `internal error while checking ${failed.join(', ')}: the rest of ${failed.length === 1 ? 'that file' : 'those files'} and every other file were checked (findings above); please report the internal-error findings`,
    );
    return 2;
  }
  if (unreadable.length) {
    cliLogger.error(
      `${unreadable.length} file(s) or folder(s) could not be read and were not checked: ${unreadable.map((uri) => path.relative(options.cwd, URI.parse(uri).fsPath)).join(', ')}`,
    );
    return 2;
  }
  if (deepErrors) {
    // a clause or pair the model could not judge is not one without a problem
    cliLogger.error(
      `lint --deep: ${deepErrors} clause(s) or clause pair(s) got no readable answer (see the warnings above): the model tiers' result is incomplete`,
    );
    return 2;
  }
  return reports.some((report) => report.diagnostics.some((d) => d.severity === 1)) ? 1 : 0;
}

function expandTargets(targets: string[], cwd: string): { files: string[]; folders: string[]; named: Set<string> } {
  if (!targets.length)
    throw new UsageError('clarifier lint: name at least one file, folder or glob, e.g. clarifier lint spec/');
  const files: string[] = [];
  const folders: string[] = [];
  const named = new Set<string>();
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    if (existsSync(absolute)) {
      if (statSync(absolute).isDirectory()) folders.push(absolute.replace(/[\\/]+$/, '') || absolute);
      else {
        files.push(absolute);
        named.add(absolute);
      }
      continue;
    }
    if (picomatch.scan(target).isGlob) {
      const matches = expandGlob(target, cwd);
      if (!matches.length) throw new UsageError(`clarifier lint: no file matches ${target}`);
      for (const match of matches) files.push(match);
      continue;
    }
    throw new UsageError(`clarifier lint: ${target}: no such file or folder`);
  }
  return { files: [...new Set(files)], folders: [...new Set(folders)], named };
}

function expandGlob(glob: string, cwd: string): string[] {
  const scan = picomatch.scan(glob.replace(/\\/g, '/'));
  // `a/../*.md` would never match a walked path literally: normalise the fixed part
  const base = scan.base ? path.posix.normalize(scan.base) : '';
  const pattern = base ? `${base.replace(/\/$/, '')}/${scan.glob}` : scan.glob;
  const root = path.resolve(cwd, base || '.');
  const isMatch = picomatch(pattern, { dot: false });
  // an absolute glob matches absolute paths; a relative one matches paths relative to the working folder
  const candidate = (full: string) => (path.isAbsolute(base) ? full : path.relative(cwd, full)).replace(/\\/g, '/');
  // without ** a glob cannot match deeper than its own number of segments
  const maxDepth = scan.glob.includes('**') ? 20 : scan.glob.split('/').length - 1;
  const result: string[] = [];
  const walk = (folder: string, depth: number) => {
    if (depth > maxDepth || !existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (isMatch(candidate(full))) result.push(full);
    }
  };
  walk(root, 0);
  return result.sort();
}
