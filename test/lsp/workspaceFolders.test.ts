import { strict as assert } from 'assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { startServer, type LspClient } from './harness';

const SPEC = `# Refund policy {#refunds authority=developer}

The assistant must offer a refund when an order arrives damaged.

## Escalation {#refund_escalation authority=user}

When the customer disputes the decision, the assistant must hand the conversation to a human agent,
as described in [?](#nope).
`;

/** Two workspace folders with the same spec; only the first has a config file, which turns dangling-reference off. */
function twoFolders(): { root: string; quiet: string; plain: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'clarifier-folders-'));
  const quiet = path.join(root, 'quiet');
  const plain = path.join(root, 'plain');
  for (const folder of [quiet, plain]) {
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'policy.md'), SPEC);
  }
  writeFileSync(path.join(quiet, '.clarifier.json'), JSON.stringify({ rules: { 'dangling-reference': 'off' } }));
  return { root, quiet, plain };
}

describe('several workspace folders', () => {
  let client: LspClient | undefined;
  let root: string | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const [label, settings] of [
    ['without settings', null],
    ['with clarifier.* settings', {}],
  ] as const) {
    it(`applies each folder's .clarifier.json to its own files only (${label})`, async () => {
      const folders = twoFolders();
      root = folders.root;
      // either order: the last folder's file must not win for both
      for (const order of [
        [folders.quiet, folders.plain],
        [folders.plain, folders.quiet],
      ]) {
        client = await startServer(order, undefined, settings);
        const codes = async (folder: string) => {
          const uri = await client!.open(path.join(folder, 'policy.md'));
          const report = (await client!.connection.sendRequest('textDocument/diagnostic', {
            textDocument: { uri },
          })) as { items: { code: string }[] };
          return report.items.map((item) => item.code);
        };
        assert.ok(
          !(await codes(folders.quiet)).includes('dangling-reference'),
          'the folder whose config turns the rule off',
        );
        assert.ok(
          (await codes(folders.plain)).includes('dangling-reference'),
          'the folder without a config file keeps the default',
        );
        await client.stop();
        client = undefined;
      }
    });
  }
});
