import { URI } from 'vscode-uri';
import type { FileSystem, FileType } from '../../server/src/engine/host';

/**
 * An in-memory FileSystem for engine tests. Files are keyed by absolute POSIX path; the engine
 * talks `file:` URIs, as it does with the real file system.
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    if (!path.startsWith('/')) throw new Error(`MemoryFileSystem paths are absolute: ${path}`);
    this.files.set(path, text);
  }

  delete(path: string): void {
    this.files.delete(path);
  }

  static uri(path: string): string {
    return URI.file(path).toString();
  }

  async readFile(uri: string): Promise<string | undefined> {
    return this.files.get(URI.parse(uri).path);
  }

  async stat(uri: string): Promise<FileType | undefined> {
    const path = URI.parse(uri).path;
    if (this.files.has(path)) return 'file';
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return 'directory';
    return undefined;
  }

  async readDirectory(uri: string): Promise<[string, FileType][]> {
    const path = URI.parse(uri).path;
    const prefix = path.endsWith('/') ? path : path + '/';
    const entries = new Map<string, FileType>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      entries.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'directory');
    }
    if (!entries.size && !(await this.stat(uri))) throw new Error(`ENOENT: no such directory ${path}`);
    return [...entries].sort((a, b) => a[0].localeCompare(b[0]));
  }
}
