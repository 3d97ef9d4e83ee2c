// Precision and recall of the default conflict tier on our own requirement-document fixtures
// (test/engine/fixtures/conflicts/bench/): "tuned" were looked at while adjusting the rules, "heldout"
// never were. Run alone: npx tsx test/precision/conflictFixtures.ts (also part of `npm run bench`).
import { readFileSync } from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { resolveConfig } from '../../server/src/engine/config';
import { conflictFindings } from '../../server/src/engine/conflicts/analysis';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';

const BENCH = path.resolve(__dirname, '..', 'engine', 'fixtures', 'conflicts', 'bench');

interface ExpectedFile {
  files: Record<string, ([string, string] | [string, string, string])[]>;
  /** The category of a file's pairs and of its false positives; a pair's third element overrides it. */
  fileCategories?: Record<string, string>;
  categoryNames?: Record<string, string>;
}

/** Counts of one category, over both sets. */
export interface CategoryScore {
  name: string;
  expected: number;
  truePositives: number;
  falsePositives: number;
}

export interface FixtureScore {
  set: string;
  /** Per category of issue 11 (numbers, only, negation, scopes, instruction files, modal-less statements). */
  categories: Map<string, CategoryScore>;
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
  const expectedFile = JSON.parse(readFileSync(path.join(BENCH, `${set}.json`), 'utf8')) as ExpectedFile;
  const categories = new Map<string, CategoryScore>();
  const category = (id: string): CategoryScore => {
    let score = categories.get(id);
    if (!score)
      categories.set(
        id,
        (score = { name: expectedFile.categoryNames?.[id] ?? id, expected: 0, truePositives: 0, falsePositives: 0 }),
      );
    return score;
  };
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
    const fileCategory = expectedFile.fileCategories?.[file] ?? 'other';
    for (const [a, b, pairCategory] of pairs) {
      const counts = category(pairCategory ?? fileCategory);
      counts.expected++;
      const hit = [...found].find(([, [x, y]]) => (x.includes(a) && y.includes(b)) || (x.includes(b) && y.includes(a)));
      if (hit) {
        truePositives++;
        counts.truePositives++;
        matched.add(hit[0]);
      } else missed.push([file, a, b]);
    }
    for (const [key, [x, y]] of found) {
      if (matched.has(key)) continue;
      falsePositives.push([file, x, y]);
      category(fileCategory).falsePositives++;
    }
  }
  return {
    set,
    categories,
    expected,
    reported,
    truePositives,
    precision: reported ? truePositives / reported : 1,
    recall: expected ? truePositives / expected : 1,
    falsePositives,
    missed,
  };
}

export function fixtureReportLines(): string[] {
  const lines: string[] = [];
  const byCategory = new Map<string, CategoryScore & { sets: string[] }>();
  for (const set of ['tuned', 'heldout'] as const) {
    const score = scoreFixtureSet(set);
    for (const [id, counts] of score.categories) {
      const total = byCategory.get(id) ?? {
        name: counts.name,
        expected: 0,
        truePositives: 0,
        falsePositives: 0,
        sets: [],
      };
      total.expected += counts.expected;
      total.truePositives += counts.truePositives;
      total.falsePositives += counts.falsePositives;
      total.sets.push(`${set} ${counts.truePositives}/${counts.expected}`);
      byCategory.set(id, total);
    }
    lines.push(
      `${set.padEnd(8)} precision ${score.precision.toFixed(2)} (${score.truePositives}/${score.reported})  recall ${score.recall.toFixed(2)} (${score.truePositives}/${score.expected})   target: precision >= 0.80, recall >= 0.50`,
    );
    for (const [file, x, y] of score.falsePositives)
      lines.push(`    false positive in ${file}: "${x.trim()}" / "${y.trim()}"`);
    for (const [file, a, b] of score.missed) lines.push(`    missed in ${file}: "${a}" / "${b}"`);
  }
  lines.push('per category (tuned and held-out together):');
  for (const counts of byCategory.values()) {
    const reported = counts.truePositives + counts.falsePositives;
    const precision = reported ? counts.truePositives / reported : 1;
    lines.push(
      `  ${counts.name.padEnd(38)} precision ${precision.toFixed(2)} (${counts.truePositives}/${reported})  recall ${(counts.truePositives / counts.expected).toFixed(2)} (${counts.truePositives}/${counts.expected}; ${counts.sets.join(', ')})`,
    );
  }
  return lines;
}

if (require.main === module) for (const line of fixtureReportLines()) console.log(line);
