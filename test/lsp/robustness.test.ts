import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  LSPErrorCodes,
  type Diagnostic,
  type LocationLink,
} from 'vscode-languageserver-protocol';
import { HOSTILE_INPUTS } from '../support/hostileInputs';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'garden');

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
    const links = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: { line, character: character + 1 },
    })) as LocationLink[];
    assert.deepEqual(
      links.map((l) => [l.originSelectionRange, l.targetSelectionRange]),
      [
        [
          { start: { line, character }, end: { line, character: character + 4 } },
          { start: { line: 0, character: 1 }, end: { line: 0, character: 15 } }, // the heading, after the BOM
        ],
      ],
    );
  });

  it('answers every request on binary garbage, an empty file and unclosed markup without failing', async function () {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const texts = {
      'scratch/garbage.md': garbage,
      'scratch/empty.md': '',
      'scratch/unclosed.md':
        '# Half {#half authority=\n\n**Example**: no end\n\n~~~xml\n<user>\nhello [^\n<comparison>\n<assistant> <!-- BAD[# -->\n[?](#',
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
          await client.connection.sendRequest('textDocument/references', {
            textDocument,
            position,
            context: { includeDeclaration: true },
          });
          await client.connection.sendRequest('textDocument/completion', { textDocument, position });
        }
      }
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
      await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } });
      await client.connection.sendRequest('textDocument/documentLink', { textDocument: { uri } });
    }
    assert.deepEqual(
      client.logs.filter((m) => m.startsWith('[error]')),
      [],
      'no handler failed',
    );
    // and the server still answers with real results afterwards
    const completion = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: client.uri('scratch/unclosed.md') },
      position: { line: 9, character: 5 },
    })) as { items: { label: string }[] };
    assert.ok(
      completion.items.some((i) => i.label === 'frost_care'),
      'section ids are offered after the unclosed "[?](#"',
    );
  });
});

describe('LSP: the server keeps answering while a big file is analysed', function () {
  // generous: a 50,000-row table parsed and linted cold on a shared machine; nothing here is timed
  this.timeout(600_000);
  let client: LspClient;
  before(async function () {
    client = await startServer(GARDEN);
  });
  after(async function () {
    await client?.stop();
  });

  it("answers a request on another file before the big file's diagnostics, honours cancellation, then reports the big file to its end", async function () {
    const table = HOSTILE_INPUTS.find((input) => input.file === 'big-table.md')!.text();
    // AGENTS.md is a spec by its name: its rules run (a file that is not a spec would answer at once)
    const big = await client.open('scratch/AGENTS.md', table);
    const small = await client.open('garden_spec.md');
    const settled: string[] = [];
    const bigPull = client.connection
      .sendRequest('textDocument/diagnostic', { textDocument: { uri: big } })
      .then((result) => (settled.push('big'), result as { kind: string; items: Diagnostic[] }));
    const symbols = client.connection
      .sendRequest('textDocument/documentSymbol', { textDocument: { uri: small } })
      .then((result) => (settled.push('small'), result as unknown[]));
    const [report, outline] = await Promise.all([bigPull, symbols]);
    assert.deepEqual(settled, ['small', 'big'], 'the other file was answered while the big one was linted');
    assert.ok(outline.length > 0, 'a real outline');
    assert.ok(
      report.items.some((d) => d.code === 'dangling-reference' && /nowhere/.test(d.message)),
      'the big file was linted to its end',
    );

    // an edit, then a pull the client cancels: it stops (answered as cancelled or empty, which the
    // client drops), and the next pull has the edited text's findings
    const lines = table.split('\n').length;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: big, version: 1000 },
      contentChanges: [
        {
          range: { start: { line: lines - 1, character: 0 }, end: { line: lines - 1, character: 0 } },
          text: 'See [also missing](#elsewhere).\n',
        },
      ],
    });
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest(
      'textDocument/diagnostic',
      { textDocument: { uri: big } },
      source.token,
    );
    source.cancel();
    await cancelled.then(
      (result) =>
        assert.deepEqual((result as { items: Diagnostic[] }).items, [], 'a cancelled lint answers with nothing'),
      (error: { code?: number }) => assert.equal(error.code, LSPErrorCodes.RequestCancelled),
    );
    const again = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: big } })) as {
      kind: string;
      items: Diagnostic[];
    };
    assert.ok(
      again.items.some((d) => d.code === 'dangling-reference' && /elsewhere/.test(d.message)),
      'the edited text is linted on the next pull',
    );
    assert.deepEqual(
      client.logs.filter((m) => m.startsWith('[error]')),
      [],
      'no handler failed',
    );
  });
});
