import { promises as fs, readdirSync, readFileSync, statSync, type Dirent } from 'fs';
import { URI } from 'vscode-uri';
import type { FileSystem, FileType } from '../engine/host';

/** Editors drop a leading BOM from a document's text; so do we, so that columns on line 1 agree. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The path on disk of a `file:` URI; undefined for any other scheme. An `untitled:Untitled-1`
 * document has no file: reading URI.parse(uri).fsPath would read "Untitled-1" in the working folder.
 */
function diskPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : undefined;
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
      const file = diskPath(uri);
      return file === undefined ? undefined : withoutBom(await fs.readFile(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async stat(uri) {
    try {
      const file = diskPath(uri);
      if (file === undefined) return undefined;
      const stat = await fs.stat(file);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  async readDirectory(uri) {
    const folder = diskPath(uri);
    return folder === undefined ? [] : toEntries(await fs.readdir(folder, { withFileTypes: true }));
  },
};

/**
 * The same over synchronous calls, for the CLI: it has nothing else to do meanwhile, and a
 * thread-pool round trip per file left a cold lint of the Model Spec corpus idle for a third of its time.
 */
export const syncNodeFileSystem: FileSystem = {
  async readFile(uri) {
    try {
      const file = diskPath(uri);
      return file === undefined ? undefined : withoutBom(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  async stat(uri) {
    try {
      const file = diskPath(uri);
      if (file === undefined) return undefined;
      const stat = statSync(file);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  async readDirectory(uri) {
    const folder = diskPath(uri);
    return folder === undefined ? [] : toEntries(readdirSync(folder, { withFileTypes: true }));
  },
};
