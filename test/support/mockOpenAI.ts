import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

/** The body of a chat completions request as the server received it. */
export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
}

export interface RecordedRequest {
  path: string;
  authorization?: string;
  body: ChatBody;
  /** True when the grader's JSON schema was asked for. */
  grader: boolean;
}

/** What the server does with one request. */
export type Behaviour =
  /** A chat completion; `finishReason: 'length'` is an answer cut off at the token limit. */
  | { kind: 'answer'; content: string; delayMs?: number; finishReason?: string }
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string; code?: string }
  /** Any body with any content type: an HTML page with status 200, JSON sent as text/plain. */
  | { kind: 'raw'; status?: number; contentType: string; body: string }
  /** A chat completion whose answer is `bytes` long, written in chunks until done or the client hangs up. */
  | { kind: 'huge'; bytes: number }
  /** An answer that repeats the request's Authorization header, like a debugging proxy or a leaky model. */
  | { kind: 'echoAuth' }
  /** Closes the socket without an answer. */
  | { kind: 'drop' };

export interface MockOptions {
  /** Decides the answer from the request. Default: the candidate echoes the last turn, the grader passes. */
  respond?: (body: ChatBody, request: RecordedRequest) => Behaviour;
  /** Added before every answer, e.g. for the benchmark. */
  delayMs?: number;
  /** When set, any other bearer token gets 401. */
  apiKey?: string;
  /** When set, other model names get 404 model_not_found. */
  models?: string[];
  /** Answer 400 to `response_format: json_schema`, like endpoints without structured output. */
  noStructuredOutput?: boolean;
  /** Answer 400 to `max_tokens` and any `temperature`, like OpenAI's reasoning models. */
  reasoningModel?: boolean;
  /**
   * Work on one request at a time, like llama.cpp or Ollama on a CPU: the others wait in a queue,
   * and one whose client hangs up while waiting leaves it (no work is done for it).
   */
  serial?: boolean;
}

export function verdictJson(
  pass: boolean,
  rationale = pass ? 'The answer does what the clause asks.' : 'The answer ignores the clause.',
  score = pass ? 0.9 : 0.1,
): string {
  return JSON.stringify({ pass, score, rationale });
}

export function lastTurn(body: ChatBody): string {
  return body.messages[body.messages.length - 1]?.content ?? '';
}

/** The candidate answer as quoted in a grader request. */
export function candidateOf(body: ChatBody): string {
  return /<candidate>\n([\s\S]*?)\n<\/candidate>/.exec(lastTurn(body))?.[1] ?? '';
}

export function isGraderBody(body: ChatBody): boolean {
  return body.response_format?.type === 'json_schema' || /^You grade/.test(body.messages[0]?.content ?? '');
}

const defaultRespond = (body: ChatBody): Behaviour =>
  isGraderBody(body)
    ? { kind: 'answer', content: verdictJson(true) }
    : { kind: 'answer', content: `Answer to: ${lastTurn(body).slice(0, 60)}` };

/**
 * A local OpenAI-compatible server on 127.0.0.1 and an ephemeral port: POST /v1/chat/completions
 * with the real response shapes, streamed or not. Tests queue behaviours with `script` (used
 * first, in order) or decide per request with `respond`.
 */
