import {
  ModelClient,
  ModelError,
  redact,
  resolveModelSettings,
  SettingsError,
  type Logger,
  type ModelSettings,
  type ModelSettingsInput,
} from '../engine/modelFeatures';

/** What a headless model command gets: its result, or one message that says what to set up. */
export type HeadlessOutcome<T> = T | { setupError: string };

/**
 * Runs `body` with a model client for a command run from the terminal: bad settings and endpoint
 * errors (no key, unreachable, refused) become one setup message with the key redacted; any other
 * error is a bug and propagates. A missing key is a setup error even when the body would ask nothing.
 */
export async function withHeadlessModel<T>(
  input: ModelSettingsInput,
  access: { apiKey?: string; logger?: Logger; concurrency?: (settings: ModelSettings) => number },
  body: (client: ModelClient, settings: ModelSettings) => Promise<T>,
): Promise<HeadlessOutcome<T>> {
  let settings: ModelSettings;
  try {
    settings = resolveModelSettings(input);
  } catch (error) {
    if (error instanceof SettingsError) return { setupError: error.message };
    throw error;
  }
  const client = new ModelClient({
    apiKey: access.apiKey,
    concurrency: access.concurrency?.(settings) ?? 1,
    logger: access.logger,
  });
  try {
    client.checkKey(settings.candidate);
    return await body(client, settings);
  } catch (error) {
    if (error instanceof ModelError) return { setupError: redact(error.message, access.apiKey) };
    throw error;
  }
}
