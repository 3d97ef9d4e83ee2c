import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type {
  CompletionList,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  MarkupContent,
  RenameFile,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { REPO_ROOT } from '../support/corpus';
import { EDITOR_CAPABILITIES, positionOf, startServer, type LspClient } from './harness';

const GARDEN = path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'garden');
const read = (relative: string) => readFileSync(path.join(GARDEN, relative), 'utf8');

/** Applies the text edits of a workspace edit to the files on disk (in memory) and returns the new texts. */
function applyEdit(client: LspClient, edit: WorkspaceEdit): Map<string, string> {
  const texts = new Map<string, string>();
  const files = ['garden_spec.md', 'soil.md', 'notes.md', 'examples/wt01.md', 'examples/fr22.md', 'examples/hv07.md'];
  for (const change of edit.documentChanges ?? []) {
    if (!('edits' in change)) continue;
    const relative = files.find((f) => client.uri(f) === change.textDocument.uri);
    assert.ok(relative, `edit for an unexpected file ${change.textDocument.uri}`);
    const lines = read(relative).split('\n');
    const edits = [...change.edits].sort(
      (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
    );
    for (const e of edits) {
      assert.equal(e.range.start.line, e.range.end.line, 'an id edit stays on one line');
      const line = lines[e.range.start.line];
      lines[e.range.start.line] =
        line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
    }
    texts.set(relative, lines.join('\n'));
  }
  return texts;
}

describe('LSP on a small spec with example files', function () {
  let client: LspClient;
  const spec = read('garden_spec.md');

  before(async function () {
    client = await startServer(GARDEN);
  });
  after(async function () {
    await client?.stop();
  });

  it('announces the editor features it provides', function () {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
    assert.ok(
      caps.definitionProvider &&
        caps.referencesProvider &&
        caps.hoverProvider &&
        caps.foldingRangeProvider &&
        caps.documentSymbolProvider &&
        caps.workspaceSymbolProvider,
    );
    assert.deepEqual(caps.completionProvider?.triggerCharacters, ['#', '^']);
  });

  it('renames a marker everywhere and renames its example file', async function () {
    const uri = await client.open('garden_spec.md');
    const position = positionOf(spec, '[^wt01]', 3);
    const prepared = (await client.connection.sendRequest('textDocument/prepareRename', {
      textDocument: { uri },
      position,
    })) as { range: unknown; placeholder: string };
    assert.equal(prepared.placeholder, 'wt01');
    assert.deepEqual(prepared.range, { start: positionOf(spec, 'wt01]'), end: positionOf(spec, ']. It must') });

    const edit = (await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position,
      newName: 'wt99',
    })) as WorkspaceEdit;
    const changes = edit.documentChanges!;
    const renames = changes.filter((c): c is RenameFile => 'kind' in c && c.kind === 'rename');
    assert.deepEqual(renames, [
      {
        kind: 'rename',
        oldUri: client.uri('examples/wt01.md'),
        newUri: client.uri('examples/wt99.md'),
        options: { overwrite: false, ignoreIfExists: false },
      },
    ]);
    assert.equal(
      changes[changes.length - 1],
      renames[0],
      'the file is renamed after the text edits that address it by its old name',
    );

    const texts = applyEdit(client, edit);
    assert.deepEqual([...texts.keys()].sort(), ['examples/wt01.md', 'garden_spec.md', 'soil.md']);
    assert.equal(texts.get('garden_spec.md'), spec.replace('[^wt01]', '[^wt99]'));
    assert.equal(texts.get('soil.md'), read('soil.md').replace('[^wt01]', '[^wt99]'));
    assert.equal(texts.get('examples/wt01.md')!.split('\n')[0], 'Examples for [^wt99] in Watering advice:');
    const versions = (changes.filter((c) => 'edits' in c) as TextDocumentEdit[]).map((c) => [
      c.textDocument.uri === uri,
      c.textDocument.version,
    ]);
    assert.deepEqual(
      versions.find(([open]) => open),
      [true, 1],
      'the open document is edited at the version the editor has',
    );
  });

  it('renames a section id in its heading, its references, file links and transcript labels', async function () {
    const uri = await client.open('garden_spec.md');
    const edit = (await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: positionOf(spec, '{#frost_care', 3),
      newName: 'cold_nights',
    })) as WorkspaceEdit;
    const texts = applyEdit(client, edit);
    assert.deepEqual([...texts.keys()], ['garden_spec.md']);
    assert.equal(texts.get('garden_spec.md'), spec.replaceAll('#frost_care', '#cold_nights'));
    assert.ok(!edit.documentChanges!.some((c) => 'kind' in c), 'no file is renamed for a section id');

    const fromLink = (await client.connection.sendRequest('textDocument/rename', {
      textDocument: { uri: client.uri('soil.md') },
      position: positionOf(read('soil.md'), 'md#watering', 5),
      newName: 'irrigation',
    })) as WorkspaceEdit;
    const linked = applyEdit(client, fromLink);
    assert.equal(
      linked.get('soil.md'),
      read('soil.md').replace('garden_spec.md#watering', 'garden_spec.md#irrigation'),
    );
    assert.equal(
      linked.get('garden_spec.md'),
      spec.replace('{#watering ', '{#irrigation ').replace('[?](#watering)', '[?](#irrigation)'),
    );
  });

  it('refuses invalid or taken ids with a message that says why', async function () {
    const uri = client.uri('garden_spec.md');
    const rename = (needle: string, newName: string) =>
      client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(spec, needle, 3),
        newName,
      });
    await assert.rejects(
      rename('{#frost_care', 'frost care'),
      /"frost care" is not a valid section id: it contains whitespace/,
    );
    await assert.rejects(rename('{#frost_care', 'frost}'), /not a valid section id: it contains "\}"/);
    await assert.rejects(
      rename('{#frost_care', 'watering'),
      /The section id "watering" is already used by "Watering advice"/,
    );
    await assert.rejects(
      rename('[^wt01]', 'fr22'),
      /The marker id "fr22" is already in use \(examples\/fr22\.md exists\)/,
    );
    await assert.rejects(rename('[^wt01]', 'a]b'), /not a valid marker id: it contains "\]"/);
    await assert.rejects(
      client.connection.sendRequest('textDocument/prepareRename', {
        textDocument: { uri },
        position: positionOf(spec, 'small vegetable'),
      }),
      /Rename works on a section id .* or a marker/,
    );
  });

  it('finds every reference to a section, with the heading when the declaration is asked for', async function () {
    const uri = await client.open('garden_spec.md');
    const position = positionOf(spec, '[?](#frost_care)', 6);
    const withDeclaration = (await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position,
      context: { includeDeclaration: true },
    })) as Location[];
    const where = (locations: Location[]) =>
      locations.map((l) => [
        l.uri === uri ? 'garden_spec.md' : l.uri,
        l.range.start.line,
        l.range.start.character,
        l.range.end.character,
      ]);
    const heading = positionOf(spec, 'frost_care authority');
    const reference = positionOf(spec, 'frost_care))');
    const label = positionOf(spec, 'frost_care]: ignores');
    assert.deepEqual(where(withDeclaration), [
      ['garden_spec.md', heading.line, heading.character, heading.character + 10],
      ['garden_spec.md', reference.line, reference.character, reference.character + 10],
      ['garden_spec.md', label.line, label.character, label.character + 10],
    ]);
    const without = (await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position,
      context: { includeDeclaration: false },
    })) as Location[];
    assert.deepEqual(where(without), where(withDeclaration).slice(1));
  });

  it('finds every use of a marker across spec files, and its example file header as the declaration', async function () {
    const uri = await client.open('examples/wt01.md');
    const found = (await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: { line: 0, character: 16 },
      context: { includeDeclaration: true },
    })) as Location[];
    const soil = read('soil.md');
    assert.deepEqual(
      found.map((l) => [l.uri, l.range.start]),
      [
        [client.uri('examples/wt01.md'), { line: 0, character: 15 }],
        [client.uri('garden_spec.md'), positionOf(spec, 'wt01]')],
        [client.uri('soil.md'), positionOf(soil, 'wt01]')],
      ],
    );
  });

  it('goes from an example file header back to the clause and the section', async function () {
    const uri = await client.open('examples/fr22.md');
    const toClause = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: { line: 0, character: 16 },
    })) as { targetUri: string; targetSelectionRange: unknown }[];
    assert.deepEqual(
      toClause.map((l) => [l.targetUri, l.targetSelectionRange]),
      [[client.uri('garden_spec.md'), { start: positionOf(spec, '[^fr22]'), end: positionOf(spec, '[^fr22]', 7) }]],
    );
    const toHeading = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: { line: 0, character: 26 },
    })) as { targetUri: string; targetSelectionRange: { start: unknown } }[];
    assert.deepEqual(
      toHeading.map((l) => [l.targetUri, l.targetSelectionRange.start]),
      [[client.uri('garden_spec.md'), positionOf(spec, '## Frost care')]],
    );
  });

  it('folds sections, examples and commentary', async function () {
    const uri = await client.open('garden_spec.md');
    const ranges = (await client.connection.sendRequest('textDocument/foldingRange', {
      textDocument: { uri },
    })) as FoldingRange[];
    const line = (needle: string) => positionOf(spec, needle).line;
    const lastLine = spec.trimEnd().split('\n').length - 1;
    assert.deepEqual(
      ranges.map((r) => [r.startLine, r.endLine, r.kind]),
      [
        [line('# Garden'), lastLine, 'region'],
        [line('## Watering'), line('## Frost care') - 2, 'region'],
        [line('**Example**'), line('~~~\n\n## Frost'), 'region'],
        [line('## Frost care'), lastLine, 'region'],
        [line('!!! meta'), line('    so this warning'), 'comment'],
      ],
    );
  });

  it('links references to the line of their heading, file links to the file and markers to their example file', async function () {
    const uri = await client.open('garden_spec.md');
    const links = (await client.connection.sendRequest('textDocument/documentLink', {
      textDocument: { uri },
    })) as DocumentLink[];
    const soilLine = 1;
    const watered = positionOf(spec, '## Watering').line + 1;
    const frost = positionOf(spec, '## Frost care').line + 1;
    assert.deepEqual(
      links.map((l) => [
        spec.split('\n')[l.range.start.line].slice(l.range.start.character, l.range.end.character),
        l.target,
      ]),
      [
        ['wt01', client.uri('examples/wt01.md')],
        ['frost_care', `${uri}#L${frost}`],
        ['fr22', client.uri('examples/fr22.md')],
        ['soil_mix', `${client.uri('soil.md')}#L${soilLine}`],
        ['watering', `${uri}#L${watered}`],
      ],
    );
  });

  it('shows the authority, clause count and example count on hover', async function () {
    const uri = await client.open('garden_spec.md');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(spec, '{#watering', 3),
    })) as Hover;
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /^\*\*Watering advice\*\* `#watering`/);
    assert.match(text, /Authority: \*\*user\*\*/);
    // two normative sentences; one inline example plus the two of examples/wt01.md
    assert.match(text, /2 clauses, 3 examples/);
  });

  it('completes marker ids after "[^", offering example files no clause uses yet first', async function () {
    const edited = spec + '\nThe assistant should mulch beds in autumn[^';
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: client.uri('garden_spec.md'), version: 5 },
      contentChanges: [{ text: edited }],
    });
    const lastLine = edited.split('\n').length - 1;
    const position = { line: lastLine, character: edited.split('\n')[lastLine].length };
    const list = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: client.uri('garden_spec.md') },
      position,
    })) as CompletionList;
    const byLabel = new Map(list.items.map((i) => [i.label, i]));
    // examples/hv07.md exists but no clause uses [^hv07] yet: the likeliest marker for a new clause
    const bySortText = [...list.items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.deepEqual(bySortText, ['hv07', 'fr22', 'wt01']);
    assert.equal(byLabel.get('hv07')!.detail, '1 example for "Frost care", not used by any clause yet');
    assert.equal(byLabel.get('wt01')!.detail, '2 examples for "Watering advice"');
    assert.deepEqual(byLabel.get('wt01')!.textEdit, { range: { start: position, end: position }, newText: 'wt01]' });
    assert.match(
      (byLabel.get('wt01')!.documentation as MarkupContent).value,
      /When is the best time of day to water tomatoes\?/,
    );
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: client.uri('garden_spec.md'), version: 6 },
      contentChanges: [{ text: spec }],
    });
  });

  it('outlines an example file by its examples', async function () {
    const uri = await client.open('examples/wt01.md');
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail]),
      [
        ['Example: morning routine for tomatoes', '[^wt01]'],
        ['Example: clay soil in a dry week', '[^wt01]'],
      ],
    );
  });

  it('pulls diagnostics with the dangling reference a user would see', async function () {
    const notes = read('notes.md');
    const uri = await client.open('notes.md');
    const report = (await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
    })) as DocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    const dangling = (report as { items: Diagnostic[] }).items.filter((d) => d.code === 'dangling-reference');
    assert.equal(dangling.length, 1);
    assert.deepEqual(dangling[0].range, {
      start: positionOf(notes, 'composting)'),
      end: positionOf(notes, ')), a section'),
    });
    assert.match(dangling[0].message, /No section has the id "composting"/);
    assert.equal(dangling[0].severity, 1);
  });
});

describe('LSP rename with a client that cannot rename files', function () {
  it('falls back to text edits and says the example file must be renamed by hand', async function () {
    const client = await startServer(GARDEN, {
      ...EDITOR_CAPABILITIES,
      workspace: { workspaceEdit: { documentChanges: false } },
    });
    try {
      const spec = read('garden_spec.md');
      const uri = await client.open('garden_spec.md');
      const edit = (await client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(spec, '[^fr22]', 3),
        newName: 'fr23',
      })) as WorkspaceEdit;
      assert.equal(edit.documentChanges, undefined);
      assert.deepEqual(Object.keys(edit.changes!).sort(), [client.uri('examples/fr22.md'), uri].sort());
      assert.deepEqual(
        edit.changes![uri].map((e) => [e.range.start, e.newText]),
        [[positionOf(spec, 'fr22]'), 'fr23']],
      );
      assert.ok(
        client.shown.some((m) => /rename examples\/fr22\.md to fr23\.md by hand/.test(m)),
        `shown: ${client.shown.join(' | ')}`,
      );
      assert.ok(
        client.logs.some((m) => /rename examples\/fr22\.md to fr23\.md by hand/.test(m)),
        'the log says so too',
      );
    } finally {
      await client.stop();
    }
  });
});
