import * as assert from 'assert';
import { createLanguageService, silentLogger } from '../../server/src/engine/languageService';
import { SpecWorkspace } from '../../server/src/engine/workspace';
import { generatedSpec } from '../support/hostileInputs';
import { MemoryFileSystem } from '../support/memoryFileSystem';

// The language server's workspace scan parses a big file from disk in slices, with pauses in which
// the editor may open that file or the disk may change it. The newer text wins, nothing is lost, and
// the index a scan with pauses builds is the one the CLI's scan in one go builds.

/** A spec big enough to be parsed in several slices (about 600 KB), ending in a section others link to. */
const BIG =
  generatedSpec()
    .text.slice(0, 600_000)
    .replace(/\n[^\n]*$/, '\n') + '\n## Last rule {#last}\n';

const FILES: Record<string, string> = {
  '/ws/a-small.md':
    '# Small {#small}\n\nThe assistant must follow [the last rule](big.md#last) and [another](big.md#not-there).[^d1]\n',
  '/ws/big.md': BIG,
  '/ws/examples/d1.md':
    'Examples for [^d1] in Small:\n\n**Example**: one\n\n~~~xml\n<user>\nHi\n</user>\n<assistant>\nHello.\n</assistant>\n~~~\n',
  '/ws/z-other.md': '# Other {#other}\n\nThe assistant must not guess; see [small](a-small.md#small).\n',
};
const uri = MemoryFileSystem.uri;
const BIG_URI = uri('/ws/big.md');

/** A pause like the server's, which runs `atFirstPause` (once) inside the big file's parse. */
function pauseOnce(atFirstPause: () => void | Promise<void>) {
  let paused = 0;
  return async () => {
    paused++;
    if (paused === 2) await atFirstPause(); // the first pause comes after the first file; the second is inside the big one
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

/** A file system that counts reads of each file. */
class CountingFileSystem extends MemoryFileSystem {
  reads = new Map<string, number>();
  override async readFile(fileUri: string) {
    this.reads.set(fileUri, (this.reads.get(fileUri) ?? 0) + 1);
    return super.readFile(fileUri);
  }
}

describe('workspace scan with pauses', function () {
  this.timeout(120_000);

  it('gives every file the diagnostics a scan in one go gives (the CLI)', async () => {
    const diagnosticsOf = async (pause?: () => Promise<void>) => {
      const service = createLanguageService({
        fileSystem: new MemoryFileSystem(FILES),
        logger: silentLogger,
        roots: [uri('/ws')],
        pause,
      });
      await service.scan();
      const all: Record<string, unknown> = {};
      for (const file of service.indexedUris().sort()) all[file] = await service.computeDiagnostics(file);
      return all;
    };
    let pauses = 0;
    const yielded = await diagnosticsOf(() => (pauses++, new Promise((resolve) => setImmediate(resolve))));
    const inOneGo = await diagnosticsOf();
    assert.ok(pauses > Object.keys(FILES).length, `paused inside the big file too (${pauses} pauses)`);
    assert.deepStrictEqual(Object.keys(yielded), Object.keys(FILES).map(uri).sort(), 'every file indexed');
    assert.deepStrictEqual(yielded, inOneGo);
    const small = yielded[uri('/ws/a-small.md')] as { message: string }[];
    assert.deepStrictEqual(
      small.map((d) => d.message).filter((m) => /big\.md/.test(m)),
      ['"big.md" has no section with the id "not-there".'],
      "the big file's last section resolves",
    );
  });

  it("keeps the editor's text when the editor opens the file the scan is parsing", async () => {
    const fileSystem = new CountingFileSystem(FILES);
    const workspace = new SpecWorkspace(fileSystem, silentLogger, [uri('/ws')]);
    const editorText = '# Edited {#edited}\n';
    await workspace.scan(undefined, { pause: pauseOnce(() => void workspace.update(BIG_URI, editorText, 7)) });
    assert.strictEqual(workspace.get(BIG_URI)?.text, editorText, "the scan's parse of the disk text was dropped");
    assert.strictEqual(workspace.get(BIG_URI)?.version, 7);
    assert.deepStrictEqual(
      workspace
        .allDocuments()
        .map((d) => d.uri)
        .sort(),
      Object.keys(FILES).map(uri).sort(),
    );
    assert.deepStrictEqual([...fileSystem.reads.values()], [1, 1, 1, 1], 'each file read once');
    assert.deepStrictEqual(workspace.sections('last'), [], 'no section of the dropped text is indexed');
  });

  it('keeps the newer text on disk when the file changes while the scan parses it', async () => {
    const fileSystem = new MemoryFileSystem(FILES);
    const workspace = new SpecWorkspace(fileSystem, silentLogger, [uri('/ws')]);
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    let reread: Promise<unknown> | undefined;
    await workspace.scan(undefined, {
      pause: pauseOnce(() => {
        // what the server does on a file watcher's event
        fileSystem.write('/ws/big.md', '# Rewritten {#rewritten}\n');
        reread = workspace.refreshFromDisk(BIG_URI, { pause });
      }),
    });
    await reread;
    assert.strictEqual(workspace.get(BIG_URI)?.text, '# Rewritten {#rewritten}\n');
    assert.strictEqual(workspace.sections('rewritten').length, 1);
  });

  it('leaves a file out when it is deleted while the scan parses it', async () => {
    const fileSystem = new MemoryFileSystem(FILES);
    const workspace = new SpecWorkspace(fileSystem, silentLogger, [uri('/ws')]);
    await workspace.scan(undefined, {
      pause: pauseOnce(() => {
        fileSystem.delete('/ws/big.md');
        workspace.remove(BIG_URI);
      }),
    });
    assert.strictEqual(workspace.get(BIG_URI), undefined);
    assert.strictEqual(workspace.allDocuments().length, Object.keys(FILES).length - 1);
  });

  it('does not read a file whose editor text is being parsed, and applies that text', async () => {
    const fileSystem = new CountingFileSystem(FILES);
    const workspace = new SpecWorkspace(fileSystem, silentLogger, [uri('/ws')]);
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    const editorText = BIG.replace('## Last rule {#last}', '## Final rule {#final}');
    const opened = workspace.updateYielding(BIG_URI, editorText, 3, pause, { isCancellationRequested: false });
    await workspace.scan(undefined, { pause });
    const change = await opened;
    assert.strictEqual(fileSystem.reads.get(BIG_URI), undefined, 'the scan left the file to the editor');
    assert.strictEqual(change?.after?.version, 3);
    assert.strictEqual(workspace.get(BIG_URI)?.text, editorText);
    assert.strictEqual(workspace.sections('final').length, 1);
  });

  it('stops at the next pause when the host cancels the scan', async () => {
    const workspace = new SpecWorkspace(new MemoryFileSystem(FILES), silentLogger, [uri('/ws')]);
    const token = { isCancellationRequested: false };
    await workspace.scan(undefined, { pause: pauseOnce(() => void (token.isCancellationRequested = true)), token });
    // the first file is in; the big one's parse was cut short, and nothing after it was read
    assert.deepStrictEqual(
      workspace.allDocuments().map((d) => d.uri),
      [uri('/ws/a-small.md')],
    );
  });
});
