import { promises as fs } from 'fs';
import * as path from 'path';
import type { Verdict } from './types';

export interface CachedAnswer {
  answer: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export interface CachedVerdict {
  verdict: Verdict;
  promptTokens: number;
  completionTokens: number;
}

/** Answers and verdicts by content hash. Holds model output only: never a key or a header. */
export interface ResultCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  clear(): Promise<void>;
}

export class MemoryCache implements ResultCache {
  private readonly entries = new Map<string, string>();
  async get<T>(key: string): Promise<T | undefined> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async set(key: string, value: unknown): Promise<void> {
    this.entries.set(key, JSON.stringify(value));
  }
  async clear(): Promise<void> {
    this.entries.clear();
  }
}

/**
 * An append-only JSON Lines file, read once into memory. One file rather than one per entry:
 * a run of hundreds of examples then costs one read and cheap appends instead of thousands of
 * file creations. A line cut short by a crash is skipped on the next load; the last line for a
 * key wins.
 */
export class DiskCache implements ResultCache {
  private entries: Promise<Map<string, string>> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private handle: fs.FileHandle | undefined;
  private pending: string[] = [];

  constructor(
    readonly folder: string,
    private readonly onWriteError?: (error: Error) => void,
  ) {}

  get file(): string {
    return path.join(this.folder, 'cache.jsonl');
  }

  private load(): Promise<Map<string, string>> {
    this.entries ??= fs.readFile(this.file, 'utf8').then(
      (text) => {
        const map = new Map<string, string>();
        for (const line of text.split('\n')) {
          if (!line) continue;
          try {
            const { k, v } = JSON.parse(line) as { k: string; v: unknown };
            if (typeof k === 'string') map.set(k, JSON.stringify(v));
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
    (await this.load()).set(key, JSON.stringify(value));
    this.pending.push(JSON.stringify({ k: key, v: value }) + '\n');
    // one append at a time, each taking every line queued meanwhile: lines never interleave and
    // a run of hundreds of examples costs a few writes, not one per entry
    // the run does not wait for the disk: a failed write only costs a cache miss next time
    this.writes = this.writes.then(() => this.flush()).catch((error) => this.onWriteError?.(error as Error));
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const text = this.pending.join('');
    this.pending = [];
    if (!this.handle) {
      await fs.mkdir(this.folder, { recursive: true });
      this.handle = await fs.open(this.file, 'a');
      // end a line torn by an interrupted run, or the next entry would be glued to it and lost
      if (!(await endsWithNewline(this.file))) await this.handle.appendFile('\n');
    }
    await this.handle.appendFile(text);
  }

  /** Lets go of the file; the cache can still be used and reopens it. */
  async close(): Promise<void> {
    await this.writes;
    await this.handle?.close();
    this.handle = undefined;
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
