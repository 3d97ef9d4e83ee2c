import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import {
  CancellationTokenSource,
  LSPErrorCodes,
  type ClientCapabilities,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import type { StatusResult } from '../../server/src/protocol';
import { MODEL_SPEC_DIR, REPO_ROOT, skipWithoutCorpus } from '../support/corpus';
import { EDITOR_CAPABILITIES, startServer, type LspClient } from './harness';

const SAMPLE = path.join(REPO_ROOT, 'samples', 'support-assistant');
const PUSH_ONLY: ClientCapabilities = {
  ...EDITOR_CAPABILITIES,
  textDocument: { ...EDITOR_CAPABILITIES.textDocument, diagnostic: undefined },
};

const statusOf = (client: LspClient, uri: string) =>
  client.connection.sendRequest('clarifier/status', { uri }) as Promise<StatusResult>;
const pull = async (client: LspClient, uri: string) =>
  (
    (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
      items: Diagnostic[];
    }
  ).items;

/**
 * The status item says "N clauses · M findings" for the open spec; M must be the number of
 * diagnostics the editor shows for it (the report this guards: "414 clauses · 0 findings" on the
 * Model Spec while `clarifier lint` listed ~20).
 */
describe('the status count is the number of diagnostics the editor shows', function () {
  this.timeout(120_000);
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('on the Model Spec, asked before its first diagnostics are computed (pull client)', async function () {
    skipWithoutCorpus(this);
    client = await startServer(MODEL_SPEC_DIR);
    const uri = await client.open('model_spec.md');
    // the status request goes out at once, as the editor sends it when the file opens
    const [status, items] = await Promise.all([statusOf(client, uri), pull(client, uri)]);
    assert.equal(status.isSpec, true);
    assert.ok(status.clauses > 100, `the Model Spec has hundreds of clauses, the status says ${status.clauses}`);
    assert.ok(items.length > 0, 'the Model Spec has findings in the default profile');
    assert.equal(status.findings, items.length, 'the status counts what the Problems panel lists');
  });

  it('on the Model Spec, for an editor that only takes published diagnostics (push client)', async function () {
    skipWithoutCorpus(this);
    const published = new Map<string, Diagnostic[]>();
    let notePublished: () => void = () => undefined;
    client = await startServer(MODEL_SPEC_DIR, PUSH_ONLY, null, {
      handle: (connection) =>
        connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
          published.set(params.uri, params.diagnostics);
          notePublished();
        }),
    });
    const specUri = client.uri('model_spec.md');
    const firstPublished = new Promise<void>((resolve) => {
      notePublished = () => {
        if (published.has(specUri)) resolve();
      };
    });
    const uri = await client.open('model_spec.md');
    const status = await statusOf(client, uri);
    await firstPublished;
    const diagnostics = published.get(uri)!;
    assert.ok(diagnostics.length > 0, 'the Model Spec has findings in the default profile');
    assert.equal(status.findings, diagnostics.length, 'the status counts what the server published for the file');
  });

  it('with clarifier.rules turning a check off, neither count includes it', async () => {
    // the sample's "and/or" is an and-or warning in the default profile
    client = await startServer(SAMPLE, EDITOR_CAPABILITIES, { rules: { 'and-or': 'off' } });
    const uri = await client.open('support_policy.md');
    const [status, items] = await Promise.all([statusOf(client, uri), pull(client, uri)]);
    assert.deepEqual(
      items.filter((d) => d.code === 'and-or'),
      [],
      'and-or is off in the settings',
    );
    assert.ok(items.length > 0, 'the sample keeps its other findings');
    assert.equal(status.findings, items.length, 'the status counts with the same settings as the diagnostics');
  });

  it('answers a cancelled status request as cancelled, never as a spec with 0 findings', async function () {
    skipWithoutCorpus(this);
    client = await startServer(MODEL_SPEC_DIR);
    const uri = await client.open('model_spec.md');
    const source = new CancellationTokenSource();
    const answer = client.connection.sendRequest('clarifier/status', { uri }, source.token);
    source.cancel();
    await answer.then(
      (status) => assert.fail(`a cancelled status was answered: ${JSON.stringify(status)}`),
      (error: { code?: number }) => assert.equal(error.code, LSPErrorCodes.RequestCancelled),
    );
    // and the next one counts again
    const [status, items] = await Promise.all([statusOf(client, uri), pull(client, uri)]);
    assert.equal(status.findings, items.length);
  });
});
