import { strict as assert } from 'assert';
import { readdirSync, statSync } from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/corpus';
import { startServer, type LspClient } from './harness';

const FOLDER = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'plain-repo');
const ORDINARY = path.join(REPO_ROOT, 'test', 'support', 'fixtures', 'recognition', 'ordinary-repo');
const AGENTS = path.join(REPO_ROOT, 'test', 'support', 'fixtures', 'recognition', 'agent-repo');

interface Status {
  isSpec: boolean;
  reason?: string;
  recognizedBy?: string;
  kind?: string;
}

async function findings(client: LspClient, relativePath: string, text?: string): Promise<string[]> {
  const uri = await client.open(relativePath, text);
  const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
    items: { code: string }[];
  };
  return report.items.map((item) => item.code);
}

async function status(client: LspClient, uri: string): Promise<Status> {
  return (await client.connection.sendRequest('clarifier/status', { uri })) as Status;
}

/** Every file of a fixture folder, dot-folders included, relative to it. */
function filesOf(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix)).flatMap((name) => {
    const relative = path.posix.join(prefix, name);
    return statSync(path.join(folder, relative)).isDirectory() ? filesOf(folder, relative) : [relative];
  });
}

describe('which Markdown files are specs', () => {
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('leaves the README, CONTRIBUTING, CHANGELOG, docs and .github templates of an ordinary repository alone', async () => {
    client = await startServer(ORDINARY);
    const files = filesOf(ORDINARY);
    assert.ok(
      files.length >= 10 && files.some((file) => file.startsWith('.github/')),
      `fixture files: ${files.join(', ')}`,
    );
    for (const file of files) {
      assert.deepEqual(await findings(client, file), [], `${file} is not a spec and gets no findings`);
      const answer = await status(client, client.uri(file));
      assert.equal(answer.isSpec, false, `${file}: ${answer.reason}`);
      assert.match(answer.reason ?? '', /^Not a spec/, `${file} says why it is not a spec`);
    }
    client.logs.filter((line) => line.startsWith('[error]')).forEach((line) => assert.fail(line));
  });

  it('leaves the README of the plain repository alone, and reads a requirements page full of "must" as a spec', async () => {
    client = await startServer(FOLDER);
    assert.deepEqual(await findings(client, 'README.md'), []);
    assert.deepEqual(await findings(client, 'docs/notes.md'), []);
    const requirements = await status(client, client.uri('docs/requirements.md'));
    assert.equal(requirements.isSpec, true);
    assert.equal(requirements.recognizedBy, 'content');
    assert.match(requirements.reason ?? '', /3 of its 4 sentences are rules/);
    assert.ok(
      (await findings(client, 'docs/requirements.md')).includes('placeholder'),
      'TBD is reported in the recognized spec',
    );
  });

  it('recognizes agent files by name and place, also in dot-folders and without a .md extension, with zero configuration', async () => {
    client = await startServer(AGENTS);
    const expected: Record<string, RegExp> = {
      'AGENTS.md': /AGENTS\.md/,
      'packages/api/AGENTS.md': /AGENTS\.md/,
      'CLAUDE.md': /CLAUDE\.md/,
      '.github/copilot-instructions.md': /Copilot instructions/,
      '.github/instructions/tests.instructions.md': /\.instructions\.md/,
      '.cursor/rules/style.mdc': /Cursor rule/,
      '.cursorrules': /\.cursorrules/,
      '.windsurfrules': /\.windsurfrules/,
      '.kiro/specs/login/requirements.md': /Kiro spec/,
      '.specify/memory/constitution.md': /spec-kit/,
      'specs/001-export/spec.md': /spec-kit feature spec/,
    };
    for (const [file, reason] of Object.entries(expected)) {
      const uri = await client.open(file);
      const answer = await status(client, uri);
      assert.equal(answer.isSpec, true, `${file} is a spec: ${answer.reason}`);
      assert.equal(answer.recognizedBy, 'name', file);
      assert.match(answer.reason ?? '', reason, file);
    }
    // the workspace scan indexed the dot-folders: workspace symbols find their headings
    const symbols = (await client.connection.sendRequest('workspace/symbol', { query: 'Cursor style rules' })) as {
      name: string;
      location: { uri: string };
    }[];
    assert.ok(
      symbols.some((symbol) => symbol.location.uri.endsWith('/.cursor/rules/style.mdc')),
      `symbols: ${symbols.map((s) => s.location.uri).join(', ')}`,
    );
    // dependency folders are never entered, even with an AGENTS.md inside
    const inDependency = await status(client, client.uri('bower_components/some-lib/AGENTS.md'));
    assert.equal(inDependency.isSpec, false, 'a file that was never scanned is not indexed');
  });

  it('skips the YAML front matter of a Cursor rule and keeps positions right', async () => {
    client = await startServer(AGENTS);
    const text =
      '---\ndescription: Style rules\nglobs: src/**/*.ts\nalwaysApply: false\n---\n# Style\n\nThe agent must keep functions short as appropriate.\n';
    const uri = await client.open('.cursor/rules/scratch.mdc', text);
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
      items: { code: string; range: { start: { line: number } } }[];
    };
    assert.ok(report.items.length, 'the vague "as appropriate" is reported');
    for (const item of report.items)
      assert.equal(item.range.start.line, 7, `${item.code} is on the line of the sentence, after the front matter`);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as {
      name: string;
    }[];
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['Style'],
      'the front matter is not read as a heading',
    );
  });

  it('makes a document typed from scratch a spec as soon as its content qualifies', async () => {
    client = await startServer(FOLDER);
    const uri = client.uri('drafts/refund-policy.md');
    let version = 1;
    const steps = [
      '# Refund policy\n',
      '# Refund policy\n\n## Eligibility\n\nCustomers can ask for a refund.\n',
      '# Refund policy\n\n## Eligibility\n\nCustomers can ask for a refund.\n\n## Process\n\nThe agent must confirm the order number.\n\nThe agent must not refund gift cards.\n',
      '# Refund policy\n\n## Eligibility\n\nCustomers can ask for a refund.\n\n## Process\n\nThe agent must confirm the order number.\n\nThe agent must not refund gift cards.\n\n## Exceptions\n\nThe agent must escalate disputes as appropriate.\n',
    ];
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version, text: steps[0] },
    });
    const answers: boolean[] = [];
    let last: { items: { code: string }[] } = { items: [] };
    for (const text of steps) {
      if (text !== steps[0])
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: ++version },
          contentChanges: [{ text }],
        });
      answers.push((await status(client, uri)).isSpec);
      last = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
        items: { code: string }[];
      };
    }
    assert.deepEqual(answers, [false, false, false, true], 'a spec once three of its sentences are rules');
    assert.ok(last.items.length > 0, 'the first squiggle appears ("as appropriate")');
    assert.match((await status(client, uri)).reason ?? '', /by its content/);
  });

  it('checks a plain file once the clarifier.include setting names it', async () => {
    client = await startServer(FOLDER, undefined, { include: ['docs/**/*.md'] });
    const codes = await findings(client, 'docs/notes.md');
    assert.ok(
      codes.includes('dangling-reference'),
      `expected the #runbook reference to be reported, got ${codes.join(', ')}`,
    );
    assert.ok(codes.includes('placeholder'), `expected TBD to be reported, got ${codes.join(', ')}`);
    assert.deepEqual(await findings(client, 'README.md'), [], 'the README is still outside the include globs');
    assert.equal((await status(client, client.uri('docs/notes.md'))).recognizedBy, 'config');
  });

  it('checks a file after "Treat This File as a Spec"', async () => {
    client = await startServer(FOLDER);
    const uri = await client.open('docs/notes.md');
    assert.equal((await status(client, uri)).isSpec, false);
    await client.connection.sendNotification('clarifier/markAsSpec', { uri });
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as {
      items: { code: string }[];
    };
    assert.ok(report.items.some((item) => item.code === 'dangling-reference'));
  });
});
