import picomatch from 'picomatch';
import { AUTHORITY_LEVELS } from './model';

export type SeveritySetting = 'off' | 'hint' | 'info' | 'warning' | 'error';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/** The settings both the CLI (`.clarifier.json`) and the editor (`clarifier.*`) understand. */
export interface ClarifierConfig {
  /** Severity per rule id; `off` disables a rule. */
  rules?: Record<string, SeveritySetting>;
  /** Globs, relative to the workspace root, of files that are specs even without spec syntax. */
  include?: string[];
  /** Globs of files that are never specs. */
  exclude?: string[];
  /** Values accepted in `authority=`. */
  authorities?: string[];
  /** `strict` uses each rule's strictSeverity where it has one (see docs/rules/README.md). */
  profile?: Profile;
  /** Groups of globs: the files of each group are specs meant to hold together, checked for conflicts across them. */
  specSets?: string[][];
  /**
   * How many sentences of one file the wording and conflict rules read (NLP tagging costs about
   * 0.1 ms a sentence); the rest of a bigger file gets the structural rules only, and a finding says
   * where reading stopped.
   */
  maxAnalyzedSentences?: number;
}

/** Thirteen times the sentences of the largest real spec we know (about 1,500): a 10 MB file of short rules stays within seconds. */
export const DEFAULT_MAX_ANALYZED_SENTENCES = 20_000;

/** A valid `maxAnalyzedSentences`: a whole number of sentences, at least 1. */
function isSentenceLimit(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

export type Profile = 'default' | 'strict';

export interface ResolvedConfig {
  rules: Record<string, SeveritySetting>;
  include: string[];
  exclude: string[];
  authorities: string[];
  profile: Profile;
  specSets: string[][];
  maxAnalyzedSentences: number;
}

export const CONFIG_FILE_NAMES = ['.clarifier.json', 'clarifier.config.json'];

export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/CHANGELOG.md', '**/LICENSE.md'];

export function resolveConfig(...layers: (ClarifierConfig | undefined)[]): ResolvedConfig {
  const resolved: ResolvedConfig = {
    rules: {},
    include: [],
    exclude: [...DEFAULT_EXCLUDE],
    authorities: [...AUTHORITY_LEVELS],
    profile: 'default',
    specSets: [],
    maxAnalyzedSentences: DEFAULT_MAX_ANALYZED_SENTENCES,
  };
  for (const layer of layers) {
    if (!layer) continue;
    Object.assign(resolved.rules, layer.rules ?? {});
    if (layer.include) resolved.include = [...new Set([...resolved.include, ...layer.include])];
    if (layer.exclude) resolved.exclude = [...new Set([...resolved.exclude, ...layer.exclude])];
    if (layer.authorities?.length) resolved.authorities = [...layer.authorities];
    if (layer.profile) resolved.profile = layer.profile;
    if (layer.specSets?.length) resolved.specSets = layer.specSets.map((set) => [...set]);
    // settings come unchecked from the editor: a value that is not a count keeps the default
    if (isSentenceLimit(layer.maxAnalyzedSentences)) resolved.maxAnalyzedSentences = layer.maxAnalyzedSentences;
  }
  return resolved;
}

/** Reads and checks a config file's text. Throws an Error whose message names what is wrong. */
export function parseConfig(text: string, source: string): ClarifierConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${source}: expected a JSON object such as {"rules": {"dangling-reference": "error"}}.`);
  const config = value as Record<string, unknown>;
  const result: ClarifierConfig = {};
  if (config.rules !== undefined) {
    if (typeof config.rules !== 'object' || config.rules === null)
      throw new Error(`${source}: "rules" must be an object of rule id to severity.`);
    result.rules = {};
    for (const [id, severity] of Object.entries(config.rules)) {
      if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
        throw new Error(
          `${source}: rule "${id}" has severity ${JSON.stringify(severity)}; expected one of ${SEVERITY_SETTINGS.join(', ')}.`,
        );
      }
      result.rules[id] = severity as SeveritySetting;
    }
  }
  for (const key of ['include', 'exclude', 'authorities'] as const) {
    const list = config[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))
      throw new Error(`${source}: "${key}" must be an array of strings.`);
    result[key] = list as string[];
  }
  if (config.profile !== undefined) {
    if (config.profile !== 'default' && config.profile !== 'strict')
      throw new Error(`${source}: "profile" is ${JSON.stringify(config.profile)}; expected "default" or "strict".`);
    result.profile = config.profile;
  }
  if (config.specSets !== undefined) {
    const sets = config.specSets;
    if (
      !Array.isArray(sets) ||
      sets.some((set) => !Array.isArray(set) || set.some((glob) => typeof glob !== 'string'))
    ) {
      throw new Error(`${source}: "specSets" must be an array of glob arrays, e.g. [["team-a/*.md", "team-b/*.md"]].`);
    }
    result.specSets = sets as string[][];
  }
  if (config.maxAnalyzedSentences !== undefined) {
    const limit = config.maxAnalyzedSentences;
    if (!isSentenceLimit(limit))
      throw new Error(
        `${source}: "maxAnalyzedSentences" is ${JSON.stringify(limit)}; expected a whole number of sentences of at least 1, e.g. ${DEFAULT_MAX_ANALYZED_SENTENCES}.`,
      );
    result.maxAnalyzedSentences = limit;
  }
  return result;
}

export function globMatcher(globs: string[]): (relativePath: string) => boolean {
  if (!globs.length) return () => false;
  const match = picomatch(globs, { dot: true });
  return (relativePath) => match(relativePath.replace(/\\/g, '/'));
}
