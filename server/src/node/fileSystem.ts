import { promises as fs } from 'fs';
import { URI } from 'vscode-uri';
import type { FileSystem, FileType } from '../engine/host';

/** The engine's file-system interface over Node's `fs`, for the CLI and the language server. */
export const nodeFileSystem: FileSystem = {
  async readFile(uri) {
    try {
      return await fs.readFile(URI.parse(uri).fsPath, 'utf8');
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
    const entries = await fs.readdir(URI.parse(uri).fsPath, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .map((entry): [string, FileType] => [entry.name, entry.isDirectory() ? 'directory' : 'file'])
      .sort((a, b) => a[0].localeCompare(b[0]));
  },
};
