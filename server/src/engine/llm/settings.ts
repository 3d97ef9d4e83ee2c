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
}

export interface ModelSettings {
  /** The model under test. */
  candidate: EndpointSettings;
  /** The model that judges answers; defaults to the candidate's endpoint. */
  grader: EndpointSettings;
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
};

/** What a user can set: every field optional, grader fields fall back to the candidate's. */
export interface ModelSettingsInput {
  baseUrl?: string;
  model?: string;
  graderBaseUrl?: string;
  graderModel?: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  mapDeveloperToSystem?: boolean;
}

export class SettingsError extends Error {}

/** Fills defaults and rejects values that cannot work, with a message that names the setting. */
export function resolveModelSettings(input: ModelSettingsInput = {}): ModelSettings {
  const baseUrl = normaliseBaseUrl(input.baseUrl || DEFAULT_BASE_URL, 'base URL');
  const candidate: EndpointSettings = {
    ...DEFAULT_ENDPOINT,
    baseUrl,
    model: input.model || DEFAULT_MODEL,
    temperature: input.temperature ?? DEFAULT_ENDPOINT.temperature,
    maxTokens: input.maxTokens ?? DEFAULT_ENDPOINT.maxTokens,
    timeoutMs: input.timeoutMs ?? DEFAULT_ENDPOINT.timeoutMs,
    retries: input.retries ?? DEFAULT_ENDPOINT.retries,
    mapDeveloperToSystem: input.mapDeveloperToSystem ?? DEFAULT_ENDPOINT.mapDeveloperToSystem,
  };
  const grader: EndpointSettings = {
    ...candidate,
    baseUrl: input.graderBaseUrl ? normaliseBaseUrl(input.graderBaseUrl, 'grader base URL') : baseUrl,
    model: input.graderModel || candidate.model,
    // the grader should be as repeatable as the endpoint allows, whatever the candidate's temperature
    temperature: 0,
  };
  const concurrency = input.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new SettingsError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  if (candidate.temperature !== undefined && (candidate.temperature < 0 || candidate.temperature > 2)) throw new SettingsError(`temperature must be between 0 and 2, not ${candidate.temperature}`);
  if (candidate.maxTokens !== undefined && (!Number.isInteger(candidate.maxTokens) || candidate.maxTokens < 1)) throw new SettingsError(`maxTokens must be a positive whole number, not ${candidate.maxTokens}`);
  if (!(candidate.timeoutMs > 0)) throw new SettingsError(`timeoutMs must be positive, not ${candidate.timeoutMs}`);
  if (!Number.isInteger(candidate.retries) || candidate.retries < 0) throw new SettingsError(`retries must be a whole number of at least 0, not ${candidate.retries}`);
  return { candidate, grader, concurrency };
}

function normaliseBaseUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(`the ${name} "${value}" is not a URL: write it like http://127.0.0.1:11434/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SettingsError(`the ${name} "${value}" must start with http:// or https://`);
  return value.replace(/\/+$/, '');
}
