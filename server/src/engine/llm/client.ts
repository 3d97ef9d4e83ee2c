import OpenAI from 'openai';
import type { Logger } from '../host';
import { silentLogger } from '../host';
import { isRetryable, ModelError, NO_KEY_MESSAGE, normaliseApiKey, redact, redactingLogger } from './errors';
import { cancelled, ConcurrencyLimiter, sleep as defaultSleep } from './limiter';
import { isLoopback, type EndpointSettings } from './settings';

export { isLoopback };

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
  /** Why the model stopped: "stop" for a complete answer; "length" never comes back (it is an error). */
  finishReason: string;
}

export interface ModelClientOptions {
  /** From the host only: env OPENAI_API_KEY in the CLI, SecretStorage in VS Code. */
  apiKey?: string;
  concurrency?: number;
  logger?: Logger;
  /** First backoff delay; doubles per attempt. */
  backoffMs?: number;
  /** The longest wait between attempts; a server asking (Retry-After) for a longer one is given up on at once. */
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

  /** The key as sent: without the spaces, quotes or "Bearer " it may have been given with. */
  private readonly apiKey: string | undefined;

  constructor(private readonly options: ModelClientOptions = {}) {
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? 4);
    this.logger = redactingLogger(options.logger ?? silentLogger, options.apiKey);
    this.sleep = options.sleep ?? defaultSleep;
    this.apiKey = normaliseApiKey(options.apiKey);
  }

  /** Fails fast, before any request, when the endpoint needs a key and none was given. */
  checkKey(endpoint: EndpointSettings): void {
    if (!this.apiKey && !isLoopback(endpoint.baseUrl)) throw new ModelError('no-key', NO_KEY_MESSAGE);
  }

  async chat(endpoint: EndpointSettings, request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    this.checkKey(endpoint);
    return this.limiter.run(() => this.withRetries(endpoint, request, signal), signal, request.urgent);
  }

  private async withRetries(
    endpoint: EndpointSettings,
    request: ChatRequest,
    signal?: AbortSignal,
  ): Promise<ChatResult> {
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
          this.logger.info('endpoint refused a parameter; asking again without it', {
            baseUrl: endpoint.baseUrl,
            model: endpoint.model,
            quirk,
          });
          attempt--;
          continue;
        }
        if (!isRetryable(error) || quotaExhausted(raw)) throw error;
        if (attempt > endpoint.retries) throw afterRetries(error, attempt);
        const delay = this.backoff(attempt, raw);
        const max = this.options.maxBackoffMs ?? MAX_BACKOFF_MS;
        if (delay > max) {
          // waiting longer than the run can afford: say when to come back instead of hanging
          throw new ModelError(
            error.kind,
            `${endpoint.baseUrl} asks to wait ${Math.ceil(delay / 1000)} s before the next request (Retry-After), longer than the ${Math.round(max / 1000)} s this client waits: try again later, or lower the concurrency (--concurrency, or the setting clarifier.model.concurrency)`,
            error.status,
          );
        }
        this.logger.info('model call failed; retrying', {
          kind: error.kind,
          status: error.status,
          attempt,
          delayMs: delay,
        });
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

  /** The server's Retry-After when it sent one (even beyond the maximum: the caller gives up then), else exponential backoff with jitter. */
  private backoff(attempt: number, raw: unknown): number {
    const max = this.options.maxBackoffMs ?? MAX_BACKOFF_MS;
    const retryAfter = raw instanceof OpenAI.APIError ? retryAfterMs(raw.headers) : undefined;
    if (retryAfter !== undefined) return retryAfter;
    const base = (this.options.backoffMs ?? 500) * 2 ** (attempt - 1);
    return Math.min(max, Math.round(base * (0.75 + Math.random() * 0.5)));
  }

  private async attempt(
    endpoint: EndpointSettings,
    request: ChatRequest,
    signal?: AbortSignal,
  ): Promise<Omit<ChatResult, 'attempts'>> {
    // the clock starts here, when the request is sent: never while it waited for our own limiter
    const local = new AbortController();
    const fail = (error: ModelError): never => {
      // aborting closes the socket: a server that cancels work on disconnect stops it, and a retry never runs beside it
      local.abort(error);
      throw error;
    };
    const timer = setTimeout(() => local.abort(timeoutError(endpoint)), endpoint.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, local.signal]) : local.signal;
    try {
      const sdk = this.sdk(endpoint.baseUrl);
      const quirks = this.quirks(endpoint);
      const structured = request.jsonSchema && !quirks.has('no-structured-output');
      const body = {
        model: endpoint.model,
        messages: request.messages.map((m) => ({
          role: m.role === 'developer' && endpoint.mapDeveloperToSystem ? 'system' : m.role,
          content: m.content,
        })) as OpenAI.Chat.ChatCompletionMessageParam[],
        ...(endpoint.temperature !== undefined && !quirks.has('no-temperature')
          ? { temperature: endpoint.temperature }
          : {}),
        ...(endpoint.maxTokens !== undefined
          ? quirks.has('max-completion-tokens')
            ? { max_completion_tokens: endpoint.maxTokens }
            : { max_tokens: endpoint.maxTokens }
          : {}),
        ...(structured
          ? {
              response_format: {
                type: 'json_schema' as const,
                json_schema: { name: request.jsonSchema!.name, schema: request.jsonSchema!.schema, strict: true },
              },
            }
          : {}),
      };
      // the raw response, read here: a size limit while reading, and a clear error for what is not a chat completion
      const response = request.stream
        ? await sdk.chat.completions
            .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: combined })
            .asResponse()
        : await sdk.chat.completions.create(body, { signal: combined }).asResponse();
      const read = request.stream
        ? await readStream(response, endpoint, fail)
        : await readCompletion(response, endpoint, fail);
      if (read.finishReason === 'length') {
        fail(
          new ModelError(
            'truncated',
            `${endpoint.model} at ${endpoint.baseUrl} stopped at the token limit${endpoint.maxTokens ? ` (${endpoint.maxTokens} tokens)` : ''} before finishing its answer: raise the token limit (--max-tokens, or the setting clarifier.model.maxTokens)`,
          ),
        );
      }
      const key = this.options.apiKey;
      // an endpoint that echoes the key (a debugging proxy, a model repeating its headers) must not put it in reports or caches
      return { ...read, content: redact(read.content, key), model: redact(read.model, key) };
    } catch (error) {
      if (local.signal.aborted && !signal?.aborted) throw local.signal.reason as ModelError;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private sdk(baseUrl: string): OpenAI {
    let sdk = this.sdks.get(baseUrl);
    if (!sdk) {
      // local servers ignore the key, but the SDK insists on one
      sdk = new OpenAI({
        apiKey: this.apiKey || 'no-key',
        baseURL: baseUrl,
        maxRetries: 0,
        timeout: 24 * 3600_000,
        logLevel: 'off',
        dangerouslyAllowBrowser: true,
      });
      this.sdks.set(baseUrl, sdk);
    }
    return sdk;
  }

  toModelError(raw: unknown, endpoint: EndpointSettings, signal?: AbortSignal): ModelError {
    if (signal?.aborted) return cancelled();
    const key = this.options.apiKey;
    if (raw instanceof OpenAI.APIConnectionTimeoutError) return timeoutError(endpoint);
    if (raw instanceof OpenAI.APIUserAbortError) return cancelled();
    if (raw instanceof OpenAI.APIConnectionError)
      return new ModelError('unreachable', `cannot reach ${endpoint.baseUrl}: is the server running?`);
    if (raw instanceof OpenAI.APIError) {
      const detail = redact(serverMessage(raw), key);
      const status = raw.status;
      if (status === 401 || status === 403)
        return new ModelError(
          'unauthorized',
          `${endpoint.baseUrl} rejected the API key (${status}${detail ? ': ' + detail : ''}): set a valid OPENAI_API_KEY or run 'Clarifier: Set API Key'`,
          status,
        );
      if (status === 404)
        return new ModelError(
          'model-not-found',
          `model "${endpoint.model}" not found at ${endpoint.baseUrl} (404${detail ? ': ' + detail : ''}): check the model name and that the base URL ends in /v1`,
          status,
        );
      if (status === 429 && quotaExhausted(raw))
        return new ModelError(
          'rate-limited',
          `${endpoint.baseUrl} says the key's quota is used up (429${detail ? ': ' + detail : ''}): check the plan and billing of the account, or use another endpoint`,
          status,
        );
      if (status === 429)
        return new ModelError(
          'rate-limited',
          `${endpoint.baseUrl} is rate limiting (429${detail ? ': ' + detail : ''}): lower the concurrency (--concurrency, or the setting clarifier.model.concurrency) or try again later`,
          status,
        );
      if (status !== undefined && status >= 500)
        return new ModelError(
          'server',
          `${endpoint.baseUrl} failed (${status}${detail ? ': ' + detail : ''}): check the server's log, or try again later`,
          status,
        );
      return new ModelError(
        'bad-request',
        `${endpoint.baseUrl} refused the request (${status ?? 'no status'}${detail ? ': ' + detail : ''})`,
        status,
      );
    }
    // a connection dropped while the body was read surfaces as a plain fetch error
    const text = raw instanceof Error ? raw.message : String(raw);
    if (/terminated|socket|ECONNRESET|fetch failed|other side closed/i.test(text))
      return new ModelError(
        'unreachable',
        `cannot reach ${endpoint.baseUrl}: the connection dropped (${redact(text, key)}): is the server running?`,
      );
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

const MAX_BACKOFF_MS = 60_000;

function timeoutError(endpoint: EndpointSettings): ModelError {
  return new ModelError(
    'timeout',
    `${endpoint.baseUrl} did not answer within ${endpoint.timeoutMs} ms of sending the request: raise the timeout (--timeout, or the setting clarifier.model.timeoutMs)${isLoopback(endpoint.baseUrl) ? ', or lower --max-tokens: a model on the CPU can take minutes per answer' : ' or check the server'}`,
  );
}

/** 429 "insufficient_quota" is not a rate limit: no wait makes it pass. */
function quotaExhausted(raw: unknown): boolean {
  if (!(raw instanceof OpenAI.APIError) || raw.status !== 429) return false;
  const body = raw.error as { code?: unknown; type?: unknown } | undefined;
  return body?.code === 'insufficient_quota' || body?.type === 'insufficient_quota';
}

/** The last error of a request that was retried: how often, so that the user knows it was not a blip. */
function afterRetries(error: ModelError, attempts: number): ModelError {
  if (attempts < 2) return error;
  return new ModelError(error.kind, `${error.message} (gave up after ${attempts} attempts)`, error.status);
}

type Fail = (error: ModelError) => never;
type Read = Omit<ChatResult, 'attempts'>;

/** How much of a streamed body may be event framing around the answer's text. */
const STREAM_OVERHEAD = 16;

function tooLarge(endpoint: EndpointSettings): ModelError {
  return new ModelError(
    'too-large',
    `the answer from ${endpoint.model} at ${endpoint.baseUrl} is larger than ${formatBytes(endpoint.maxAnswerBytes)} (the limit), so it was not read to the end: the model may be repeating itself; lower --max-tokens, or raise the limit (--max-answer-bytes, or the setting clarifier.model.maxAnswerBytes)`,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The body's text, chunk by chunk; stops (and closes the connection) as soon as it passes `limit` bytes. */
async function* textChunks(response: Response, limit: number, fail: () => never): AsyncGenerator<string> {
  const reader = response.body?.getReader();
  if (!reader) return;
  const decoder = new TextDecoder();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        void reader.cancel().catch(() => undefined);
        fail();
      }
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

function describeBody(response: Response, text: string): string {
  const type = response.headers.get('content-type') || 'no content type';
  const start = text.trim().slice(0, 80);
  return `${type}${start ? `, starting ${JSON.stringify(start)}` : ', empty'}`;
}

function notChat(endpoint: EndpointSettings, response: Response, text: string, what: string): ModelError {
  const html = /html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text);
  return new ModelError(
    'not-chat',
    html
      ? `${endpoint.baseUrl} answered with an HTML page (status ${response.status}), not a chat completion: check the base URL (--base-url, or the setting clarifier.model.baseUrl); an OpenAI-compatible API usually ends in /v1`
      : `${endpoint.baseUrl} answered ${what} (${describeBody(response, text)}): is the base URL an OpenAI-compatible chat API? It usually ends in /v1`,
    response.status,
  );
}

interface CompletionShape {
  choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
  model?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: unknown };
}

async function readCompletion(response: Response, endpoint: EndpointSettings, fail: Fail): Promise<Read> {
  // room for the JSON around the answer's text
  const limit = endpoint.maxAnswerBytes + 64 * 1024;
  let text = '';
  for await (const chunk of textChunks(response, limit, () => fail(tooLarge(endpoint)))) text += chunk;
  let completion: CompletionShape;
  try {
    completion = JSON.parse(text) as CompletionShape;
  } catch {
    return fail(notChat(endpoint, response, text, 'with something that is not JSON'));
  }
  // some servers send valid JSON as text/plain: the body decides, not the header
  if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
    const serverError =
      typeof completion?.error?.message === 'string' ? completion.error.message.slice(0, 300) : undefined;
    if (serverError)
      fail(
        new ModelError(
          'server',
          `${endpoint.baseUrl} answered with an error (status ${response.status}: ${serverError}): check the server's log`,
          response.status,
        ),
      );
    return fail(notChat(endpoint, response, text, 'with JSON that is not a chat completion'));
  }
  const choice = completion.choices[0];
  if (!choice) return fail(notChat(endpoint, response, text, 'without a choice'));
  const content = typeof choice.message?.content === 'string' ? choice.message.content : '';
  if (new TextEncoder().encode(content).byteLength > endpoint.maxAnswerBytes) fail(tooLarge(endpoint));
  return {
    content,
    model: typeof completion.model === 'string' && completion.model ? completion.model : endpoint.model,
    promptTokens: completion.usage?.prompt_tokens ?? 0,
    completionTokens: completion.usage?.completion_tokens ?? 0,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
  };
}

interface ChunkShape {
  choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
  model?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: unknown };
}

