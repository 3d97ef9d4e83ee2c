import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clarifierWithEnv } from '../../cli/support';
import { MockOpenAI } from '../../support/mockOpenAI';
import { AGENTS } from '../../support/model/context';

describe('the spec in context (--context, clarifier.clauseTests.context)', function () {
  // each CLI case runs the built CLI (and the LSP cases a server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  let server: MockOpenAI;
  let dir: string;
  const refundsAsked = () =>
    server.candidateMessages().find((messages) => /mug/.test(messages[messages.length - 1].content))!;

  before(async () => {
    server = await new MockOpenAI().start();
  });
  after(() => server.close());
  beforeEach(async () => {
    server.reset();
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-context-'));
    writeFileSync(path.join(dir, 'AGENTS.md'), AGENTS);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('clarifier test --context', () => {
    const run = (args: string[]) =>
      clarifierWithEnv(['test', dir, '--base-url', server.url, '--no-cache', ...args], {}, dir);

    it('sends what --context says and the text, JSON and JUnit reports say which context was used', async () => {
      const text = await run(['--context', 'section']);
      assert.strictEqual(text.code, 0, text.stderr);
      assert.match(text.stdout, /✓ AGENTS\.md:\d+ section refunds: 1\/1 passed · context section/);
      assert.match(refundsAsked()[0].content, /^## Refunds/);
      const json = JSON.parse((await run(['--context', 'clause', '--format', 'json'])).stdout);
      assert.deepStrictEqual(
        json.units.map((u: { context: string }) => u.context),
        ['clause', 'clause'],
      );
      const junit = (await run(['--format', 'junit'])).stdout;
      assert.match(
        junit,
        /<property name="context" value="spec"\/>/,
        'the default for an agent file is the whole spec',
      );
    });

    it('an unknown context is a usage error that lists the choices', async () => {
      const bad = await run(['--context', 'everything']);
      assert.strictEqual(bad.code, 2);
      assert.match(bad.stderr, /--context must be none, clause, section, spec or auto, not "everything"/);
      assert.strictEqual(server.requests.length, 0);
    });
  });
});
