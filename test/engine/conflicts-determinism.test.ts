import * as assert from 'assert';
import { resolveConfig } from '../../server/src/engine/config';
import { ConflictIndex, conflictFindings } from '../../server/src/engine/conflicts/analysis';
import { silentLogger } from '../../server/src/engine/host';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { nodeFileSystem } from '../../server/src/node/fileSystem';
import { seededRandom } from '../support/seededRandom';

const ROOT = 'file:///determinism';

function workspaceOf(files: Record<string, string>): SpecWorkspace {
  const workspace = new SpecWorkspace(nodeFileSystem, silentLogger, [ROOT]);
  workspace.setConfig(resolveConfig({}));
  for (const [name, text] of Object.entries(files)) workspace.update(`${ROOT}/${name}`, text, 1);
  return workspace;
}

/** Every conflict finding of every file, as text an author would see: rule, clause, message, other clause. */
function snapshot(workspace: SpecWorkspace): string[] {
  const result: string[] = [];
  for (const doc of workspace.specDocuments()) {
    for (const finding of conflictFindings(workspace, doc.uri)) {
      const related = finding.related?.[0];
      const other = related && workspace.get(related.uri);
      result.push(
        [
          doc.uri,
          finding.ruleId,
          finding.severity,
          doc.text.slice(finding.span.start, finding.span.end),
          finding.message,
          other ? other.text.slice(related.span.start, related.span.end) : '',
        ].join(' | '),
      );
    }
  }
  return result.sort();
}

/** What a fresh server or the CLI reports for the same files. */
function fresh(workspace: SpecWorkspace): string[] {
  const files: Record<string, string> = {};
  for (const doc of workspace.specDocuments()) files[doc.uri.slice(ROOT.length + 1)] = doc.text;
  return snapshot(workspaceOf(files));
}

const REGIONS = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26)) + 'x',
  );

describe('conflicts: the incremental index agrees with a fresh analysis', () => {
  const base =
    '# Export {#export}\n\nThe export service must encrypt archived invoices.\n\nThe export service must not encrypt archived invoices.\n';

  for (const count of [25, 121]) {
    it(`after appending ${count} regional duties in one edit (the export-service repro)`, () => {
      const workspace = workspaceOf({ 'spec.md': base });
      const uri = `${ROOT}/spec.md`;
      assert.strictEqual(snapshot(workspace).length, 2, 'the opposite pair before the edit');
      const appended = REGIONS(count)
        .map((region) => `The export service must encrypt archived invoices in region ${region}.`)
        .join('\n\n');
      workspace.update(uri, base + '\n' + appended + '\n', 2);
      const incremental = snapshot(workspace);
      assert.deepStrictEqual(incremental, fresh(workspace));
      // the ban contradicts every duty to encrypt, in any region: none is lost to the size of the spec
      const onBan = incremental.filter(
        (line) => line.split(' | ')[3] === 'The export service must not encrypt archived invoices.',
      );
      assert.strictEqual(onBan.length, count + 1, `the ban conflicts with each of the ${count + 1} duties`);
    });
  }
});

const ACTORS = ['export service', 'assistant', 'administrator', 'billing system'];
const MODALS = ['must', 'must not', 'should', 'may', 'shall', 'shall not', 'never'];
const VERBS = ['encrypt', 'delete', 'store', 'share', 'send', 'archive'];
const OBJECTS = ['archived invoices', 'customer records', 'audit logs', 'payment receipts'];
const TAILS = [
  '',
  ' within 14 days',
  ' within 30 days',
  ' daily',
  ' weekly',
  ' in region eu',
  ' in region us',
  ' unless the customer objects',
  ' with at most 5 retries',
  ' with at least 8 retries',
  ' only through the admin console',
  ' through the public API',
];

function sentence(next: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const modal = pick(MODALS);
  const text =
    modal === 'never'
      ? `The ${pick(ACTORS)} must never ${pick(VERBS)} ${pick(OBJECTS)}${pick(TAILS)}.`
      : `The ${pick(ACTORS)} ${modal} ${pick(VERBS)} ${pick(OBJECTS)}${pick(TAILS)}.`;
  return text;
}

