import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAMES, parseConfig, type ClarifierConfig } from '../engine/config';

/** The config file in `folder`, if any. Throws with the file name when it cannot be read or is invalid. */
export function loadConfigFile(folder: string): { config: ClarifierConfig; file: string } | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(folder, name);
    if (existsSync(file)) return { config: parseConfig(readFileSync(file, 'utf8'), file), file };
  }
  return undefined;
}

export function readConfigFile(file: string): ClarifierConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parseConfig(text, file);
}
