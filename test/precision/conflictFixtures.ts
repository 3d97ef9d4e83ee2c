// Precision and recall of the default conflict tier on our own requirement-document fixtures
// (test/fixtures/conflicts/bench/): "tuned" were looked at while adjusting the rules, "heldout"
// never were. Run alone: npx tsx test/precision/conflictFixtures.ts (also part of `npm run bench`).
import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig } from '../../server/src/engine/config';
import { conflictFindings } from '../../server/src/engine/conflicts/analysis';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';

const BENCH = path.resolve(__dirname, '..', 'fixtures', 'conflicts', 'bench');

export interface FixtureScore {
  set: string;
  expected: number;
  reported: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Reported pairs no expected pair names, and expected pairs not reported, as clause texts. */
  falsePositives: string[][];
  missed: string[][];
}

/** Scores one fixture set: reported pairs are warning-level conflict findings, one per pair of clauses. */
export function scoreFixtureSet(set: 'tuned' | 'heldout'): FixtureScore {
  const expectedFile = JSON.parse(readFileSync(path.join(BENCH, `${set}.json`), 'utf8')) as { files: Record<string, [string, string][]> };
  const folder = path.join(BENCH, set);
  let expected = 0;
  let reported = 0;
  let truePositives = 0;
  const falsePositives: string[][] = [];
  const missed: string[][] = [];
  for (const [file, pairs] of Object.entries(expectedFile.files)) {
    // each file alone, as its own spec: the files of one set are unrelated documents
    const uri = URI.file(path.join(folder, file)).toString();
    const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [URI.file(folder).toString()]);
    workspace.setConfig(resolveConfig({}));
    workspace.markAsSpec(uri);
    workspace.update(uri, readFileSync(path.join(folder, file), 'utf8'), 1);
    const doc = workspace.get(uri)!;
    const found = new Map<string, [string, string]>();
    for (const finding of conflictFindings(workspace, uri)) {
      if (finding.severity !== 'warning' || !finding.related?.length) continue;
      const self = doc.text.slice(finding.span.start, finding.span.end);
      const other = doc.text.slice(finding.related[0].span.start, finding.related[0].span.end);
      const [x, y] = [self, other].sort();
      found.set(`${x}\n${y}`, [x, y]);
    }
    expected += pairs.length;
    reported += found.size;
    const matched = new Set<string>();
    for (const [a, b] of pairs) {
      const hit = [...found].find(([, [x, y]]) => (x.includes(a) && y.includes(b)) || (x.includes(b) && y.includes(a)));
      if (hit) {
        truePositives++;
        matched.add(hit[0]);
      } else missed.push([file, a, b]);
    }
    for (const [key, [x, y]] of found) if (!matched.has(key)) falsePositives.push([file, x, y]);
  }
  return { set, expected, reported, truePositives, precision: reported ? truePositives / reported : 1, recall: expected ? truePositives / expected : 1, falsePositives, missed };
}

export function fixtureReportLines(): string[] {
  const lines: string[] = [];
  for (const set of ['tuned', 'heldout'] as const) {
    const score = scoreFixtureSet(set);
    lines.push(`${set.padEnd(8)} precision ${score.precision.toFixed(2)} (${score.truePositives}/${score.reported})  recall ${score.recall.toFixed(2)} (${score.truePositives}/${score.expected})   target: precision >= 0.80, recall >= 0.50`);
    for (const [file, x, y] of score.falsePositives) lines.push(`    false positive in ${file}: "${x.trim()}" / "${y.trim()}"`);
    for (const [file, a, b] of score.missed) lines.push(`    missed in ${file}: "${a}" / "${b}"`);
  }
  return lines;
}

if (require.main === module) for (const line of fixtureReportLines()) console.log(line);