function generateSpec(next: () => number, clauses: number): string[] {
  const blocks: string[] = [];
  for (let i = 0; i < clauses; i++) {
    if (i % 6 === 0) blocks.push(`## Area ${i / 6} {#area_${i / 6}}`);
    blocks.push(sentence(next));
  }
  return blocks;
}

/** One random edit of a spec's blocks: insert, delete, replace, move, duplicate, or a burst of appends. */
function edit(blocks: string[], next: () => number): string[] {
  const copy = [...blocks];
  const at = Math.floor(next() * (copy.length + 1));
  const r = next();
  if (r < 0.25) copy.splice(at, 0, sentence(next));
  else if (r < 0.4 && copy.length) copy.splice(Math.min(at, copy.length - 1), 1);
  else if (r < 0.6 && copy.length) copy[Math.min(at, copy.length - 1)] = sentence(next);
  else if (r < 0.7 && copy.length > 1) {
    const [moved] = copy.splice(Math.min(at, copy.length - 1), 1);
    copy.splice(Math.floor(next() * copy.length), 0, moved);
  } else if (r < 0.8 && copy.length) copy.splice(at, 0, copy[Math.min(at, copy.length - 1)]);
  else if (r < 0.9) for (let i = 0, n = 1 + Math.floor(next() * 30); i < n; i++) copy.push(sentence(next));
  else copy.splice(at, 0, `## Inserted ${Math.floor(next() * 1000)} {#inserted_${Math.floor(next() * 1000)}}`);
  return copy;
}

describe('conflicts: determinism under random edit sequences (seeded property test)', () => {
  const SEEDS = Number(process.env.CLARIFIER_PROPERTY_SEEDS ?? 12);
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`seed ${seed}: after every edit, the index equals a fresh analysis`, () => {
      const next = seededRandom(seed);
      const files = ['a.md', 'b.md'];
      const blocks = new Map(files.map((name) => [name, generateSpec(next, 20 + Math.floor(next() * 40))] as const));
      const text = (name: string) => '# Spec {#spec_' + name[0] + '}\n\n' + blocks.get(name)!.join('\n\n') + '\n';
      const workspace = workspaceOf(Object.fromEntries(files.map((name) => [name, text(name)])));
      snapshot(workspace);
      for (let step = 0; step < 15; step++) {
        const name = files[Math.floor(next() * files.length)];
        blocks.set(name, edit(blocks.get(name)!, next));
        workspace.update(`${ROOT}/${name}`, text(name), step + 2);
        // sometimes several edits land before the next analysis, as when typing fast
        if (next() < 0.3) continue;
        assert.deepStrictEqual(snapshot(workspace), fresh(workspace), `seed ${seed}, step ${step}`);
      }
      assert.deepStrictEqual(snapshot(workspace), fresh(workspace), `seed ${seed}, final`);
    });
  }
});

describe('conflicts: ordering by rank (big refreshes) agrees with ordering by content strings', () => {
  it('finds the same pairs, oriented the same way, in a spec full of pasted repeats', () => {
    const next = seededRandom(7);
    const blocks = generateSpec(next, 300);
    // the same sections pasted eight times: many clauses tie in the candidate ranking
    const text = Array.from({ length: 8 }, () => '# Spec\n\n' + blocks.join('\n\n')).join('\n\n') + '\n';
    const pairsWith = (rankByOrderFrom: number) => {
      const index = new ConflictIndex(workspaceOf({ 'spec.md': text }), rankByOrderFrom);
      index.refresh();
      return index
        .allPairs()
        .map((pair) => `${pair.a.order} | ${pair.b.order} | ${pair.ruleId} | ${pair.reason}`)
        .sort();
    };
    const byRank = pairsWith(0);
    assert.ok(byRank.length > 100, `${byRank.length} pairs`);
    assert.deepStrictEqual(byRank, pairsWith(Infinity));
  });
});