/** Server-sent events: `data: {chunk}` lines up to `data: [DONE]`. */
async function readStream(response: Response, endpoint: EndpointSettings, fail: Fail): Promise<Read> {
  const type = response.headers.get('content-type') ?? '';
  if (!/event-stream/i.test(type)) {
    // a server that ignores `stream` and answers at once is still an answer
    if (/json/i.test(type)) return readCompletion(response, endpoint, fail);
    let text = '';
    for await (const chunk of textChunks(response, 4096, () =>
      fail(notChat(endpoint, response, text, 'with a body that is not a stream of chat chunks')),
    ))
      text += chunk;
    return fail(notChat(endpoint, response, text, 'with a body that is not a stream of chat chunks'));
  }
  const read: Read = {
    content: '',
    model: endpoint.model,
    promptTokens: 0,
    completionTokens: 0,
    finishReason: 'unknown',
  };
  let contentBytes = 0;
  let buffer = '';
  let events = 0;
  const encoder = new TextEncoder();
  for await (const chunk of textChunks(response, endpoint.maxAnswerBytes * STREAM_OVERHEAD, () =>
    fail(tooLarge(endpoint)),
  )) {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return read;
      let event: ChunkShape;
      try {
        event = JSON.parse(data) as ChunkShape;
      } catch {
        return fail(notChat(endpoint, response, data, 'with a stream event that is not JSON'));
      }
      events++;
      if (typeof event.error?.message === 'string')
        fail(
          new ModelError('server', `${endpoint.baseUrl} failed while answering: ${event.error.message.slice(0, 300)}`),
        );
      const piece = event.choices?.[0]?.delta?.content;
      if (typeof piece === 'string') {
        contentBytes += encoder.encode(piece).byteLength;
        if (contentBytes > endpoint.maxAnswerBytes) fail(tooLarge(endpoint));
        read.content += piece;
      }
      const finish = event.choices?.[0]?.finish_reason;
      if (typeof finish === 'string') read.finishReason = finish;
      if (typeof event.model === 'string' && event.model) read.model = event.model;
      if (event.usage) {
        read.promptTokens = event.usage.prompt_tokens ?? read.promptTokens;
        read.completionTokens = event.usage.completion_tokens ?? read.completionTokens;
      }
    }
  }
  // the stream ended without [DONE]: complete only if the model said why it stopped
  if (!events) return fail(notChat(endpoint, response, buffer, 'with an empty stream'));
  if (read.finishReason === 'unknown')
    fail(
      new ModelError(
        'unreachable',
        `${endpoint.baseUrl} closed the stream before the answer was complete: is the server running?`,
      ),
    );
  return read;
}
