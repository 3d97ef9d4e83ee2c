import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Profile } from '../../server/src/engine/config';
import { seededRandom } from '../support/seededRandom';
import { corpusDocuments, lintCorpusDocument, type CorpusFinding, type CorpusKind } from './corpus';

/**
 * The hand-judged precision sample over the whole corpus (real specs of four kinds + the Model Spec).
 * Drawn by `node --import tsx test/precision/report.ts draw`: per rule and profile, every finding
 * when there are at most SAMPLE_PER_RULE, else SAMPLE_PER_RULE drawn with a fixed seed. Strict
 * entries are findings the strict profile adds to the default one. Verdicts are written by hand:
 * "would the author change this wording here?", with the reason.
 */
export const SAMPLE_FILE = path.resolve(__dirname, 'corpus-sample.json');
export const SEED = 20251218;
export const SAMPLE_PER_RULE = 20;
/** Bars from issue 10: every default rule at 80% (across the corpus and on each kind where it fires), strict at 50%. */
export const DEFAULT_BAR = 0.8;
export const STRICT_BAR = 0.5;
/** A kind is held to the bar once it has this many judged findings of the rule: one or two are noise, not a rate. */
export const MIN_PER_KIND = 3;

export interface Judged {
  profile: Profile;
  rule: string;
  kind: CorpusKind;
  doc: string;
  line: number;
  excerpt: string;
  sentence: string;
  verdict: boolean | null;
  reason: string;
}

/** A seeded Fisher-Yates shuffle with the project's one sample generator (test/support/seededRandom.ts). */
export function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

export function findingKey(f: { rule: string; doc: string; line: number; excerpt: string }): string {
  return `${f.rule}|${f.doc}|${f.line}|${f.excerpt}`;
}

interface SampleFile {
  findings: Judged[];
  /** Verdicts of findings outside the current draw, kept so a later re-draw that picks them needs no new judgement. */
  outsideSample?: Judged[];
  removed?: Judged[];
}

function readSampleFile(): SampleFile | undefined {
  return existsSync(SAMPLE_FILE) ? (JSON.parse(readFileSync(SAMPLE_FILE, 'utf8')) as SampleFile) : undefined;
}

/** The judged sample: the seeded draw of every rule, as the precision table counts it. */
export function judgedSample(): Judged[] {
  return readSampleFile()?.findings ?? [];
}

/** Every verdict on record for findings still in a profile (the draw and those outside it). */
export function knownVerdicts(): Judged[] {
  const file = readSampleFile();
  return [...(file?.findings ?? []), ...(file?.outsideSample ?? [])];
}

export interface CorpusRun {
  /** Default-profile findings, and the findings the strict profile adds. */
  byProfile: Record<Profile, CorpusFinding[]>;
  /** Every default-profile finding (conflicts too), by document, for the recall list. */
  allByDoc: Map<string, { rule: string; line: number }[]>;
  wordsByKind: Map<CorpusKind, number>;
}

/** Lints every corpus document under both profiles. */
export function runCorpus(): CorpusRun {
  const byProfile: Record<Profile, CorpusFinding[]> = { default: [], strict: [] };
  const wordsByKind = new Map<CorpusKind, number>();
  const allByDoc = new Map<string, { rule: string; line: number }[]>();
  for (const entry of corpusDocuments()) {
    const base = lintCorpusDocument(entry, 'default');
    allByDoc.set(entry.name, base.all);
    const strict = lintCorpusDocument(entry, 'strict');
    const inDefault = new Set(base.findings.map(findingKey));
    byProfile.default.push(...base.findings);
    byProfile.strict.push(...strict.findings.filter((f) => !inDefault.has(findingKey(f))));
    wordsByKind.set(entry.kind, (wordsByKind.get(entry.kind) ?? 0) + base.words);
  }
  return { byProfile, allByDoc, wordsByKind };
}

export const RECALL_FILE = path.resolve(__dirname, 'recall.json');

export interface RecallItem {
  doc: string;
  line: number;
  quote: string;
  why: string;
  /** Rules that flag the sentence for this reason. */
  rules: string[];
}

export function recallItems(): RecallItem[] {
  return (JSON.parse(readFileSync(RECALL_FILE, 'utf8')) as { items: RecallItem[] }).items;
}