export class MockOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: Behaviour[] = [];
  private server: Server | undefined;
  private inFlight = 0;
  /** The most requests that were being answered at once. */
  maxInFlight = 0;
  url = '';
  /** Requests whose client hung up before the answer (cancelled or timed out). */
  abandoned = 0;
  /** Requests the server started working on (in serial mode, those that left the queue). */
  worked = 0;
  /** Bytes of answer written for `huge` behaviours, all requests together. */
  hugeBytesSent = 0;
  /** Abandoned requests at the moment each request arrived: a retry must find its predecessor gone. */
  readonly abandonedOnArrival: number[] = [];
  private slotBusy = false;
  private readonly slotQueue: (() => void)[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private abandonWaiters: { count: number; resolve: () => void }[] = [];

  constructor(public options: MockOptions = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** The next requests get these behaviours, in order; after them `respond` decides again. */
  script(...behaviours: Behaviour[]): void {
    this.queue.push(...behaviours);
  }

  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Resolves once the client has hung up on `count` requests (since the last reset). */
  waitForAbandoned(count: number): Promise<void> {
    if (this.abandoned >= count) return Promise.resolve();
    return new Promise((resolve) => this.abandonWaiters.push({ count, resolve }));
  }

  graderRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.grader);
  }

  candidateRequests(): RecordedRequest[] {
    return this.requests.filter((r) => !r.grader);
  }

  /** The models the grader requests named, in order of first use: which graders a run asked. */
  graderModels(): string[] {
    return [...new Set(this.graderRequests().map((r) => r.body.model))];
  }

  /** Each candidate request's roles and contents, e.g. to check the spec context sent before an example. */
  candidateMessages(): { role: string; content: string }[][] {
    return this.candidateRequests().map((r) => r.body.messages);
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.maxInFlight = 0;
    this.abandoned = 0;
    this.worked = 0;
    this.hugeBytesSent = 0;
    this.abandonedOnArrival.length = 0;
  }

  private abandon(): void {
    this.abandoned++;
    this.abandonWaiters = this.abandonWaiters.filter((w) => (this.abandoned >= w.count ? (w.resolve(), false) : true));
  }

  /** Serial mode: waits for the one worker; false when the client hung up meanwhile. */
  private acquireSlot(res: ServerResponse): Promise<boolean> {
    if (!this.slotBusy) {
      this.slotBusy = true;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const start = () => {
        res.off('close', onClose);
        resolve(true);
      };
      const onClose = () => {
        const index = this.slotQueue.indexOf(start);
        if (index >= 0) this.slotQueue.splice(index, 1);
        resolve(false);
      };
      res.once('close', onClose);
      this.slotQueue.push(start);
    });
  }

  private releaseSlot(): void {
    const next = this.slotQueue.shift();
    if (next) next();
    else this.slotBusy = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !/\/v1\/chat\/completions$/.test(req.url ?? '')) {
      return sendError(res, 404, `no route ${req.method} ${req.url}`, 'not_found');
    }
    let body: ChatBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, 400, 'the body is not JSON', 'invalid_request_error');
    }
    const recorded: RecordedRequest = {
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
      grader: isGraderBody(body),
    };
    this.requests.push(recorded);
    this.abandonedOnArrival.push(this.abandoned);
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.count ? (w.resolve(), false) : true));
    if (this.options.apiKey && req.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
    }
    if (this.options.models && !this.options.models.includes(body.model)) {
      return sendError(
        res,
        404,
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
        'model_not_found',
      );
    }
    if (this.options.noStructuredOutput && body.response_format?.type === 'json_schema') {
      return sendError(
        res,
        400,
        "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        'invalid_request_error',
      );
    }
    if (this.options.reasoningModel && body.max_tokens !== undefined) {
      return sendError(
        res,
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        'unsupported_parameter',
      );
    }
    if (this.options.reasoningModel && body.temperature !== undefined) {
      return sendError(
        res,
        400,
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
        'unsupported_value',
      );
    }
    const behaviour = this.queue.shift() ?? (this.options.respond ?? defaultRespond)(body, recorded);
    const serial = this.options.serial;
    if (serial && !(await this.acquireSlot(res))) return this.abandon();
    this.worked++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const delay = (this.options.delayMs ?? 0) + (behaviour.kind === 'answer' ? (behaviour.delayMs ?? 0) : 0);
      if (delay > 0 && !(await waitUnlessClosed(req, res, delay))) return this.abandon();
      if (behaviour.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (behaviour.kind === 'status')
        return sendError(
          res,
          behaviour.status,
          behaviour.message ?? `status ${behaviour.status}`,
          behaviour.code ?? 'server_error',
          behaviour.headers,
        );
      if (behaviour.kind === 'raw') {
        res.writeHead(behaviour.status ?? 200, { 'content-type': behaviour.contentType });
        res.end(behaviour.body);
        return;
      }
      if (behaviour.kind === 'huge') {
        await this.sendHuge(res, body, behaviour.bytes);
        return;
      }
      const content =
        behaviour.kind === 'echoAuth'
          ? `Your request came with the header: Authorization: ${req.headers.authorization ?? '(none)'}`
          : behaviour.content;
      const finishReason = behaviour.kind === 'answer' ? (behaviour.finishReason ?? 'stop') : 'stop';
      if (body.stream) return sendStream(res, body, content, finishReason);
      const promptTokens = tokens(body.messages.map((m) => m.content).join(' '));
      const completionTokens = tokens(content);
      sendJson(res, 200, {
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      });
    } finally {
      this.inFlight--;
      if (serial) this.releaseSlot();
    }
  }

  /** A completion JSON whose content is `bytes` of text, written 64 KB at a time with backpressure, until the client hangs up. */
  private async sendHuge(res: ServerResponse, body: ChatBody, bytes: number): Promise<void> {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    let closed = false;
    res.once('close', () => (closed = true));
    res.write(
      `{"id":"chatcmpl-huge","object":"chat.completion","created":0,"model":${JSON.stringify(body.model)},"choices":[{"index":0,"message":{"role":"assistant","content":"`,
    );
    const piece = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < bytes && !closed; sent += piece.length) {
      const text = piece.slice(0, Math.min(piece.length, bytes - sent));
      this.hugeBytesSent += text.length;
      if (!res.write(text) && !closed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    }
    if (closed) return this.abandon();
    res.end(`"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`);
  }
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Waits, but gives up as soon as the client hangs up (a cancelled or timed-out request). */
function waitUnlessClosed(req: IncomingMessage, res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
    void req;
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
) {
  sendJson(
    res,
    status,
    { error: { message, type: code === 'invalid_api_key' ? 'invalid_request_error' : code, param: null, code } },
    headers,
  );
}

function sendStream(res: ServerResponse, body: ChatBody, content: string, finishReason = 'stop') {
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = {
    id: 'chatcmpl-stream',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
  };
  const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
  send({
    ...base,
    choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
  });
  for (let i = 0; i < content.length; i += 8)
    send({
      ...base,
      choices: [{ index: 0, delta: { content: content.slice(i, i + 8) }, logprobs: null, finish_reason: null }],
    });
  send({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }] });
  if (body.stream_options?.include_usage) {
    const promptTokens = tokens(body.messages.map((m) => m.content).join(' '));
    send({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: tokens(content),
        total_tokens: promptTokens + tokens(content),
      },
    });
  }
  res.end('data: [DONE]\n\n');
}
