import type { Range } from 'vscode-languageserver-types';
import type { UnitResult } from './types';

export const GRADERS_DISAGREE_MESSAGE = 'graders read this clause differently';

/** One grader's reading of one answer or reference. */
export interface GraderReading {
  grader: string;
  pass: boolean;
  rationale: string;
}

/**
 * Evidence that the clause's wording can be read two ways: graders that split on the same answer
 * of the model, or a grader that passed the spec's BAD reference or failed its GOOD one.
 */
export interface GraderDisagreement {
  kind: 'split' | 'calibration';
  exampleKey: string;
  title: string;
  uri: string;
  range: Range;
  /** What was judged: the model's answer, or the labelled reference. */
  answer: string;
  /** For calibration: the spec's label of the reference. */
  label?: 'GOOD' | 'BAD';
  readings: GraderReading[];
}

/** Every disagreement in a unit's latest result: split verdicts of each sample, graders that misread a labelled reference. */
export function graderDisagreements(unit: UnitResult): GraderDisagreement[] {
  const found: GraderDisagreement[] = [];
  for (const example of unit.examples) {
    for (const sample of example.samples ?? []) {
      const readings = sample.verdicts.flatMap((v) =>
        v.verdict ? [{ grader: v.grader, pass: v.verdict.pass, rationale: v.verdict.rationale }] : [],
      );
      if (new Set(readings.map((r) => r.pass)).size < 2) continue;
      found.push({
        kind: 'split',
        exampleKey: example.exampleKey,
        title: example.title,
        uri: example.uri,
        range: example.range,
        answer: sample.answer ?? '',
        readings,
      });
    }
  }
  const byReference = new Map<string, GraderDisagreement>();
  for (const c of unit.calibration ?? []) {
    if (!c.verdict) continue;
    const key = c.exampleKey + '\0' + c.label + '\0' + c.reference;
    let entry = byReference.get(key);
    if (!entry)
      byReference.set(
        key,
        (entry = {
          kind: 'calibration',
          exampleKey: c.exampleKey,
          title: c.title,
          uri: c.uri,
          range: c.range,
          answer: c.reference,
          label: c.label,
          readings: [],
        }),
      );
    entry.readings.push({ grader: c.grader ?? unit.grader, pass: c.verdict.pass, rationale: c.verdict.rationale });
  }
  // a labelled reference is evidence when some grader read it against its label
  for (const entry of byReference.values())
    if (entry.readings.some((r) => r.pass !== (entry.label === 'GOOD'))) found.push(entry);
  return found;
}

/** One line per disagreement: the graders' rationales side by side. */
export function describeDisagreement(d: GraderDisagreement): string {
  const readings = d.readings
    .map((r) => `${r.grader} ${r.pass ? 'passed' : 'failed'} it${r.rationale ? ` ("${oneLine(r.rationale)}")` : ''}`)
    .join('; ');
  return d.kind === 'split'
    ? `on the answer to "${d.title}": ${readings}`
    : `on the ${d.label} reference of "${d.title}": ${readings}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? flat.slice(0, 240) + '…' : flat;
}
