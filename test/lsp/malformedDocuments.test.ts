import * as assert from 'assert';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { startServer, type LspClient } from './harness';

describe('robustness: the language server survives malformed documents', function () {
  this.timeout(120_000);
  let folder: string;
  let lsp: LspClient;
  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'clarifier-malformed-'));
    lsp = await startServer(folder, { textDocument: { diagnostic: {} } });
  });
  after(async () => {
    await lsp.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers diagnostics for binary garbage, an unclosed transcript and an emptied file, and keeps serving', async () => {
    const { connection } = lsp;
    const uri = URI.file(path.join(folder, 'garbage.md')).toString();
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) % 256)).toString('latin1');
    const pull = async () =>
      (await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
        kind: string;
        items: Diagnostic[];
      };
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text: garbage },
    });
    assert.strictEqual((await pull()).kind, 'full');
    const transcript =
      '# T {#t}\n\n**Example**: cut\n\n~~~xml\n<comparison>\n<assistant>\n<!-- GOOD -->\n😀 [?](#gone)';
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: transcript }],
    });
    assert.strictEqual((await pull()).kind, 'full');
    // an incremental edit that deletes everything, then one that types into the empty file
    const end = { line: transcript.split('\n').length - 1, character: transcript.split('\n').pop()!.length };
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text: '' }],
    });
    assert.deepStrictEqual((await pull()).items, []);
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 4 },
      contentChanges: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          text: '# Back {#back}\n\nSee [?](#back).\n',
        },
      ],
    });
    assert.strictEqual((await pull()).kind, 'full');
    assert.ok(lsp.running(), 'the server is still running');
    assert.doesNotMatch(lsp.stderr(), /TypeError|RangeError|Maximum call stack/);
  });
});
