// The near-duplicate-clause findings on the real-spec corpus and the Model Spec, and the hand-judged
// sample of them in conflicts-near-duplicates.json (issue 10: "would the author change this?").
//   node --import tsx test/precision/nearDuplicates.ts          precision of the judged sample
//   node --import tsx test/precision/nearDuplicates.ts draw     re-draw the sample (keeps verdicts)
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig, type Profile } from '../../server/src/engine/config';
import { conflictFindings } from '../../server/src/engine/conflicts/analysis';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { MODEL_SPEC_DIR, REAL_SPECS_DIR } from '../support/corpus';
import { seededRandom } from '../support/seededRandom';

export const NEAR_DUPLICATE_SAMPLE = path.resolve(__dirname, 'conflicts-near-duplicates.json');
const RULE = 'near-duplicate-clause';
const SEED = 20251218;
export const SAMPLE_SIZE = 20;

/** One reported pair: both clauses as written (whitespace collapsed), sorted, and where. */
export interface NearDuplicatePair {
  kind: string;
  doc: string;
  clause: string;
  other: string;
}

export interface JudgedPair extends NearDuplicatePair {
  /** Would the author merge or cross-reference the two? */
  verdict: boolean | null;
  reason: string;
}

export interface NearDuplicateSample {
  about: string;
  profile: Profile;
  reported: number;
  judged: JudgedPair[];
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
export const pairKey = (pair: NearDuplicatePair) => `${pair.doc}\n${pair.clause}\n${pair.other}`;

/** Every near-duplicate pair the given profile reports: each corpus folder linted as one workspace, every file as a spec. */
export async function nearDuplicatePairs(profile: Profile): Promise<NearDuplicatePair[]> {
  const pairs = new Map<string, NearDuplicatePair>();
  for (const [root, kindOf] of [
    [REAL_SPECS_DIR, (rel: string) => rel.split('/')[0]],
    [MODEL_SPEC_DIR, () => 'model-spec'],
  ] as const) {
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(root).toString()]);
    const config = resolveConfig({ profile });
    workspace.setConfig(config);
    await workspace.scan();
    for (const doc of workspace.allDocuments()) workspace.markAsSpec(doc.uri);
    for (const doc of workspace.allDocuments()) {
      const relative = path.relative(root, URI.parse(doc.uri).fsPath).split(path.sep).join('/');
      for (const finding of conflictFindings(workspace, doc.uri, config)) {
        if (finding.ruleId !== RULE || !finding.related?.length) continue;
        const otherDoc = workspace.get(finding.related[0].uri);
        if (!otherDoc) continue;
        const [clause, other] = [
          flat(doc.text.slice(finding.span.start, finding.span.end)),
          flat(otherDoc.text.slice(finding.related[0].span.start, finding.related[0].span.end)),
        ].sort();
        const pair = {
          kind: kindOf(relative),
          doc: kindOf(relative) === 'model-spec' ? 'model-spec/' + relative : relative,
          clause,
          other,
        };
        pairs.set(pairKey(pair), pair);
      }
    }
  }
  return [...pairs.values()].sort((a, b) => pairKey(a).localeCompare(pairKey(b)));
}

export function readSample(): NearDuplicateSample {
  return JSON.parse(readFileSync(NEAR_DUPLICATE_SAMPLE, 'utf8')) as NearDuplicateSample;
}

/** Precision of the judged pairs, overall and per document kind. */
export function samplePrecision(sample: NearDuplicateSample): {
  right: number;
  judged: number;
  perKind: Map<string, [number, number]>;
} {
  const perKind = new Map<string, [number, number]>();
  let right = 0;
  for (const pair of sample.judged) {
    const [r, n] = perKind.get(pair.kind) ?? [0, 0];
    perKind.set(pair.kind, [r + (pair.verdict ? 1 : 0), n + 1]);
    if (pair.verdict) right++;
  }
  return { right, judged: sample.judged.length, perKind };
}

async function main(): Promise<void> {
  const previous = (() => {
    try {
      return readSample();
    } catch {
      return undefined;
    }
  })();
  const profile: Profile = previous?.profile ?? 'default';
  const pairs = await nearDuplicatePairs(profile);
  if (process.argv[2] === 'draw') {
    const verdicts = new Map((previous?.judged ?? []).map((pair) => [pairKey(pair), pair] as const));
    // judged pairs still reported stay; the rest of the sample is drawn with the seed
    const kept = pairs.filter((pair) => verdicts.has(pairKey(pair)));
    const next = seededRandom(SEED);
    const pool = pairs
      .filter((pair) => !verdicts.has(pairKey(pair)))
      .map((pair) => [next(), pair] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, pair]) => pair);
    const drawn = [...kept, ...pool.slice(0, Math.max(0, SAMPLE_SIZE - kept.length))];
    const judged = drawn.map((pair) => verdicts.get(pairKey(pair)) ?? { ...pair, verdict: null, reason: '' });
    const sample: NearDuplicateSample = {
      about: previous?.about ?? '',
      profile,
      reported: pairs.length,
      judged: judged.sort((a, b) => pairKey(a).localeCompare(pairKey(b))),
    };
    writeFileSync(NEAR_DUPLICATE_SAMPLE, JSON.stringify(sample, null, 1) + '\n');
    console.log(
      `${pairs.length} pairs reported; ${judged.length} in the sample, ${judged.filter((p) => p.verdict === null).length} to judge`,
    );
    return;
  }
  if (!previous) throw new Error(`${NEAR_DUPLICATE_SAMPLE} is missing: run with "draw" first`);
  const { right, judged, perKind } = samplePrecision(previous);
  console.log(
    `near-duplicate-clause (${profile} profile): ${right}/${judged} judged pairs right (${Math.round((100 * right) / Math.max(1, judged))}%), ${pairs.length} pairs reported`,
  );
  for (const [kind, [r, n]] of perKind) console.log(`  ${kind.padEnd(20)} ${r}/${n}`);
}

if (require.main === module) void main();
