import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, DocumentSymbol, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { fourMegabyteSpec } from '../support/hostileInputs';
import { startServer, type LspClient } from './harness';

// A big spec lying in the workspace folder, never opened, is read by the server's workspace scan.
// Its parse must not keep the server from answering about the file the user is looking at, and a
// text the editor opens meanwhile must win over the scan's.

const SMALL_SPEC = `# Small spec {#small}

## Refunds {#refunds}

The assistant must follow [the last rule](big-spec.md#last) and [another one](big-spec.md#not-there).
`;

/** A workspace folder (created for the test, removed after it) with the big spec on disk. */
function workspaceWithBigSpec(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'clarifier-scan-'));
  writeFileSync(path.join(folder, 'big-spec.md'), fourMegabyteSpec());
  // sorts after the big spec, so the scan reaches it last; it is open in the editor by then and not read
  writeFileSync(path.join(folder, 'small-spec.md'), SMALL_SPEC);
  return folder;
}

/** The server says in its log when it starts parsing a file in slices: the scan is inside that file's parse then. */
const BIG_PARSE_STARTED = /parsing a big file in slices .*big-spec\.md/;

describe('LSP: the workspace scan reads a big file on disk while the server keeps answering', function () {
  // a multi-megabyte file parsed on a shared machine; nothing here is timed
  this.timeout(600_000);
  let folder: string;
  let client: LspClient | undefined;
  beforeEach(() => {
    folder = workspaceWithBigSpec();
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  /** Starts the server without waiting for its scan; resolves `scanned` once the scan ended (workspace symbols wait for it). */
  async function startScanning() {
    client = await startServer(folder, undefined, null, { waitForScan: false });
    const scanned = client.connection.sendRequest('workspace/symbol', { query: '' });
    return { client, scanned };
  }

  it('answers about the open small spec before the scan has parsed the big one, whose sections then resolve', async () => {
    const { client, scanned } = await startScanning();
    const small = await client.open('small-spec.md', SMALL_SPEC);
    const settled: string[] = [];
    const scanEnded = scanned.then(() => settled.push('scan'));
    // wait until the scan is inside the big file's parse (or, if it never pauses, until it is over)
    await Promise.race([client.waitForLog(BIG_PARSE_STARTED), scanEnded]);
    assert.equal(settled.length, 0, 'the scan had paused inside the big file');
    const outline = client.connection
      .sendRequest('textDocument/documentSymbol', { textDocument: { uri: small } })
      .then((symbols) => (settled.push('small outline'), symbols as DocumentSymbol[]));
    const [symbols] = await Promise.all([outline, scanEnded]);
    // with the big file parsed in one go, the outline request would wait until its parse and the scan ended
    assert.deepEqual(settled, ['small outline', 'scan'], `answered in the order ${settled.join(', ')}`);
    assert.ok(
      symbols.some((symbol) => /Small spec/.test(symbol.name)),
      `a real outline of the small spec: ${JSON.stringify(symbols.map((s) => s.name))}`,
    );

    const report = (await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: small },
    })) as {
      items: Diagnostic[];
    };
    const dangling = report.items.filter((d) => d.code === 'dangling-reference').map((d) => d.message);
    assert.deepEqual(
      dangling,
      ['"big-spec.md" has no section with the id "not-there".'],
      "the link to the big spec's last section resolves (it was read to its end); the other is reported",
    );
    const last = (await client.connection.sendRequest('workspace/symbol', { query: 'Last rule' })) as WorkspaceSymbol[];
    assert.equal(last.filter((symbol) => symbol.location.uri === client.uri('big-spec.md')).length, 1, 'indexed once');
    assert.deepEqual(
      client.logs.filter((m) => m.startsWith('[error]')),
      [],
      'no handler failed',
    );
  });

  it("keeps the editor's text of a file the scan is parsing, and drops the scan's parse", async () => {
    const { client, scanned } = await startScanning();
    await Promise.race([client.waitForLog(BIG_PARSE_STARTED), scanned]);
    // the editor holds another text than the disk (unsaved changes restored when the window opens)
    const edited = '# Edited {#edited}\n\nThe assistant must see [gone](#elsewhere).\n';
    const big = await client.open('big-spec.md', edited);
    await scanned;
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: big } })) as {
      items: Diagnostic[];
    };
    assert.deepEqual(
      report.items.filter((d) => d.code === 'dangling-reference').map((d) => d.message.match(/"([^"]+)"/)?.[1]),
      ['elsewhere'],
      "only the editor's text is linted, not the text on disk",
    );
    const symbolsIn = async (query: string) =>
      ((await client.connection.sendRequest('workspace/symbol', { query })) as WorkspaceSymbol[]).filter(
        (symbol) => symbol.location.uri === big,
      );
    assert.equal((await symbolsIn('Edited')).length, 1, "the editor's section, once");
    assert.deepEqual(await symbolsIn('Last rule'), [], 'nothing of the text on disk');
    assert.deepEqual(
      client.logs.filter((m) => m.startsWith('[error]')),
      [],
      'no handler failed',
    );
  });
});
