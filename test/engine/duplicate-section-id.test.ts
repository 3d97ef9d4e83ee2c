import { strict as assert } from 'assert';
import { silentLogger } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MemoryFileSystem } from '../support/memoryFileSystem';

// An id declared by many headings (a spec pasted into itself, a template section copied forty
// times) must give findings a reader can use, and must not grow with the square of the copies.

async function duplicateFindings(files: Record<string, string>, uri: string) {
  const workspace = new SpecWorkspace(new MemoryFileSystem(files), silentLogger, [MemoryFileSystem.uri('/spec')]);
  await workspace.scan();
  const doc = workspace.get(MemoryFileSystem.uri(uri))!;
  return lintDocument(doc, workspace, silentLogger).filter((f) => f.ruleId === 'duplicate-section-id');
}

describe('duplicate-section-id', () => {
  it('names a few of many duplicates with their lines and links to the first ten', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `## Refunds ${i} {#refunds}\n\nRefunds must be paid.\n`).join(
      '\n',
    );
    const findings = await duplicateFindings({ '/spec/spec.md': text }, '/spec/spec.md');
    assert.strictEqual(findings.length, 40);
    assert.strictEqual(
      findings[0].message,
      'Section id "refunds" is also declared by "Refunds 1" (line 5), "Refunds 2" (line 9), "Refunds 3" (line 13) and 36 more headings: references to #refunds cannot tell them apart. Give each heading a unique id.',
    );
    for (const finding of findings) assert.strictEqual(finding.related?.length, 10);
  });

  it('names the other file of a duplicate declared elsewhere', async () => {
    const findings = await duplicateFindings(
      {
        '/spec/a.md': '# A\n\n## Refunds {#refunds}\n\nRefunds must be paid.\n',
        '/spec/b.md': '# B\n\n## Returns {#refunds}\n\nReturns must be unused.\n',
      },
      '/spec/a.md',
    );
    assert.deepStrictEqual(
      findings.map((f) => f.message),
      [
        'Section id "refunds" is also declared by "Returns" (b.md:3): references to #refunds cannot tell them apart. Give each heading a unique id.',
      ],
    );
  });
});
