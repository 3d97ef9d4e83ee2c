import { promises as fs, readdirSync, readFileSync, statSync, type Dirent } from 'fs';
import { URI } from 'vscode-uri';
import type { FileSystem, FileType } from '../engine/host';

/** Editors drop a leading BOM from a document's text; so do we, so that columns on line 1 agree. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function toEntries(entries: Dirent[]): [string, FileType][] {
  return entries
    .filter((entry) => entry.isDirectory() || entry.isFile())
    .map((entry): [string, FileType] => [entry.name, entry.isDirectory() ? 'directory' : 'file'])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** The engine's file-system interface over Node's `fs`, for the language server: never blocks the event loop. */
export const nodeFileSystem: FileSystem = {
  async readFile(uri) {
    try {
      return withoutBom(await fs.readFile(URI.parse(uri).fsPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async stat(uri) {
    try {
      const stat = await fs.stat(URI.parse(uri).fsPath);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  async readDirectory(uri) {
    return toEntries(await fs.readdir(URI.parse(uri).fsPath, { withFileTypes: true }));
  },
};

/**
 * The same over synchronous calls, for the CLI: it has nothing else to do meanwhile, and a
 * thread-pool round trip per file left a cold lint of the Model Spec corpus idle for a third of its time.
 */
export const syncNodeFileSystem: FileSystem = {
  async readFile(uri) {
    try {
      return withoutBom(readFileSync(URI.parse(uri).fsPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async stat(uri) {
    try {
      const stat = statSync(URI.parse(uri).fsPath);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  async readDirectory(uri) {
    return toEntries(readdirSync(URI.parse(uri).fsPath, { withFileTypes: true }));
  },
};
