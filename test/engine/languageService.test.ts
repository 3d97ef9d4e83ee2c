import * as assert from 'assert';
import { CancellationToken, createLanguageService, silentLogger } from '../../server/src/engine/languageService';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const SPEC = `# Assistant guide {#guide}

## Tone of voice {#tone}

The assistant must prefer short sentences in replies.[^d4]
`;

const EXAMPLES = `Examples for [^d4] in Tone of voice:

**Example**: a short answer

~~~xml
<user>
What time is it in Tokyo?
</user>
<assistant>
It is 9 p.m. in Tokyo.
</assistant>
~~~
`;

const specUri = MemoryFileSystem.uri('/ws/spec.md');
const examplesUri = MemoryFileSystem.uri('/ws/examples/d4.md');

async function indexedService() {
  const fileSystem = new MemoryFileSystem({ '/ws/spec.md': SPEC, '/ws/examples/d4.md': EXAMPLES });
  const service = createLanguageService({ fileSystem, logger: silentLogger, roots: [MemoryFileSystem.uri('/ws')] });
  await service.scan();
  return service;
}

const rulesOf = async (service: Awaited<ReturnType<typeof indexedService>>, uri: string) =>
  (await service.computeDiagnostics(uri)).map((d) => d.code);

describe('language service facade', () => {
  it('says which other files need re-checking when a section title another file names changes', async () => {
    const service = await indexedService();
    assert.ok(
      !(await rulesOf(service, examplesUri)).includes('example-header-mismatch'),
      'the header matches the section at first',
    );

    // the id {#tone} stays: only the title, which the example file's header repeats, changes
    const affected = service.updateDocument(specUri, SPEC.replace('## Tone of voice', '## Voice and tone'), 2);
    assert.ok(
      affected.includes(examplesUri),
      `the example file is named for re-checking, got ${JSON.stringify(affected)}`,
    );
    assert.ok(
      (await rulesOf(service, examplesUri)).includes('example-header-mismatch'),
      're-checked, it shows the mismatch',
    );
  });

  it('names the example file when its marker moves to another section, ids and titles unchanged', async () => {
    const service = await indexedService();
    const moved =
      SPEC.replace(' replies.[^d4]', ' replies.') +
      '\n## Length {#length}\n\nThe assistant must keep answers under 50 words.[^d4]\n';
    const affected = service.updateDocument(
      specUri,
      SPEC + '\n## Length {#length}\n\nThe assistant must keep answers under 50 words.\n',
      2,
    );
    assert.ok(affected.includes(examplesUri), 'a new section is visible to other files');
    assert.ok(
      service.updateDocument(specUri, moved, 3).includes(examplesUri),
      `the example file is named for re-checking`,
    );
    assert.ok(
      (await rulesOf(service, examplesUri)).includes('example-header-mismatch'),
      're-checked, it shows the mismatch',
    );
  });

  it('names no other file when an edit changes nothing other files can see', async () => {
    const service = await indexedService();
    const affected = service.updateDocument(specUri, SPEC.replace('short sentences', 'brief sentences'), 2);
    assert.deepStrictEqual(affected, []);
  });

  it('answers a cancelled request with an empty result', async () => {
    const service = await indexedService();
    const cancelled: CancellationToken = { isCancellationRequested: true };
    const position = { line: 4, character: 60 };
    assert.ok((await service.documentSymbols(specUri)).length > 0, 'not cancelled, the outline has the sections');
    assert.ok(service.definition(specUri, position).length > 0, 'not cancelled, the marker leads to its example file');
    assert.deepStrictEqual(await service.documentSymbols(specUri, cancelled), []);
    assert.deepStrictEqual(service.definition(specUri, position, cancelled), []);
    assert.deepStrictEqual(await service.computeDiagnostics(specUri, cancelled), []);
    assert.deepStrictEqual(service.codeLenses(specUri, cancelled), []);
  });
});
