// lintDocument answers a repeated question from memory; this checks that the memory never goes stale.
import * as assert from 'assert';
import { resolveConfig } from '../../server/src/engine/config';
import { silentLogger, type FileSystem } from '../../server/src/engine/host';
import { lintDocument } from '../../server/src/engine/lint';
import { SpecWorkspace } from '../../server/src/engine/workspace';

const noDisk: FileSystem = {
  readFile: async () => undefined,
  stat: async () => undefined,
  readDirectory: async () => [],
};
const A = 'file:///memo/a.md';
const B = 'file:///memo/b.md';
const dangling = (workspace: SpecWorkspace) =>
  lintDocument(workspace.get(A)!, workspace, silentLogger).filter((f) => f.ruleId === 'dangling-reference');

describe('lintDocument memo', function () {
  // engine tests that lint the whole Model Spec many times: slow on a shared machine, not in a loop
  this.timeout(60000);
  let workspace: SpecWorkspace;
  beforeEach(() => {
    workspace = new SpecWorkspace(noDisk, silentLogger, ['file:///memo']);
    workspace.update(A, '# A {#a}\n\nSee [?](#target).\n', 1);
    workspace.update(B, '# B {#b}\n\nNothing here yet.\n', 1);
  });

  it('gives the same findings twice, and a caller changing the list does not change the next answer', () => {
    const first = dangling(workspace);
    assert.strictEqual(first.length, 1);
    first.length = 0;
    assert.strictEqual(dangling(workspace).length, 1);
  });

  it('sees a change in another file: the reference resolves once that file declares the id', () => {
    assert.strictEqual(dangling(workspace).length, 1);
    workspace.update(B, '# B {#b}\n\n## Target {#target}\n', 2);
    assert.strictEqual(dangling(workspace).length, 0, 'the same document object, linted again after b.md changed');
  });

  it('sees a config change', () => {
    assert.strictEqual(dangling(workspace).length, 1);
    workspace.setConfig(resolveConfig({ rules: { 'dangling-reference': 'off' } }));
    assert.strictEqual(dangling(workspace).length, 0);
  });

  it('sees another file become a spec', () => {
    workspace.update(B, 'Plain notes.\n\n## Target\n', 2);
    assert.strictEqual(dangling(workspace).length, 1, 'a plain file is not a spec: its slug ids do not count');
    workspace.markAsSpec(B);
    assert.strictEqual(dangling(workspace).length, 0, 'once marked as a spec, its heading resolves the reference');
  });
});
