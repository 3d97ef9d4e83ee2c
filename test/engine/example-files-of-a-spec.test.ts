import { strict as assert } from 'assert';
import { collectUnits } from '../../server/src/engine/clauseTests/collect';
import { silentLogger } from '../../server/src/engine/host';
import { hover } from '../../server/src/engine/languageFeatures/hover';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { MemoryFileSystem } from '../support/memoryFileSystem';

// Example files are found by marker id. A draft kept in a subfolder with its own examples/ must not
// have its examples run (and graded) against the main spec's clause of the same id, nor the reverse.

const transcript = (answer: string) =>
  `**Example**: a refund question\n\n~~~xml\n<user>\nCan I get my money back?\n</user>\n<assistant>\n${answer}\n</assistant>\n~~~\n`;

const FILES = {
  '/spec/spec.md': '# Refunds {#refunds}\n\nThe assistant must explain the refund window.[^window]\n',
  '/spec/examples/window.md': `Examples for [^window] in Refunds:\n\n${transcript('Within 14 days.')}`,
  '/spec/drafts/spec.md': '# Refunds draft {#refunds-draft}\n\nThe assistant must offer store credit.[^window]\n',
  '/spec/drafts/examples/window.md': `Examples for [^window] in Refunds draft:\n\n${transcript('Store credit only.')}`,
  '/spec/other/policy.md': '# Policy {#policy}\n\nThe assistant must explain the refund window.[^window]\n',
};

async function workspaceOf(files: Record<string, string>): Promise<SpecWorkspace> {
  const workspace = new SpecWorkspace(new MemoryFileSystem(files), silentLogger, [MemoryFileSystem.uri('/spec')]);
  await workspace.scan();
  return workspace;
}

function answersRunFor(workspace: SpecWorkspace, path: string): string[] {
  const units = collectUnits(workspace.get(MemoryFileSystem.uri(path))!, workspace);
  return units.flatMap((unit) => unit.examples.map((example) => workspace.relativePath(example.uri)));
}

describe('example files of a spec', () => {
  it("run against the clause of the spec whose examples/ folder holds them, not a draft's", async () => {
    const workspace = await workspaceOf(FILES);
    assert.deepStrictEqual(answersRunFor(workspace, '/spec/spec.md'), ['examples/window.md']);
    assert.deepStrictEqual(answersRunFor(workspace, '/spec/drafts/spec.md'), ['drafts/examples/window.md']);
  });

  it('are still found in another folder when the spec has none of its own', async () => {
    const workspace = await workspaceOf(FILES);
    assert.deepStrictEqual(answersRunFor(workspace, '/spec/other/policy.md').sort(), [
      'drafts/examples/window.md',
      'examples/window.md',
    ]);
  });

  it("the hover on a marker names only the spec's own example file", async () => {
    const workspace = await workspaceOf(FILES);
    const doc = workspace.get(MemoryFileSystem.uri('/spec/spec.md'))!;
    const at = doc.lines.positionAt(doc.text.indexOf('[^window]') + 3);
    const shown = JSON.stringify(hover(workspace, doc, at));
    assert.match(shown, /examples\/window\.md/);
    assert.doesNotMatch(shown, /drafts\/examples/);
  });
});
