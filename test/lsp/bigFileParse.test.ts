import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Diagnostic, DocumentSymbol } from 'vscode-languageserver-protocol';
import { fourMegabyteSpec } from '../support/hostileInputs';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'garden');

describe('LSP: a big file is parsed while the server keeps answering', function () {
  // a multi-megabyte file parsed and linted on a shared machine; nothing here is timed
  this.timeout(600_000);
  let client: LspClient;
  before(async function () {
    client = await startServer(GARDEN);
  });
  after(async function () {
    await client?.stop();
  });

  it("answers a request on a small file before the big file's outline and diagnostics, which come complete", async () => {
    const big = await client.open('scratch/big-spec.md', fourMegabyteSpec());
    const small = await client.open('garden_spec.md');
    const settled: string[] = [];
    const track = <T>(name: string, request: Promise<unknown>) =>
      request.then((result) => (settled.push(name), result as T));
    // sent in this order: with the big file parsed in one block, its outline would be answered first
    const bigOutline = track<DocumentSymbol[]>(
      'big outline',
      client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: big } }),
    );
    const smallOutline = track<DocumentSymbol[]>(
      'small outline',
      client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: small } }),
    );
    const bigDiagnostics = track<{ items: Diagnostic[] }>(
      'big diagnostics',
      client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: big } }),
    );
    const [outline, smallSymbols, report] = await Promise.all([bigOutline, smallOutline, bigDiagnostics]);
    assert.equal(settled[0], 'small outline', `answered in the order ${settled.join(', ')}`);
    assert.ok(smallSymbols.length > 0, 'a real outline of the small file');
    const sections = outline.flatMap((symbol) => [symbol, ...(symbol.children ?? [])]);
    assert.ok(
      sections.some((symbol) => /Last/.test(symbol.name)),
      'the big outline was read to its last section',
    );
    assert.ok(
      report.items.some((d) => d.code === 'dangling-reference' && /nowhere/.test(d.message)),
      'the big file was linted to its end',
    );
    assert.deepEqual(
      client.logs.filter((m) => m.startsWith('[error]')),
      [],
      'no handler failed',
    );
  });

  it('drops the parse of a text replaced meanwhile and answers for the new text', async () => {
    const big = await client.open('scratch/replaced.md', fourMegabyteSpec());
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: big, version: 1000 },
      contentChanges: [{ text: '# Replaced {#replaced}\n\nSee [gone](#elsewhere).\n' }],
    });
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: big } })) as {
      items: Diagnostic[];
    };
    assert.deepEqual(
      report.items.filter((d) => d.code === 'dangling-reference').map((d) => d.message.match(/"([^"]+)"/)?.[1]),
      ['elsewhere'],
      'only the new text is linted',
    );
  });
});