/** How many of the sentences a reviewer flagged the default profile flags for the right reason. */
export function recallReport(
  run: CorpusRun,
  items: RecallItem[] = recallItems(),
): { caught: RecallItem[]; missed: RecallItem[]; lines: string[] } {
  const caught: RecallItem[] = [];
  const missed: RecallItem[] = [];
  for (const item of items) {
    const found = run.allByDoc.get(item.doc) ?? [];
    (found.some((f) => f.line === item.line && item.rules.includes(f.rule)) ? caught : missed).push(item);
  }
  const lines = [
    `recall on ${new Set(items.map((i) => i.doc)).size} closely read documents: ${caught.length}/${items.length} reviewer-flagged sentences flagged for the right reason (${Math.round((100 * caught.length) / items.length)}%)`,
  ];
  const byKind = new Map<string, { caught: number; total: number }>();
  for (const item of items) {
    const kind = item.doc.split('/')[0];
    const row = byKind.get(kind) ?? { caught: 0, total: 0 };
    row.total++;
    if (caught.includes(item)) row.caught++;
    byKind.set(kind, row);
  }
  lines.push(`  per kind: ${[...byKind].map(([k, r]) => `${k} ${r.caught}/${r.total}`).join(', ')}`);
  return { caught, missed, lines };
}

/** The findings of one profile and rule a seeded draw picks: all of them up to SAMPLE_PER_RULE, else that many. */
export function seededDraw<T extends { rule: string; doc: string; line: number; excerpt: string }>(findings: T[]): T[] {
  // a stable order first, so the draw depends on the findings and not on the order documents were read
  const ordered = [...findings].sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
  return shuffled(ordered, SEED).slice(0, SAMPLE_PER_RULE);
}

/**
 * The sample a run calls for: per profile and rule, the seeded draw. Verdicts on record are carried
 * over; a finding drawn for the first time has `"verdict": null` until judged by hand. Verdicts of
 * findings the draw does not pick go to `outside`.
 */
export function drawSample(run: CorpusRun, previous: Judged[]): { sample: Judged[]; outside: Judged[] } {
  const known = new Map(previous.map((e) => [`${e.profile}|${findingKey(e)}`, e]));
  const sample: Judged[] = [];
  const drawn = new Set<string>();
  for (const profile of ['default', 'strict'] as const) {
    const rules = [...new Set(run.byProfile[profile].map((f) => f.rule))].sort();
    for (const rule of rules) {
      for (const f of seededDraw(run.byProfile[profile].filter((f) => f.rule === rule))) {
        const key = `${profile}|${findingKey(f)}`;
        const old = known.get(key);
        drawn.add(key);
        sample.push({
          profile,
          rule,
          kind: f.kind,
          doc: f.doc,
          line: f.line,
          excerpt: f.excerpt,
          sentence: f.sentence.slice(0, 400),
          verdict: old?.verdict ?? null,
          reason: old?.reason ?? '',
        });
      }
    }
  }
  const outside = previous.filter((e) => e.verdict !== null && !drawn.has(`${e.profile}|${findingKey(e)}`));
  return { sample, outside };
}

interface Row {
  right: number;
  judged: number;
}

function rate(row: Row): string {
  return `${row.right}/${row.judged} (${Math.round((100 * row.right) / row.judged)}%)`;
}

export interface PrecisionTable {
  /** profile → rule → overall row and rows per kind */
  rows: Map<string, { overall: Row; byKind: Map<CorpusKind, Row> }>;
  lines: string[];
  /** Rules or rule × kind cells under their bar. */
  belowBar: string[];
}

