import { readFileSync } from 'fs';
import * as path from 'path';
import { ambiguityFindings } from './lintCorpus';

/** One hand-judged finding of test/precision/ambiguity-sample.json. */
export interface Judged {
  profile: 'default' | 'strict';
  rule: string;
  line: number;
  excerpt: string;
  verdict: boolean;
  reason: string;
}

export const SAMPLE_FILE = path.resolve(__dirname, 'ambiguity-sample.json');

export function judgedSample(): Judged[] {
  return (JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as { findings: Judged[] }).findings;
}

/** Precision per rule from the hand-judged verdicts. */
export function precisionTable(entries: Judged[]): Map<string, { right: number; judged: number }> {
  const table = new Map<string, { right: number; judged: number }>();
  for (const entry of entries) {
    const row = table.get(entry.rule) ?? { right: 0, judged: 0 };
    row.judged++;
    if (entry.verdict) row.right++;
    table.set(entry.rule, row);
  }
  return table;
}

/** The per-rule precision table and the default profile's totals, as printed by the test and the benchmark. */
export function precisionReport(entries: Judged[] = judgedSample()): { lines: string[]; precision: number } {
  const { normativeSentences } = ambiguityFindings();
  const lines: string[] = [];
  for (const profile of ['default', 'strict'] as const) {
    const subset = entries.filter((e) => e.profile === profile);
    for (const [rule, row] of precisionTable(subset)) lines.push(`${profile.padEnd(7)} ${rule.padEnd(24)} ${row.right}/${row.judged} (${Math.round((100 * row.right) / row.judged)}%)`);
  }
  const defaults = entries.filter((e) => e.profile === 'default');
  const precision = defaults.filter((e) => e.verdict).length / defaults.length;
  lines.push(`default profile: ${(precision * 100).toFixed(1)}% right, ${((100 * defaults.length) / normativeSentences).toFixed(1)} findings per 100 normative sentences (${defaults.length} on ${normativeSentences})`);
  return { lines, precision };
}
