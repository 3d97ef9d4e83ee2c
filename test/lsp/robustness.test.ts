import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { LocationLink } from 'vscode-languageserver-protocol';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'fixtures', 'lsp', 'garden');

describe('LSP editor features on awkward input', function () {
  let client: LspClient;
  before(async function () {
    client = await startServer(GARDEN);
  });
  after(async function () {
    await client?.stop();
  });

  it('measures ranges in UTF-16 after emoji, with CRLF line endings and a BOM', async function () {
    const text = '\ufeff# Pots {#pots}\r\n\r\n🌱🌱 The assistant should water pots daily (see [?](#pots)).\r\n';
    const uri = await client.open('scratch/emoji.md', text);
    const line = 2;
    const character = '🌱🌱 The assistant should water pots daily (see [?](#'.length; // 4 code units for the two emoji
    const links = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character: character + 1 } })) as LocationLink[];
    assert.deepEqual(links.map((l) => [l.originSelectionRange, l.targetSelectionRange]), [[
      { start: { line, character }, end: { line, character: character + 4 } },
      { start: { line: 0, character: 1 }, end: { line: 0, character: 15 } }, // the heading, after the BOM
    ]]);
  });

  it('answers every request on binary garbage, an empty file and unclosed markup without failing', async function () {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const texts = {
      'scratch/garbage.md': garbage,
      'scratch/empty.md': '',
      'scratch/unclosed.md': '# Half {#half authority=\n\n**Example**: no end\n\n~~~xml\n<user>\nhello [^\n<comparison>\n<assistant> <!-- BAD[# -->\n[?](#',
    };
    for (const [file, text] of Object.entries(texts)) {
      const uri = await client.open(file, text);
      const lines = text.split('\n').length;
      for (let line = 0; line < Math.min(lines, 12); line++) {
        for (const character of [0, 3, 12, 200]) {
          const position = { line, character };
          const textDocument = { uri };
          await client.connection.sendRequest('textDocument/definition', { textDocument, position });
          await client.connection.sendRequest('textDocument/hover', { textDocument, position });
          await client.connection.sendRequest('textDocument/references', { textDocument, position, context: { includeDeclaration: true } });
          await client.connection.sendRequest('textDocument/completion', { textDocument, position });
        }
      }
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
      await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
      await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    }
    assert.deepEqual(client.logs.filter((m) => m.startsWith('[error]')), [], 'no handler failed');
    // and the server still answers with real results afterwards
    const completion = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: client.uri('scratch/unclosed.md') }, position: { line: 9, character: 5 } })) as { items: { label: string }[] };
    assert.ok(completion.items.some((i) => i.label === 'frost_care'), 'section ids are offered after the unclosed "[?](#"');
  });
});
