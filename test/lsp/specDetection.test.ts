import { strict as assert } from 'assert';
import * as path from 'path';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const FOLDER = path.join(REPO_ROOT, 'test', 'fixtures', 'lsp', 'plain-repo');

async function findings(client: LspClient, relativePath: string): Promise<string[]> {
  const uri = await client.open(relativePath);
  const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: { code: string }[] };
  return report.items.map((item) => item.code);
}

describe('which Markdown files are specs', () => {
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('leaves the README and plain docs of an ordinary repository alone', async () => {
    client = await startServer(FOLDER);
    assert.deepEqual(await findings(client, 'README.md'), []);
    assert.deepEqual(await findings(client, 'docs/requirements.md'), []);
  });

  it('checks a plain file once the clarifier.include setting names it', async () => {
    client = await startServer(FOLDER, undefined, { include: ['docs/**/*.md'] });
    const codes = await findings(client, 'docs/requirements.md');
    assert.ok(codes.includes('dangling-reference'), `expected the #runbook reference to be reported, got ${codes.join(', ')}`);
    assert.ok(codes.includes('placeholder'), `expected TBD to be reported, got ${codes.join(', ')}`);
    assert.deepEqual(await findings(client, 'README.md'), [], 'the README is still outside the include globs');
  });

  it('checks a file after "Treat This File as a Spec"', async () => {
    client = await startServer(FOLDER);
    const uri = await client.open('docs/requirements.md');
    await client.connection.sendNotification('clarifier/markAsSpec', { uri });
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: { code: string }[] };
    assert.ok(report.items.some((item) => item.code === 'dangling-reference'));
  });
});
