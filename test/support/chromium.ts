import { existsSync } from 'fs';
import * as path from 'path';

/**
 * A Chromium to drive with playwright-core: CLARIFIER_CHROMIUM, else `chromium` (or its usual
 * other names) on PATH, which test/e2e/setup.sh installs. Undefined when there is none, so that
 * a test can skip with a line that says how to get one.
 */
export function findChromium(): string | undefined {
  if (process.env.CLARIFIER_CHROMIUM && existsSync(process.env.CLARIFIER_CHROMIUM))
    return process.env.CLARIFIER_CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export const NO_CHROMIUM =
  'no Chromium found: run test/e2e/setup.sh (installs it) or set CLARIFIER_CHROMIUM to a Chromium executable';
