/** Why a model call failed, in words that say what to fix. Never contains the API key. */
export type ModelErrorKind = 'no-key' | 'unauthorized' | 'unreachable' | 'model-not-found' | 'rate-limited' | 'server' | 'timeout' | 'bad-request' | 'bad-answer' | 'cancelled';

export class ModelError extends Error {
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelError';
  }

  /** Configuration and endpoint problems stop a whole run; a bad answer fails one example. */
  get isConfiguration(): boolean {
    return this.kind === 'no-key' || this.kind === 'unauthorized' || this.kind === 'unreachable' || this.kind === 'model-not-found' || this.kind === 'bad-request';
  }
}

export const NO_KEY_MESSAGE = "no API key: set OPENAI_API_KEY or run 'Clarifier: Set API Key'";

export function isRetryable(error: ModelError): boolean {
  return error.kind === 'rate-limited' || error.kind === 'server' || error.kind === 'timeout' || error.kind === 'unreachable';
}

/** Removes anything that looks like the key from text that came back from a server. */
export function redact(text: string, apiKey: string | undefined): string {
  let result = text;
  if (apiKey && apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
  return result.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
}
