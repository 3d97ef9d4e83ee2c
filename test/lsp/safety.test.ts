// The server never reads an untitled document from disk, and rename refuses ids and targets that
// would damage the workspace.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/corpus';
import { positionOf, startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'garden');

describe('LSP safety: untitled documents and rename', function () {
  let client: LspClient | undefined;
  let scratch: string | undefined;
  afterEach(async function () {
    await client?.stop();
    client = undefined;
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it('closing an untitled document reads nothing from disk, even when a file of that name exists in the working folder', async function () {
    client = await startServer(GARDEN);
    // the server's working folder is this process's: a file there named like the untitled document
    const name = `Untitled-clarifier-${process.pid}.md`;
    const decoy = path.join(process.cwd(), name);
    writeFileSync(decoy, '# Decoy {#decoy}\n\nThe assistant must not read this file.[^decoy]\n');
    try {
      const uri = `untitled:${name}`;
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri,
          languageId: 'markdown',
          version: 1,
          text: '# Draft\n\nThe agent must reply as appropriate.\n',
        },
      });
      const open = (await client.connection.sendRequest('clarifier/status', { uri })) as { sections: number };
      assert.equal(open.sections, 1, 'the open untitled document is indexed from its text');
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const closed = (await client.connection.sendRequest('clarifier/status', { uri })) as {
        isSpec: boolean;
        sections: number;
      };
      assert.deepEqual(
        [closed.isSpec, closed.sections],
        [false, 0],
        'after closing, the document is gone from the index and the decoy was not read',
      );
      const symbols = (await client.connection.sendRequest('workspace/symbol', { query: 'decoy' })) as unknown[];
      assert.deepEqual(symbols, [], 'nothing of the decoy file is indexed');
    } finally {
      rmSync(decoy, { force: true });
    }
  });

  it('refuses new ids with control characters or over 100 characters', async function () {
    client = await startServer(GARDEN);
    const spec = readFileSync(path.join(GARDEN, 'garden_spec.md'), 'utf8');
    const uri = await client.open('garden_spec.md');
    const rename = (needle: string, newName: string) =>
      client!.connection.sendRequest('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(spec, needle, 3),
        newName,
      });
    await assert.rejects(rename('{#frost_care', 'frost\u0000care'), /contains a control character/);
    await assert.rejects(rename('[^wt01]', 'wt\u001b01'), /contains a control character/);
    await assert.rejects(rename('{#frost_care', 'x'.repeat(300)), /is 300 characters long; keep it under 100/);
  });

  it('refuses to rename an example file onto a file that exists but is not indexed', async function () {
    scratch = mkdtempSync(path.join(tmpdir(), 'clarifier-rename-'));
    cpSync(GARDEN, scratch, { recursive: true });
    client = await startServer(scratch);
    const spec = readFileSync(path.join(scratch, 'garden_spec.md'), 'utf8');
    const uri = await client.open('garden_spec.md');
    // written after the workspace scan, with no file event: the server does not know it
    const stray = path.join(scratch, 'examples', 'wt55.md');
    writeFileSync(stray, 'A stray note that must survive.\n');
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(spec, '[^wt01]', 3),
        newName: 'wt55',
      }),
      /examples\/wt55\.md already exists/,
    );
    assert.ok(existsSync(stray));
    // a free id still renames the file
    const edit = (await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: positionOf(spec, '[^wt01]', 3),
      newName: 'wt56',
    })) as { documentChanges: { kind?: string }[] };
    assert.ok(edit.documentChanges.some((change) => change.kind === 'rename'));
  });
});
