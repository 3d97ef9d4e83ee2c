import type { Verdict } from './types';

/** Only complete answers are stored: `finishReason` is what the model said when it stopped ("stop"). */
export interface CachedAnswer {
  answer: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: string;
}

/** Only verdicts read without doubt from a complete grader answer are stored. */
export interface CachedVerdict {
  verdict: Verdict;
  promptTokens: number;
  completionTokens: number;
  finishReason: string;
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

// The cache on disk (extension host and CLI) is server/src/node/diskCache.ts: the engine touches no file itself.
