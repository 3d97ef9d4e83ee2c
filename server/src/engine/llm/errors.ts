import type { Logger } from '../host';

/** Why a model call failed, in words that say what to fix. Never contains the API key. */
export type ModelErrorKind =
  | 'no-key'
  | 'unauthorized'
  | 'unreachable'
  | 'model-not-found'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'bad-request'
  /** The endpoint answered, but not with a chat completion: an HTML page, plain text, no choices. */
  | 'not-chat'
  /** The answer is there but cannot be used: not a verdict, not the JSON asked for. */
  | 'bad-answer'
  /** The model stopped at the token limit (finish_reason "length"): the answer is cut off. */
  | 'truncated'
  /** The answer is larger than the configured limit; it was not read to the end. */
  | 'too-large'
  | 'cancelled';

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelError';
  }

  /** Configuration problems that no retry fixes: they stop a whole run before more requests are wasted. */
  get isConfiguration(): boolean {
    return (
      this.kind === 'no-key' ||
      this.kind === 'unauthorized' ||
      this.kind === 'unreachable' ||
      this.kind === 'model-not-found' ||
      this.kind === 'bad-request' ||
      this.kind === 'not-chat'
    );
  }

  /**
   * The endpoint as a whole is failing (configuration, or still rate limiting or failing after the
   * retries): every other request of the run would fail the same way, so the run stops. Problems
   * with one answer (cut off, too large, not a verdict, one slow answer) stay with their example.
   */
  get stopsRun(): boolean {
    return this.isConfiguration || this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'cancelled';
  }
}

export const NO_KEY_MESSAGE =
  "no API key: set OPENAI_API_KEY or run 'Clarifier: Set API Key'; a local OpenAI-compatible server (http://127.0.0.1:…/v1, e.g. Ollama or llama.cpp) needs no key: set its base URL (--base-url, or the setting clarifier.model.baseUrl)";

export function isRetryable(error: ModelError): boolean {
  return (
    error.kind === 'rate-limited' || error.kind === 'server' || error.kind === 'timeout' || error.kind === 'unreachable'
  );
}

/**
 * The key as it may have been given (surrounding spaces or quotes, a "Bearer " prefix) reduced to
 * the token itself: what is sent, and what redaction looks for.
 */
export function normaliseApiKey(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let key = raw.trim();
  if (/^(["']).*\1$/.test(key)) key = key.slice(1, -1).trim();
  key = key.replace(/^bearer\s+/i, '').trim();
  return key || undefined;
}

/** Every spelling of the key that can turn up in text: as given, as sent, JSON-escaped, URL-encoded, base64. */
function keyForms(apiKey: string): string[] {
  const forms = new Set<string>();
  const add = (form: string | undefined) => {
    if (form && form.length >= 4) forms.add(form);
  };
  add(apiKey);
  add(apiKey.trim());
  const key = normaliseApiKey(apiKey);
  if (key) {
    add(key);
    add(JSON.stringify(key).slice(1, -1));
    add(encodeURIComponent(key));
    try {
      add(btoa(key).replace(/=+$/, ''));
    } catch {
      // not Latin-1: no base64 form to look for
    }
  }
  // longest first, so that a form containing another is replaced whole
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Removes the key, in any form it was given, and anything that looks like an OpenAI key from text. */
export function redact(text: string, apiKey: string | undefined): string {
  let result = text;
  if (apiKey) for (const form of keyForms(apiKey)) result = result.split(form).join('[redacted]');
  return result.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
}

/** A logger that redacts the key from every message and field before it is written. */
export function redactingLogger(logger: Logger, apiKey: string | undefined): Logger {
  if (!apiKey) return logger;
  const clean = (data: Record<string, unknown> | undefined) =>
    data === undefined ? undefined : (JSON.parse(redact(JSON.stringify(data), apiKey)) as Record<string, unknown>);
  const wrap =
    (write: Logger['info']): Logger['info'] =>
    (message, data) =>
      write(redact(message, apiKey), clean(data));
  return {
    error: wrap(logger.error.bind(logger)),
    warn: wrap(logger.warn.bind(logger)),
    info: wrap(logger.info.bind(logger)),
    debug: wrap(logger.debug.bind(logger)),
  };
}
