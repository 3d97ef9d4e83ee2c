import OpenAI from 'openai';
import type { Logger } from '../host';
import { silentLogger } from '../host';
import { isRetryable, ModelError, NO_KEY_MESSAGE, redact } from './errors';
import { cancelled, ConcurrencyLimiter, sleep as defaultSleep } from './limiter';
import type { EndpointSettings } from './settings';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Ask for JSON that matches this schema (structured output); endpoints that refuse it are asked again without. */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** Read the answer as server-sent events. */
  stream?: boolean;
  /** Jump the queue of waiting requests: finishing work already begun comes before starting more. */
  urgent?: boolean;
}

export interface ChatResult {
  content: string;
  /** The model the endpoint says answered. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Attempts it took, 1 when the first one succeeded. */
  attempts: number;
}

export interface ModelClientOptions {
  /** From the host only: env OPENAI_API_KEY in the CLI, SecretStorage in VS Code. */
  apiKey?: string;
  concurrency?: number;
  logger?: Logger;
  /** First backoff delay; doubles per attempt. */
  backoffMs?: number;
  /** The longest wait between attempts, also for a server's Retry-After. */
  maxBackoffMs?: number;
  /** Injected by tests to observe backoff without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Chat completions against any OpenAI-compatible endpoint, with one concurrency limit over all
 * calls, retries with exponential backoff that honour Retry-After, a per-request timeout and
 * cancellation. The SDK's own retries are off so that all of this is in one place.
 */
export class ModelClient {
  private readonly sdks = new Map<string, OpenAI>();
  private readonly limiter: ConcurrencyLimiter;
  private readonly logger: Logger;
  private readonly quirksByModel = new Map<string, Set<Quirk>>();
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: ModelClientOptions = {}) {
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.logger = options.logger ?? silentLogger;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Fails fast, before any request, when the endpoint needs a key and none was given. */
  checkKey(endpoint: EndpointSettings): void {
    if (!this.options.apiKey && !isLoopback(endpoint.baseUrl)) throw new ModelError('no-key', NO_KEY_MESSAGE);
  }

  async chat(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    this.checkKey(endpoint);
    return this.limiter.run(() => this.withRetries(endpoint, request, signal), signal, request.urgent);
  }

  private async withRetries(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelled();
      try {
        const result = await this.attempt(endpoint, request, signal);
        return { ...result, attempts: attempt };
      } catch (raw) {
        const error = raw instanceof ModelError ? raw : this.toModelError(raw, endpoint, signal);
        const quirk = error.kind === 'bad-request' ? quirkFor(error.message, request) : undefined;
        if (quirk && !this.quirks(endpoint).has(quirk)) {
          // the endpoint refuses a parameter this model does not take: adapt once, remember, ask again
          this.quirks(endpoint).add(quirk);
          this.logger.info('endpoint refused a parameter; asking again without it', { baseUrl: endpoint.baseUrl, model: endpoint.model, quirk });
          attempt--;
          continue;
        }
        if (!isRetryable(error) || attempt > endpoint.retries) throw error;
        const delay = this.backoff(attempt, raw);
        this.logger.info('model call failed; retrying', { kind: error.kind, status: error.status, attempt, delayMs: delay });
        await this.sleep(delay, signal);
      }
    }
  }

  private quirks(endpoint: EndpointSettings): Set<Quirk> {
    const key = endpoint.baseUrl + '\0' + endpoint.model;
    let quirks = this.quirksByModel.get(key);
    if (!quirks) this.quirksByModel.set(key, (quirks = new Set()));
    return quirks;
  }

  private backoff(attempt: number, raw: unknown): number {
    const max = this.options.maxBackoffMs ?? 30_000;
    const retryAfter = raw instanceof OpenAI.APIError ? retryAfterMs(raw.headers) : undefined;
    if (retryAfter !== undefined) return Math.min(retryAfter, max);
    const base = (this.options.backoffMs ?? 500) * 2 ** (attempt - 1);
    return Math.min(max, Math.round(base * (0.75 + Math.random() * 0.5)));
  }

