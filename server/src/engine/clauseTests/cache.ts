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

/** One small JSON file per entry, so that concurrent runs never rewrite one big file. */
export class DiskCache implements ResultCache {
  constructor(readonly folder: string) {}

  private file(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.file(key), 'utf8')) as T;
    } catch {
      // missing or half-written: a miss, never an error
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(value));
    await fs.rename(temporary, file);
  }

  async clear(): Promise<void> {
    await fs.rm(this.folder, { recursive: true, force: true });
  }
}