/** Precision per rule and profile, across the corpus and per document kind, from the verdicts. */
export function precisionTable(entries: Judged[], run?: CorpusRun): PrecisionTable {
  const rows = new Map<string, { overall: Row; byKind: Map<CorpusKind, Row> }>();
  for (const e of entries) {
    if (e.verdict === null) continue;
    const key = `${e.profile}|${e.rule}`;
    const row = rows.get(key) ?? { overall: { right: 0, judged: 0 }, byKind: new Map() };
    const kindRow = row.byKind.get(e.kind) ?? { right: 0, judged: 0 };
    row.overall.judged++;
    kindRow.judged++;
    if (e.verdict) {
      row.overall.right++;
      kindRow.right++;
    }
    row.byKind.set(e.kind, kindRow);
    rows.set(key, row);
  }
  const lines: string[] = [];
  const belowBar: string[] = [];
  const counts = new Map<string, number>();
  if (run)
    for (const profile of ['default', 'strict'] as const)
      for (const f of run.byProfile[profile])
        counts.set(`${profile}|${f.rule}`, (counts.get(`${profile}|${f.rule}`) ?? 0) + 1);
  for (const [key, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    const [profile, rule] = key.split('|');
    const bar = profile === 'default' ? DEFAULT_BAR : STRICT_BAR;
    const kinds = [...row.byKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, r]) => `${kind} ${rate(r)}`);
    const total = counts.get(key);
    lines.push(
      `${profile.padEnd(7)} ${rule.padEnd(24)} ${rate(row.overall).padEnd(13)}${total !== undefined ? ` of ${total} findings` : ''}  [${kinds.join(', ')}]`,
    );
    if (row.overall.right / row.overall.judged < bar)
      belowBar.push(`${profile} ${rule}: ${rate(row.overall)} is under ${bar * 100}%`);
    if (profile === 'default') {
      for (const [kind, r] of row.byKind)
        if (r.judged >= MIN_PER_KIND && r.right / r.judged < bar)
          belowBar.push(`${profile} ${rule} on ${kind}: ${rate(r)} is under ${bar * 100}%`);
    }
  }
  for (const profile of ['default', 'strict'] as const) {
    const judged = entries.filter((e) => e.profile === profile && e.verdict !== null);
    if (!judged.length) continue;
    const right = judged.filter((e) => e.verdict).length;
    const byKind = new Map<CorpusKind, Row>();
    for (const e of judged) {
      const r = byKind.get(e.kind) ?? { right: 0, judged: 0 };
      r.judged++;
      if (e.verdict) r.right++;
      byKind.set(e.kind, r);
    }
    lines.push(
      `${profile} profile, all rules: ${rate({ right, judged: judged.length })}; per kind: ${[...byKind]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, r]) => `${k} ${rate(r)}`)
        .join(', ')}`,
    );
  }
  if (run) {
    // strict reports what default does plus what it adds
    for (const [profile, findings] of [
      ['default', run.byProfile.default],
      ['strict', [...run.byProfile.default, ...run.byProfile.strict]],
    ] as const) {
      const perKind = new Map<CorpusKind, number>();
      for (const f of findings) perKind.set(f.kind, (perKind.get(f.kind) ?? 0) + 1);
      const parts = [...run.wordsByKind].map(
        ([kind, words]) =>
          `${kind} ${((1000 * (perKind.get(kind) ?? 0)) / words).toFixed(2)} (${perKind.get(kind) ?? 0} on ${words} words)`,
      );
      lines.push(`${profile}-profile findings per 1,000 words: ${parts.join(', ')}`);
    }
  }
  return { rows, lines, belowBar };
}

if (require.main === module) {
  const run = runCorpus();
  if (process.argv[2] === 'draw') {
    const { sample, outside } = drawSample(run, knownVerdicts());
    const method = `Per rule and profile: every finding when there are at most ${SAMPLE_PER_RULE}, else ${SAMPLE_PER_RULE} drawn with seed ${SEED} (test/support/seededRandom.ts, findings in a stable order). Strict entries are findings the strict profile adds. Each verdict answers, by hand: would the author change this wording here? outsideSample keeps verdicts of findings the draw does not pick; they are not counted.`;
    // judgements of rules since removed from both profiles stay on record, outside the re-checked table
    const removed = readSampleFile()?.removed ?? [];
    writeFileSync(
      SAMPLE_FILE,
      JSON.stringify(
        {
          corpus: '../shared/corpus/real-specs + model-spec-2025-12-18/model_spec.md',
          method,
          findings: sample,
          outsideSample: outside,
          removed,
        },
        null,
        1,
      ) + '\n',
    );
    const open = sample.filter((e) => e.verdict === null);
    console.log(`${sample.length} entries, ${open.length} to judge`);
  } else {
    for (const line of precisionTable(judgedSample(), run).lines) console.log(line);
    const recall = recallReport(run);
    for (const line of recall.lines) console.log(line);
    if (process.argv[2] === 'missed')
      for (const item of recall.missed)
        console.log(`  missed ${item.doc.split('/').pop()}:${item.line} "${item.quote}" (${item.rules.join('/')})`);
  }
}
