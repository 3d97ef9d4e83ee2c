import { askAboutClauses, type AmbiguityTarget, type AmbiguityTierOptions } from './ambiguity';

/**
 * Calibration of the ambiguity tier: a labelled list of clauses goes to the model exactly as the
 * tier sends a spec's clauses, and the report says how often it flags the ambiguous ones (recall),
 * how often it flags the clear ones (false alarms), and what that cost.
 */
export interface LabelledClause {
  clause: string;
  ambiguous: boolean;
  /** Why it is (or is not) ambiguous: for the reader of the set, never sent to the model. */
  reason?: string;
  sectionTitle?: string;
  /** Other sentences of its section, sent as context like a spec's. */
  section?: string;
  definitions?: string[];
}

export class CalibrationSetError extends Error {}

/** Reads and checks a labelled set; every problem names the item and what to write instead. */
export function readLabelledSet(text: string, name: string): LabelledClause[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CalibrationSetError(
      `${name} is not JSON (${(error as Error).message}): write a list like [{"clause": "...", "ambiguous": true, "reason": "..."}]`,
    );
  }
  const items = Array.isArray(value) ? value : (value as { clauses?: unknown })?.clauses;
  if (!Array.isArray(items) || !items.length)
    throw new CalibrationSetError(
      `${name} holds no clauses: write a list like [{"clause": "...", "ambiguous": true, "reason": "..."}] (or {"clauses": [...]})`,
    );
  return items.map((raw, index) => {
    const item = raw as Record<string, unknown>;
    const where = `${name}, item ${index + 1}`;
    if (!item || typeof item !== 'object')
      throw new CalibrationSetError(`${where} is not an object: write {"clause": "...", "ambiguous": true|false}`);
    if (typeof item.clause !== 'string' || !item.clause.trim())
      throw new CalibrationSetError(`${where} has no "clause" text`);
    if (typeof item.ambiguous !== 'boolean')
      throw new CalibrationSetError(
        `${where} needs "ambiguous": true or false (got ${JSON.stringify(item.ambiguous)})`,
      );
    const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : undefined);
    const definitions = Array.isArray(item.definitions)
      ? item.definitions.filter((d): d is string => typeof d === 'string')
      : [];
    return {
      clause: item.clause.replace(/\s+/g, ' ').trim(),
      ambiguous: item.ambiguous,
      reason: text('reason'),
      sectionTitle: text('sectionTitle'),
      section: text('section'),
      definitions,
    };
  });
}

export interface CalibrationItemResult {
  clause: string;
  expected: boolean;
  /** What the model said; undefined when its answer could not be read. */
  flagged?: boolean;
  error?: string;
  readings?: string[];
}

export interface CalibrationReport {
  model: string;
  total: number;
  ambiguous: number;
  clear: number;
  /** Ambiguous clauses the model flagged. */
  caught: number;
  /** Clear clauses the model flagged. */
  falseAlarms: number;
  /** Answers that could not be read: counted as not flagged, and listed. */
  unreadable: number;
  /** caught / ambiguous */
  recall: number;
  /** falseAlarms / clear */
  falseAlarmRate: number;
  requests: number;
  fromCache: number;
  promptTokens: number;
  completionTokens: number;
  items: CalibrationItemResult[];
}

export async function calibrateAmbiguity(
  items: LabelledClause[],
  options: AmbiguityTierOptions,
): Promise<CalibrationReport> {
  const targets: AmbiguityTarget[] = items.map((item, index) => ({
    uri: `calibration:${index}`,
    text: item.clause,
    span: { start: 0, end: item.clause.length },
    sectionTitle: item.sectionTitle,
    sectionText: item.section ?? '',
    definitions: item.definitions ?? [],
    priorityReasons: [],
  }));
  const run = await askAboutClauses(targets, { ...options, budget: Number.MAX_SAFE_INTEGER });
  const byUri = new Map(run.results.map((result) => [result.target.uri, result]));
  const results: CalibrationItemResult[] = items.map((item, index) => {
    const result = byUri.get(`calibration:${index}`);
    return {
      clause: item.clause,
      expected: item.ambiguous,
      flagged: result?.verdict?.ambiguous,
      error: result?.error,
      readings: result?.verdict?.ambiguous ? result.verdict.readings : undefined,
    };
  });
  const ambiguous = results.filter((r) => r.expected).length;
  const clear = results.length - ambiguous;
  const caught = results.filter((r) => r.expected && r.flagged === true).length;
  const falseAlarms = results.filter((r) => !r.expected && r.flagged === true).length;
  return {
    model: run.results.find((r) => !r.cached)?.model ?? options.endpoint.model,
    total: results.length,
    ambiguous,
    clear,
    caught,
    falseAlarms,
    unreadable: results.filter((r) => r.flagged === undefined).length,
    recall: ambiguous ? caught / ambiguous : 0,
    falseAlarmRate: clear ? falseAlarms / clear : 0,
    requests: run.requests,
    fromCache: run.fromCache,
    promptTokens: run.promptTokens,
    completionTokens: run.completionTokens,
    items: results,
  };
}

export function formatCalibration(report: CalibrationReport, setName: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const lines = [
    `Ambiguity tier calibration on ${setName} with ${report.model}:`,
    `  recall ${report.caught}/${report.ambiguous} = ${pct(report.recall)} (ambiguous clauses flagged)`,
    `  false alarms ${report.falseAlarms}/${report.clear} = ${pct(report.falseAlarmRate)} (clear clauses flagged)`,
    `  unreadable answers ${report.unreadable} (counted as not flagged)`,
    `  cost ${report.requests} request(s), ${report.fromCache} from cache, ${report.promptTokens} prompt + ${report.completionTokens} completion tokens`,
  ];
  const missed = report.items.filter((r) => r.expected && r.flagged !== true);
  const alarms = report.items.filter((r) => !r.expected && r.flagged === true);
  if (missed.length)
    lines.push(
      'Missed (ambiguous, not flagged):',
      ...missed.map((r) => `  - ${r.clause}${r.error ? ` [${r.error.slice(0, 120)}]` : ''}`),
    );
  if (alarms.length)
    lines.push(
      'False alarms (clear, flagged):',
      ...alarms.map((r) => `  - ${r.clause}${r.readings ? ` [readings: ${r.readings.join(' / ')}]` : ''}`),
    );
  return lines.join('\n') + '\n';
}