  private async attempt(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<Omit<ChatResult, 'attempts'>> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new ModelError('timeout', `${endpoint.baseUrl} did not answer within ${endpoint.timeoutMs} ms: raise the timeout or check the server`)), endpoint.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      const sdk = this.sdk(endpoint.baseUrl);
      const quirks = this.quirks(endpoint);
      const structured = request.jsonSchema && !quirks.has('no-structured-output');
      const body = {
        model: endpoint.model,
        messages: request.messages.map((m) => ({ role: m.role === 'developer' && endpoint.mapDeveloperToSystem ? 'system' : m.role, content: m.content })) as OpenAI.Chat.ChatCompletionMessageParam[],
        ...(endpoint.temperature !== undefined && !quirks.has('no-temperature') ? { temperature: endpoint.temperature } : {}),
        ...(endpoint.maxTokens !== undefined ? (quirks.has('max-completion-tokens') ? { max_completion_tokens: endpoint.maxTokens } : { max_tokens: endpoint.maxTokens }) : {}),
        ...(structured ? { response_format: { type: 'json_schema' as const, json_schema: { name: request.jsonSchema!.name, schema: request.jsonSchema!.schema, strict: true } } } : {}),
      };
      if (request.stream) {
        const stream = await sdk.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: combined });
        let content = '';
        let model = endpoint.model;
        let promptTokens = 0;
        let completionTokens = 0;
        for await (const chunk of stream) {
          content += chunk.choices[0]?.delta?.content ?? '';
          if (chunk.model) model = chunk.model;
          if (chunk.usage) ({ prompt_tokens: promptTokens, completion_tokens: completionTokens } = chunk.usage);
        }
        return { content, model, promptTokens, completionTokens };
      }
      const completion = await sdk.chat.completions.create(body, { signal: combined });
      const choice = completion.choices?.[0];
      if (!choice) throw new ModelError('bad-answer', `${endpoint.baseUrl} answered without a choice: is it an OpenAI-compatible chat endpoint?`);
      return {
        content: choice.message?.content ?? '',
        model: completion.model || endpoint.model,
        promptTokens: completion.usage?.prompt_tokens ?? 0,
        completionTokens: completion.usage?.completion_tokens ?? 0,
      };
    } catch (error) {
      if (timeout.signal.aborted && !signal?.aborted) throw timeout.signal.reason as ModelError;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private sdk(baseUrl: string): OpenAI {
    let sdk = this.sdks.get(baseUrl);
    if (!sdk) {
      // local servers ignore the key, but the SDK insists on one
      sdk = new OpenAI({ apiKey: this.options.apiKey || 'no-key', baseURL: baseUrl, maxRetries: 0, timeout: 24 * 3600_000, logLevel: 'off', dangerouslyAllowBrowser: true });
      this.sdks.set(baseUrl, sdk);
    }
    return sdk;
  }

  toModelError(raw: unknown, endpoint: EndpointSettings, signal?: AbortSignal): ModelError {
    if (signal?.aborted) return cancelled();
    const key = this.options.apiKey;
    if (raw instanceof OpenAI.APIConnectionTimeoutError) return new ModelError('timeout', `${endpoint.baseUrl} did not answer within ${endpoint.timeoutMs} ms: raise the timeout or check the server`);
    if (raw instanceof OpenAI.APIUserAbortError) return cancelled();
    if (raw instanceof OpenAI.APIConnectionError) return new ModelError('unreachable', `cannot reach ${endpoint.baseUrl}: is the server running?`);
    if (raw instanceof OpenAI.APIError) {
      const detail = redact(serverMessage(raw), key);
      const status = raw.status;
      if (status === 401 || status === 403) return new ModelError('unauthorized', `${endpoint.baseUrl} rejected the API key (${status}${detail ? ': ' + detail : ''}): set a valid OPENAI_API_KEY or run 'Clarifier: Set API Key'`, status);
      if (status === 404) return new ModelError('model-not-found', `model "${endpoint.model}" not found at ${endpoint.baseUrl} (404${detail ? ': ' + detail : ''}): check the model name and that the base URL ends in /v1`, status);
      if (status === 429) return new ModelError('rate-limited', `${endpoint.baseUrl} is rate limiting (429${detail ? ': ' + detail : ''}): lower the concurrency or try again later`, status);
      if (status !== undefined && status >= 500) return new ModelError('server', `${endpoint.baseUrl} failed (${status}${detail ? ': ' + detail : ''})`, status);
      return new ModelError('bad-request', `${endpoint.baseUrl} refused the request (${status ?? 'no status'}${detail ? ': ' + detail : ''})`, status);
    }
    // a connection dropped while the body was read surfaces as a plain fetch error
    const text = raw instanceof Error ? raw.message : String(raw);
    if (/terminated|socket|ECONNRESET|fetch failed|other side closed/i.test(text)) return new ModelError('unreachable', `cannot reach ${endpoint.baseUrl}: the connection dropped (${redact(text, key)}): is the server running?`);
    return new ModelError('bad-answer', `unexpected answer from ${endpoint.baseUrl}: ${redact(text, key)}`);
  }
}

type Quirk = 'no-structured-output' | 'max-completion-tokens' | 'no-temperature';

/** Which refused parameter a 400 is about: reasoning models take max_completion_tokens and no temperature; many local servers have no structured output. */
function quirkFor(message: string, request: ChatRequest): Quirk | undefined {
  if (/max_tokens/.test(message)) return 'max-completion-tokens';
  if (/temperature/.test(message)) return 'no-temperature';
  if (request.jsonSchema && /response_format|json_schema|structured/i.test(message)) return 'no-structured-output';
  return undefined;
}

function serverMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  return message.slice(0, 300);
}

/** Retry-After in seconds or as an HTTP date; OpenAI also sends retry-after-ms. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && !Number.isNaN(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}
