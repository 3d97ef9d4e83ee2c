import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type {
  CompletionList,
  DocumentSymbol,
  Hover,
  LocationLink,
  MarkupContent,
  WorkspaceSymbol,
} from 'vscode-languageserver-protocol';
import { MODEL_SPEC_DIR, MODEL_SPEC_PRESENT, skipWithoutCorpus } from '../support/corpus';
import { positionOf, startServer, type LspClient } from './harness';

describe('LSP on the OpenAI Model Spec folder', function () {
  let client: LspClient;
  let uri: string;
  const spec = MODEL_SPEC_PRESENT ? readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8') : '';

  before(async function () {
    skipWithoutCorpus(this);
    client = await startServer(MODEL_SPEC_DIR);
    uri = await client.open('model_spec.md');
  });
  after(async function () {
    await client?.stop();
  });

  it('goes from a marker to its example file', async function () {
    const position = positionOf(spec, 'Model Spec[^8ep1]', 12);
    const links = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position,
    })) as LocationLink[];
    assert.deepEqual(
      links.map((l) => [l.targetUri, l.targetSelectionRange.start]),
      [[client.uri('examples/8ep1.md'), { line: 0, character: 0 }]],
    );
    assert.deepEqual(links[0].originSelectionRange, {
      start: positionOf(spec, '8ep1]'),
      end: positionOf(spec, '8ep1]', 4),
    });
  });

  it('goes from a reference to its heading', async function () {
    const position = positionOf(spec, '(see [?](#letter_and_spirit))', 12);
    const links = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position,
    })) as LocationLink[];
    assert.deepEqual(
      links.map((l) => [l.targetUri, l.targetSelectionRange.start]),
      [[uri, positionOf(spec, '## Respect the letter and spirit of instructions')]],
    );
  });

  it("shows a reference target's title, authority and first sentence on hover", async function () {
    const position = positionOf(spec, '(see [?](#letter_and_spirit))', 12);
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position,
    })) as Hover;
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /^\*\*Respect the letter and spirit of instructions\*\* `#letter_and_spirit`/);
    assert.match(text, /Authority: \*\*root\*\*/);
    assert.match(
      text,
      /> The assistant should consider not just the literal wording of instructions, but also the underlying intent/,
    );
  });

  it("shows a marker's example count and first prompt on hover", async function () {
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(spec, '[^8ep1]', 3),
    })) as Hover;
    const examples = readFileSync(path.join(MODEL_SPEC_DIR, 'examples', '8ep1.md'), 'utf8').match(
      /^\*\*Example\*\*/gm,
    )!.length;
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, new RegExp(`^\\*\\*\\[\\^8ep1\\]\\*\\*: ${examples} examples? in \`examples/8ep1\\.md\``));
    assert.match(text, /> What's the distance in miles from Paris to Berlin\?/);
  });

  it('outlines sections by level with their authority', async function () {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    const chain = symbols.find((s) => s.name === 'The chain of command');
    assert.ok(chain, `top-level sections: ${symbols.map((s) => s.name).join(', ')}`);
    const follow = chain.children!.find((s) => s.name === 'Follow all applicable instructions');
    assert.ok(follow);
    assert.equal(follow.detail, 'authority=root #follow_all_applicable_instructions');
    assert.deepEqual(follow.selectionRange.start, positionOf(spec, 'Follow all applicable instructions {#'));
    const clause = follow.children!.find((s) => s.name === 'm12p');
    assert.ok(clause, 'the clause with marker [^m12p] is a child of its section');
    assert.match(clause.detail!, /^This includes all system, developer and user instructions/);
    const restricted = symbols
      .find((s) => s.name === 'Stay in bounds')!
      .children!.find((s) => s.name === 'Do not generate disallowed content')!
      .children!.find((s) => s.name === 'Restricted content')!;
    const infoHazards = restricted.children!.find((s) => s.name === "Don't provide information hazards");
    assert.equal(infoHazards?.detail, 'authority=root #avoid_info_hazards');
  });

  it('completes section ids after "(#" with their titles', async function () {
    const edited = spec + '\nSee also [?](#letter_an';
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: edited }],
    });
    const lastLine = edited.split('\n').length - 1;
    const end = { line: lastLine, character: 'See also [?](#letter_an'.length };
    const list = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: end,
    })) as CompletionList;
    const item = list.items.find((i) => i.label === 'letter_and_spirit');
    assert.ok(item, `${list.items.length} items, none for letter_and_spirit`);
    assert.equal(item.detail, 'Respect the letter and spirit of instructions (root)');
    assert.deepEqual(item.textEdit, {
      range: { start: { line: lastLine, character: 'See also [?](#'.length }, end },
      newText: 'letter_and_spirit)',
    });
    const headingIds = [...spec.matchAll(/^#{1,6} .*\{#([^\s}]+)/gm)].map((m) => m[1]);
    assert.deepEqual(
      list.items.map((i) => i.label),
      headingIds,
      'every section id of the spec is offered, in document order',
    );
  });

  it('finds sections and markers across the folder by a part of their name', async function () {
    const symbols = (await client.connection.sendRequest('workspace/symbol', {
      query: 'info_hazard',
    })) as WorkspaceSymbol[];
    assert.equal(symbols[0].name, "Don't provide information hazards");
    const markers = (await client.connection.sendRequest('workspace/symbol', { query: '8ep1' })) as WorkspaceSymbol[];
    assert.deepEqual(
      markers.map((s) => s.name),
      ['[^8ep1]'],
    );
  });
});
