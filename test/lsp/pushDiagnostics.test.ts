// An editor without pull diagnostics (textDocument/diagnostic) gets every open file's diagnostics
// pushed: after an edit in one file, the other open files whose findings depend on it are pushed again.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { REPO_ROOT } from '../support/corpus';
import { EDITOR_CAPABILITIES, startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'garden');
/** VS Code's capabilities without textDocument.diagnostic, as Neovim, Helix or Sublime announce them. */
const PUSH_ONLY = {
  ...EDITOR_CAPABILITIES,
  textDocument: { ...EDITOR_CAPABILITIES.textDocument, diagnostic: undefined },
};

describe('LSP with a client that only takes pushed diagnostics', function () {
  let client: LspClient;
  const latest = new Map<string, Diagnostic[]>();
  /** Pending waits: each returns true once it is satisfied, and is dropped then. */
  const waiters = new Set<() => boolean>();

  /** Resolves when the last diagnostics pushed for `uri` satisfy `accept`; the deadline only turns a hang into a failure that shows what was pushed. */
  function pushedFor(uri: string, accept: (diagnostics: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const now = latest.get(uri);
        if (!now || !accept(now)) return false;
        clearTimeout(deadline);
        resolve(now);
        return true;
      };
      const deadline = setTimeout(
        () =>
          reject(
            new Error(
              `no diagnostics pushed for ${uri} with ${what}; last: ${JSON.stringify(latest.get(uri)?.map((d) => `${d.code}: ${d.message}`))}`,
            ),
          ),
        20_000,
      );
      if (!check()) waiters.add(check);
    });
  }

  before(async function () {
    client = await startServer(GARDEN, PUSH_ONLY);
    client.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      latest.set(params.uri, params.diagnostics);
      for (const check of [...waiters]) if (check()) waiters.delete(check);
    });
  });
  after(async function () {
    await client?.stop();
  });

  it('announces no pull diagnostics to such a client', function () {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
  });

  it('a section title changed in the spec gives the open example file example-header-mismatch, and the change back clears it', async function () {
    const spec = readFileSync(path.join(GARDEN, 'garden_spec.md'), 'utf8');
    const specUri = await client.open('garden_spec.md');
    const exampleUri = await client.open('examples/wt01.md');
    const mismatch = (list: Diagnostic[]) => list.some((d) => d.code === 'example-header-mismatch');
    await pushedFor(exampleUri, (list) => !mismatch(list), 'its first diagnostics, without example-header-mismatch');

    const renamed = spec.replace('## Watering advice', '## Watering guidance');
    assert.notEqual(renamed, spec);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 10 },
      contentChanges: [{ text: renamed }],
    });
    const after = await pushedFor(exampleUri, mismatch, 'example-header-mismatch after the title change');
    assert.match(
      after.find((d) => d.code === 'example-header-mismatch')!.message,
      /"Watering advice", but \[\^wt01\] is in "Watering guidance"/,
    );

    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 11 },
      contentChanges: [{ text: spec }],
    });
    await pushedFor(exampleUri, (list) => !mismatch(list), 'no example-header-mismatch once the title is back');
  });

  it('a marker moved to another section gives the open example file the mismatch too', async function () {
    const spec = readFileSync(path.join(GARDEN, 'garden_spec.md'), 'utf8');
    const specUri = client.uri('garden_spec.md');
    const exampleUri = client.uri('examples/wt01.md');
    const mismatch = (list: Diagnostic[]) => list.some((d) => d.code === 'example-header-mismatch');
    // the same ids and titles, but [^wt01] now sits in the first section
    const moved = spec
      .replace('in the morning[^wt01]', 'in the morning')
      .replace('small vegetable gardens.', 'small vegetable gardens[^wt01].');
    assert.ok(moved.includes('gardens[^wt01]') && !moved.includes('morning[^wt01]'), 'the fixture sentence moved');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 20 },
      contentChanges: [{ text: moved }],
    });
    await pushedFor(exampleUri, mismatch, 'example-header-mismatch after the marker moved');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 21 },
      contentChanges: [{ text: spec }],
    });
    await pushedFor(exampleUri, (list) => !mismatch(list), 'no mismatch once the marker is back');
  });
});
