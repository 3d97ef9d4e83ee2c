/** Where and how to call a chat model. Shared by clause tests, "clarify this clause" and the conflict model tier. */
export interface EndpointSettings {
  /** An OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseUrl: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** Per request, including reading the whole answer. */
  timeoutMs: number;
  /** How many attempts after the first one on 429, 5xx, timeouts and dropped connections. */
  retries: number;
  /** Endpoints without the `developer` role (older servers, most local ones) get `system` instead. */
  mapDeveloperToSystem: boolean;
  /** The largest answer read, in bytes of the response body; a larger one is an error and is not read to the end. */
  maxAnswerBytes: number;
}

export interface ModelSettings {
  /** The model under test. */
  candidate: EndpointSettings;
  /** The model that judges answers; defaults to the candidate's endpoint. The first of `graders`. */
  grader: EndpointSettings;
  /** Every grader: each answer is judged by each, and the majority decides. */
  graders: EndpointSettings[];
  /** Requests in flight at once, over both models. */
  concurrency: number;
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4.1-mini';

export const DEFAULT_ENDPOINT: EndpointSettings = {
  baseUrl: DEFAULT_BASE_URL,
  model: DEFAULT_MODEL,
  temperature: 0,
  maxTokens: 1024,
  timeoutMs: 60_000,
  retries: 3,
  mapDeveloperToSystem: false,
  maxAnswerBytes: 1024 * 1024,
};

/** Hosted endpoints answer many requests at once within a minute. */
export const DEFAULT_CONCURRENCY = 4;
/**
 * A server on this machine (llama.cpp, Ollama, LM Studio) usually answers one request at a time on
 * the CPU: more at once only wait in its queue, and a long answer takes minutes.
 */
export const LOCAL_CONCURRENCY = 1;
export const LOCAL_TIMEOUT_MS = 10 * 60_000;

/** A server on this machine: it needs no key, and gets the local defaults. */
export function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** What a user can set: every field optional, grader fields fall back to the candidate's. */
export interface ModelSettingsInput {
  baseUrl?: string;
  model?: string;
  graderBaseUrl?: string;
  /** One grader model, or several separated by commas ("a,b,c"): each grades, the majority decides. */
  graderModel?: string;
  /** Several grader models (the setting `clarifier.grader.models`); wins over graderModel when not empty. */
  graderModels?: string[];
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  mapDeveloperToSystem?: boolean;
  maxAnswerBytes?: number;
}

export class SettingsError extends Error {}

/**
 * An editor setting whose empty value means "same as the model" or "automatic": the Settings UI cannot
 * edit a null-typed setting, so the empty string and 0 stand for it; null (settings written before) is
 * read the same way.
 */
export function settingText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** A number setting where 0 (or null, from before) means "automatic". */
export function settingNumber(value: unknown): number | undefined {
  return typeof value === 'number' && value !== 0 ? value : undefined;
}

/** Fills defaults and rejects values that cannot work, with a message that names the setting. */
export function resolveModelSettings(input: ModelSettingsInput = {}): ModelSettings {
  const baseUrl = normaliseBaseUrl(input.baseUrl || DEFAULT_BASE_URL, 'base URL');
  const candidate: EndpointSettings = {
    ...DEFAULT_ENDPOINT,
    baseUrl,
    model: input.model || DEFAULT_MODEL,
    temperature: input.temperature ?? DEFAULT_ENDPOINT.temperature,
    maxTokens: input.maxTokens ?? DEFAULT_ENDPOINT.maxTokens,
    timeoutMs: input.timeoutMs ?? defaultTimeout(baseUrl),
    retries: input.retries ?? DEFAULT_ENDPOINT.retries,
    mapDeveloperToSystem: input.mapDeveloperToSystem ?? DEFAULT_ENDPOINT.mapDeveloperToSystem,
    maxAnswerBytes: input.maxAnswerBytes ?? DEFAULT_ENDPOINT.maxAnswerBytes,
  };
  const graderBaseUrl = input.graderBaseUrl ? normaliseBaseUrl(input.graderBaseUrl, 'grader base URL') : baseUrl;
  const names = graderNames(input);
  const graders: EndpointSettings[] = (names.length ? names : [candidate.model]).map((model) => ({
    ...candidate,
    baseUrl: graderBaseUrl,
    model,
    // the grader should be as repeatable as the endpoint allows, whatever the candidate's temperature
    temperature: 0,
    timeoutMs: input.timeoutMs ?? defaultTimeout(graderBaseUrl),
  }));
  const grader = graders[0];
  // one limit over both models: a local server among them sets the pace
  const concurrency =
    input.concurrency ?? (isLoopback(baseUrl) || isLoopback(graderBaseUrl) ? LOCAL_CONCURRENCY : DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new SettingsError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  if (candidate.temperature !== undefined && (candidate.temperature < 0 || candidate.temperature > 2))
    throw new SettingsError(`temperature must be between 0 and 2, not ${candidate.temperature}`);
  if (candidate.maxTokens !== undefined && (!Number.isInteger(candidate.maxTokens) || candidate.maxTokens < 1))
    throw new SettingsError(`maxTokens must be a positive whole number, not ${candidate.maxTokens}`);
  if (!(candidate.timeoutMs > 0)) throw new SettingsError(`timeoutMs must be positive, not ${candidate.timeoutMs}`);
  if (!Number.isInteger(candidate.retries) || candidate.retries < 0)
    throw new SettingsError(`retries must be a whole number of at least 0, not ${candidate.retries}`);
  if (!Number.isInteger(candidate.maxAnswerBytes) || candidate.maxAnswerBytes < 1024)
    throw new SettingsError(`maxAnswerBytes must be a whole number of at least 1024, not ${candidate.maxAnswerBytes}`);
  return { candidate, grader, graders, concurrency };
}

/** The grader models asked for, without blanks; the same name twice is one grader (it would only repeat its vote). */
function graderNames(input: ModelSettingsInput): string[] {
  const listed = input.graderModels?.length ? input.graderModels : (input.graderModel ?? '').split(',');
  const names = [...new Set(listed.map((name) => name.trim()).filter(Boolean))];
  if ((input.graderModels?.length || input.graderModel?.includes(',')) && !names.length)
    throw new SettingsError('the grader models list is empty: name at least one model, e.g. gpt-4.1-mini,gpt-4o');
  return names;
}

function normaliseBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`the ${name} "${value}" is not a URL: write it like http://127.0.0.1:11434/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new SettingsError(`the ${name} "${value}" must start with http:// or https://`);
  return value.replace(/\/+$/, '');
}

function defaultTimeout(baseUrl: string): number {
  return isLoopback(baseUrl) ? LOCAL_TIMEOUT_MS : DEFAULT_ENDPOINT.timeoutMs;
}
