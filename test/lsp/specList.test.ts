import { strict as assert } from 'assert';
import * as path from 'path';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import type { SpecListResult } from '../../server/src/protocol';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const SAMPLE = path.join(REPO_ROOT, 'samples', 'support-assistant');
const AGENTS = path.join(REPO_ROOT, 'test', 'support', 'fixtures', 'recognition', 'agent-repo');
const ORDINARY = path.join(REPO_ROOT, 'test', 'support', 'fixtures', 'recognition', 'ordinary-repo');

const specList = (client: LspClient) => client.connection.sendRequest('clarifier/specs', {}) as Promise<SpecListResult>;
const symbolsOf = (client: LspClient, uri: string) =>
  client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as Promise<DocumentSymbol[]>;

describe('the workspace spec list (status item and Specs view)', () => {
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('lists the sample policy once, with the counts its editor shows, and not its example file', async () => {
    client = await startServer(SAMPLE);
    const { specs, markdownFiles } = await specList(client);
    assert.deepEqual(
      specs.map((spec) => spec.path),
      ['support_policy.md'],
      'examples/rf01.md belongs to the policy, it is not a spec of its own',
    );
    assert.equal(markdownFiles, 2);
    const [policy] = specs;
    const uri = await client.open('support_policy.md');
    const diagnostics = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
      items: unknown[];
    };
    const status = (await client.connection.sendRequest('clarifier/status', { uri })) as {
      clauses: number;
      examples: number;
      sections: number;
    };
    assert.equal(policy.findings, diagnostics.items.length, 'the same number of findings as the Problems panel');
    assert.ok(policy.findings >= 5, `the sample's planted findings: ${policy.findings}`);
    assert.deepEqual(
      [policy.sections, policy.clauses, policy.examples],
      [status.sections, status.clauses, status.examples],
      'the same counts as the status item of the open file',
    );
    assert.equal(policy.recognizedBy, 'content');
  });

  it('names the kind of each spec of an agent repository and leaves dependency folders out', async () => {
    client = await startServer(AGENTS);
    const { specs } = await specList(client);
    const kinds = new Map(specs.map((spec) => [spec.path, spec.kind]));
    assert.equal(kinds.get('AGENTS.md'), 'agent-instructions');
    assert.equal(kinds.get('.kiro/specs/login/requirements.md'), 'product-spec');
    assert.ok(
      !specs.some((spec) => spec.path.startsWith('bower_components/')),
      specs.map((spec) => spec.path).join(', '),
    );
    assert.deepEqual(
      [...kinds.keys()],
      [...kinds.keys()].sort((a, b) => a.localeCompare(b)),
      'listed by path',
    );
  });

  it('finds no spec among the Markdown files of an ordinary repository', async () => {
    client = await startServer(ORDINARY);
    const { specs, markdownFiles } = await specList(client);
    assert.deepEqual(specs, []);
    assert.ok(markdownFiles >= 5, `the README, CHANGELOG... were read: ${markdownFiles}`);
  });
});

describe('one outline per file', () => {
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('gives a file that is not a spec no outline of its own, so the editor shows only its Markdown one', async () => {
    client = await startServer(ORDINARY);
    assert.ok(
      client.initializeResult.capabilities.documentSymbolProvider,
      'an editor without a Markdown outline gets the spec outline',
    );
    const readme = await client.open('README.md');
    assert.deepEqual(await symbolsOf(client, readme), []);
  });

  it('offers no document outline to an editor that has its own Markdown outline, and the spec structure by request', async () => {
    client = await startServer(SAMPLE, undefined, null, { initializationOptions: { editorHasMarkdownOutline: true } });
    assert.equal(
      client.initializeResult.capabilities.documentSymbolProvider,
      undefined,
      'a second outline beside the Markdown one would compete with it',
    );
    const uri = client.uri('support_policy.md');
    const structure = (await client.connection.sendRequest('clarifier/specOutline', { uri })) as DocumentSymbol[];
    const sections = structure
      .flatMap((symbol) => [symbol, ...(symbol.children ?? [])])
      .filter((symbol) => symbol.detail?.includes('authority='));
    assert.deepEqual(
      sections.map((symbol) => symbol.name),
      ['Support assistant policy', 'Refunds', 'Escalation', 'Payments'],
    );
    const refunds = sections.find((symbol) => symbol.name === 'Refunds')!;
    assert.ok(
      refunds.children?.some((child) => child.name === 'rf01'),
      `the marked clause is under its section: ${refunds.children?.map((child) => child.name).join(' | ')}`,
    );
  });
});
