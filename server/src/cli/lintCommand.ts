import { existsSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';
import { URI } from 'vscode-uri';
import { resolveConfig, type ClarifierConfig } from '../engine/config';
import { toDiagnostic } from '../engine/diagnostics';
import type { Logger } from '../engine/host';
import { lintDocument } from '../engine/lint';
import { SpecWorkspace } from '../engine/workspace';
import { nodeFileSystem } from '../node/fileSystem';
import { loadConfigFile, readConfigFile } from '../node/loadConfig';
import { formatJson, formatSarif, formatText, type FileReport } from './formats';

export class UsageError extends Error {}

export interface LintOptions {
  targets: string[];
  format: 'text' | 'json' | 'sarif';
  configFile?: string;
  cwd: string;
  color: boolean;
}

/** Lints files, folders and globs. Returns the exit code: 0 clean, 1 with an error finding. */
export async function runLint(options: LintOptions, write: (text: string) => void, logger: Logger): Promise<number> {
  const { files, folders } = expandTargets(options.targets, options.cwd);
  let fileConfig: ClarifierConfig | undefined;
  if (options.configFile) fileConfig = readConfigFile(path.resolve(options.cwd, options.configFile));
  else fileConfig = loadConfigFile(options.cwd)?.config;

  // Each target's folder is indexed whole, so that references to other files of the spec resolve.
  const roots = [...new Set([...folders, ...files.map((file) => path.dirname(file))])];
  const workspace = new SpecWorkspace(nodeFileSystem, logger, roots.map((root) => URI.file(root).toString()));
  workspace.setConfig(resolveConfig(fileConfig));
  await workspace.scan();
  const explicit = new Set(files.map((file) => URI.file(file).toString()));
  for (const uri of explicit) {
    if (!workspace.get(uri)) await workspace.refreshFromDisk(uri);
    workspace.markAsSpec(uri);
  }
  const inFolders = (uri: string) => folders.some((folder) => URI.parse(uri).fsPath.startsWith(folder + path.sep));
  const reports: FileReport[] = [];
  for (const doc of workspace.specDocuments().sort((a, b) => a.uri.localeCompare(b.uri))) {
    if (!explicit.has(doc.uri) && !inFolders(doc.uri)) continue;
    const findings = lintDocument(doc, workspace, logger);
    reports.push({
      path: path.relative(options.cwd, URI.parse(doc.uri).fsPath) || path.basename(URI.parse(doc.uri).fsPath),
      uri: doc.uri,
      diagnostics: findings.map((finding) => toDiagnostic(finding, doc, workspace)),
    });
  }
  const relativeOf = (uri: string) => path.relative(options.cwd, URI.parse(uri).fsPath);
  if (options.format === 'json') write(formatJson(reports, relativeOf));
  else if (options.format === 'sarif') write(formatSarif(reports, relativeOf));
  else write(formatText(reports, relativeOf, options.color));
  return reports.some((report) => report.diagnostics.some((d) => d.severity === 1)) ? 1 : 0;
}

function expandTargets(targets: string[], cwd: string): { files: string[]; folders: string[] } {
  if (!targets.length) throw new UsageError('clarifier lint: name at least one file, folder or glob, e.g. clarifier lint spec/');
  const files: string[] = [];
  const folders: string[] = [];
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    if (existsSync(absolute)) {
      if (statSync(absolute).isDirectory()) folders.push(absolute);
      else files.push(absolute);
      continue;
    }
    if (picomatch.scan(target).isGlob) {
      const matches = expandGlob(target, cwd);
      if (!matches.length) throw new UsageError(`clarifier lint: no file matches ${target}`);
      files.push(...matches);
      continue;
    }
    throw new UsageError(`clarifier lint: ${target}: no such file or folder`);
  }
  return { files: [...new Set(files)], folders: [...new Set(folders)] };
}

function expandGlob(glob: string, cwd: string): string[] {
  const { base } = picomatch.scan(glob);
  const root = path.resolve(cwd, base || '.');
  const isMatch = picomatch(glob.replace(/\\/g, '/'), { dot: false });
  const result: string[] = [];
  const walk = (folder: string, depth: number) => {
    if (depth > 20 || !existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (isMatch(path.relative(cwd, full).replace(/\\/g, '/'))) result.push(full);
    }
  };
  walk(root, 0);
  return result.sort();
}
