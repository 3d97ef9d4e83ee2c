import { promises as fs } from 'fs';
import * as path from 'path';
import type { ResultCache } from '../engine/clauseTests/cache';

export interface DiskCacheLimits {
  /** The file is compacted when it grows past this; the oldest entries go first when the live ones alone exceed it. */
  maxBytes: number;
}

/** Room for a few thousand answers and verdicts; each is at most the answer size limit (1 MB). */
export const DEFAULT_CACHE_LIMITS: DiskCacheLimits = { maxBytes: 32 * 1024 * 1024 };

/**
 * An append-only JSON Lines file, read once into memory. One file rather than one per entry:
 * a run of hundreds of examples then costs one read and cheap appends instead of thousands of
 * file creations. A line cut short by a crash is skipped on the next load; the last line for a
 * key wins. The file stays bounded: when it is closed past its size limit, or when superseded
 * lines make up most of it, it is rewritten with the live entries only, the newest last. The
 * folder is private to the user (0700) and the file too (0600): answers may quote private data.
 */
export class DiskCache implements ResultCache {
  private entries: Promise<Map<string, string>> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private handle: fs.FileHandle | undefined;
  private pending: string[] = [];
  /** Lines in the file, superseded ones included: compaction is due when they far outnumber the live entries. */
  private lines = 0;
  private fileBytes = 0;

  constructor(
    readonly folder: string,
    private readonly onWriteError?: (error: Error) => void,
    private readonly limits: DiskCacheLimits = DEFAULT_CACHE_LIMITS,
  ) {}

  get file(): string {
    return path.join(this.folder, 'cache.jsonl');
  }

  private load(): Promise<Map<string, string>> {
    this.entries ??= fs.readFile(this.file, 'utf8').then(
      (text) => {
        const map = new Map<string, string>();
        this.fileBytes = Buffer.byteLength(text);
        for (const line of text.split('\n')) {
          if (!line) continue;
          this.lines++;
          try {
            const { k, v } = JSON.parse(line) as { k: string; v: unknown };
            if (typeof k !== 'string') continue;
            // re-inserted, so that the map's order is the order of the last write: the oldest first
            map.delete(k);
            map.set(k, JSON.stringify(v));
          } catch {
            // a torn line from an interrupted run: that entry is simply a miss
          }
        }
        return map;
      },
      () => new Map<string, string>(),
    );
    return this.entries;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = (await this.load()).get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown): Promise<void> {
    const entries = await this.load();
    entries.delete(key);
    entries.set(key, JSON.stringify(value));
    this.pending.push(JSON.stringify({ k: key, v: value }) + '\n');
    // one append at a time, each taking every line queued meanwhile: lines never interleave and
    // a run of hundreds of examples costs a few writes, not one per entry
    // the run does not wait for the disk: a failed write only costs a cache miss next time
    this.writes = this.writes.then(() => this.flush()).catch((error) => this.onWriteError?.(error as Error));
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.lines += this.pending.length;
    this.pending = [];
    if (!this.handle) {
      await this.makeFolder();
      this.handle = await fs.open(this.file, 'a', 0o600);
      // a file made by an older version, or restored from a backup, may be readable by others
      await this.handle.chmod(0o600);
      // end a line torn by an interrupted run, or the next entry would be glued to it and lost
      if (!(await endsWithNewline(this.file))) await this.handle.appendFile('\n');
    }
    await this.handle.appendFile(text);
    this.fileBytes += Buffer.byteLength(text);
  }

  /** Only folders this cache creates are made private: a --cache-dir that exists keeps its mode. */
  private async makeFolder(): Promise<void> {
    const first = await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask; the folder itself must be 0700 whatever the umask
    if (first !== undefined) await fs.chmod(this.folder, 0o700);
  }

  /** Lets go of the file, compacting it when it is due; the cache can still be used and reopens it. */
  async close(): Promise<void> {
    await this.writes;
    await this.handle?.close();
    this.handle = undefined;
    if (!this.entries) return;
    const entries = await this.entries;
    if (this.fileBytes > this.limits.maxBytes || (this.lines > 64 && this.lines > 2 * entries.size)) {
      await this.compact(entries).catch((error) => this.onWriteError?.(error as Error));
    }
  }

  /** Rewrites the file with the live entries, dropping the oldest while they exceed the size limit; atomic by rename. */
  private async compact(entries: Map<string, string>): Promise<void> {
    const lines = [...entries].map(([k, v]) => `{"k":${JSON.stringify(k)},"v":${v}}\n`);
    let bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
    const keys = [...entries.keys()];
    let drop = 0;
    // keep half the limit free, so that the next runs append for a while before compacting again
    while (bytes > this.limits.maxBytes / 2 && drop < lines.length) bytes -= Buffer.byteLength(lines[drop++]);
    for (const key of keys.slice(0, drop)) entries.delete(key);
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, lines.slice(drop).join(''), { mode: 0o600 });
    await fs.rename(temporary, this.file);
    this.lines = lines.length - drop;
    this.fileBytes = bytes;
  }

  async clear(): Promise<void> {
    await this.close();
    this.entries = Promise.resolve(new Map());
    await fs.rm(this.folder, { recursive: true, force: true });
  }
}

async function endsWithNewline(file: string): Promise<boolean> {
  const { size } = await fs.stat(file);
  if (size === 0) return true;
  const reader = await fs.open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await reader.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await reader.close();
  }
}
