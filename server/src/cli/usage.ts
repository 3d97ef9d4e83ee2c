/** What `clarifier --help`, `--version` and argument errors need: nothing of the engine, so they start at once. */

import { VERSION } from '../node/version';

export const CLI_VERSION = VERSION;

/** A usage or I/O error: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** By name, not instanceof: dist/lint.js and dist/cli.js each bundle their own copy of the class. */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}
