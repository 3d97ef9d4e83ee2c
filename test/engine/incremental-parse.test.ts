// The incremental parser must build exactly the model a fresh parse builds, whatever the edit.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { readdirSync } from 'fs';
import { splitBlocks } from '../../server/src/engine/blocks';
import { extractBlockFacts, extractManyBlockFacts } from '../../server/src/engine/blockFacts';
import { changedWindow, fencedBlockFacts, parseSpec, SpecParser } from '../../server/src/engine/parser';
import { LineIndex } from '../../server/src/engine/text';
import { MODEL_SPEC_DIR, REAL_SPECS_DIR, skipWithoutCorpus } from '../support/corpus';

const URI = 'file:///spec/policy.md';

/** A deterministic pseudo-random sequence, so that a failure can be replayed. */
function randomFrom(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

// Pieces whose insertion or removal changes where blocks begin and end.
const SNIPPETS = [
  '\n',
  '\n\n',
  '#',
  '# ',
  '## Added {#added}\n',
  '```',
  '~~~xml\n',
  '<!--',
  '-->',
  '!!! meta "Note"\n',
  '    ',
  '- ',
  '[^m]',
  '[?](#x)',
  '**Example**: t\n',
  '\r\n',
  'x',
  '',
];

function randomEdit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const removed = random() < 0.5 ? Math.floor(random() * 12) : 0;
  const inserted = SNIPPETS[Math.floor(random() * SNIPPETS.length)];
  return text.slice(0, at) + inserted + text.slice(Math.min(text.length, at + removed));
}

function assertSameModel(incremental: ReturnType<typeof parseSpec>, text: string, context: string) {
  const fresh = parseSpec(URI, text, incremental.version);
  // compare the parts separately: a failure then says which part differs
  for (const key of [
    'sections',
    'sentences',
    'clauses',
    'examples',
    'references',
    'markers',
    'commentary',
    'comments',
    'code',
    'exampleFileHeader',
    'hasSpecSyntax',
  ] as const) {
    assert.deepStrictEqual(incremental[key], fresh[key], `${key} differ after ${context}`);
  }
  const lastLine = fresh.lines.lineCount - 1;
  assert.strictEqual(incremental.lines.lineCount, fresh.lines.lineCount, `line count after ${context}`);
  for (let line = 0; line <= lastLine; line++)
    assert.strictEqual(incremental.lines.lineStart(line), fresh.lines.lineStart(line), `line ${line} after ${context}`);
}

describe('incremental parsing gives the model a fresh parse gives', function () {
  // engine tests that lint the whole Model Spec many times: slow on a shared machine, not in a loop
  this.timeout(60000);
  const sample = [
    '# Policy {#policy authority=root}',
    '',
    'The assistant must answer [^answer]. See [?](#tools).',
    '## Tools {#tools authority=developer}',
    'Text right under the heading.',
    '',
    '!!! meta "Why"',
    '    Commentary body that says why.',
    '',
    '**Example**: a short one',
    '',
    '~~~xml',
    '<user>',
    'Hi',
    '</user>',
    '<assistant>',
    'Hello',
    '</assistant>',
    '~~~',
    '',
    '<!-- clarifier-disable dangling-reference',
    '',
    'still a comment -->',
    '- item one may apply',
    '    - nested item should apply',
    '',
    '```ts',
    '# not a heading',
    '```',
    '',
  ].join('\n');

  it('after many random edits of a small spec (fences, comments, commentary, headings, CRLF)', () => {
    const random = randomFrom(7);
    for (let run = 0; run < 24; run++) {
      const parser = new SpecParser();
      let text = sample;
      parser.parse(URI, text, 0);
      for (let step = 1; step <= 12; step++) {
        text = randomEdit(text, random);
        assertSameModel(parser.parse(URI, text, step), text, `run ${run} step ${step}`);
      }
    }
  });

  it('after one-character edits across the Model Spec', function () {
    skipWithoutCorpus(this);
    const original = readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8');
    const parser = new SpecParser();
    parser.parse(URI, original, 0);
    const random = randomFrom(11);
    let text = original;
    for (let step = 1; step <= 6; step++) {
      text = randomEdit(text, random);
      assertSameModel(parser.parse(URI, text, step), text, `Model Spec step ${step}`);
    }
    // back to the original, as undo does
    assertSameModel(parser.parse(URI, original, 99), original, 'undo');
  });

  it('with a BOM added and removed, and on an emptied document', () => {
    const parser = new SpecParser();
    parser.parse(URI, sample, 0);
    for (const [step, text] of [
      '\ufeff' + sample,
      sample,
      '',
      sample.replace(/\n/g, '\r\n'),
      sample.replace(/\n/g, '\r'),
    ].entries()) {
      assertSameModel(parser.parse(URI, text, step + 1), text, `variant ${step}`);
    }
  });

  it('finds the changed window of an edit', () => {
    assert.deepStrictEqual(changedWindow('abcdef', 'abXdef'), { start: 2, oldEnd: 3, newEnd: 3 });
    assert.deepStrictEqual(changedWindow('aaaa', 'aaaaa'), { start: 4, oldEnd: 4, newEnd: 5 });
    assert.deepStrictEqual(changedWindow('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
    const index = LineIndex.afterEdit(new LineIndex('a\nb\nc'), 'a\nbX\n\nc', 3, 3, 5);
    assert.deepStrictEqual(
      [0, 1, 2, 3].map((line) => index.lineStart(line)),
      [0, 2, 5, 6],
    );
  });
});

describe('fenced blocks read without remark', function () {
  // engine tests that lint the whole Model Spec many times: slow on a shared machine, not in a loop
  this.timeout(60000);
  const same = (text: string) => {
    const [block] = splitBlocks(text);
    const quick = fencedBlockFacts(block);
    if (quick) assert.deepStrictEqual(quick, extractBlockFacts(block), JSON.stringify(text));
    return !!quick;
  };

  it('give what remark gives on every fence of the Model Spec corpus', function () {
    skipWithoutCorpus(this);
    const files = [
      path.join(MODEL_SPEC_DIR, 'model_spec.md'),
      ...readdirSync(path.join(MODEL_SPEC_DIR, 'examples')).map((f) => path.join(MODEL_SPEC_DIR, 'examples', f)),
    ];
    let fences = 0;
    for (const file of files) {
      for (const block of splitBlocks(readFileSync(file, 'utf8'))) {
        if (!/^(```|~~~)/.test(block.text)) continue;
        fences++;
        assert.ok(fencedBlockFacts(block), `the plain fence at ${file}:${block.start} takes the fast path`);
        assert.deepStrictEqual(fencedBlockFacts(block), extractBlockFacts(block), `${file}:${block.start}`);
      }
    }
    assert.ok(fences > 100);
  });

  it('give what remark gives on edge cases, and leave the rest to remark', () => {
    const transcript = '<user>\nHi\n</user>\n<assistant>\nHello\n</assistant>\n';
    for (const text of [
      '~~~xml\n' + transcript + '~~~\n',
      '~~~xml\n' + transcript + '~~~   \n\n\n',
      '~~~\n~~~\n',
      '```\n```',
      '~~~~ XML\n' + transcript + '~~~\n~~~~~\n',
      '```ts\nconst a = 1;\n    ```\n```\n',
      '~~~xml\r\n' + transcript.replace(/\n/g, '\r\n') + '~~~\r\n\r\n',
      '~~~xml\n' + transcript + '   ~~~\n',
      '```python\nprint("x")\n```\n  \n',
    ])
      assert.ok(same(text), JSON.stringify(text));
    for (const text of [
      '~~~xml\n' + transcript,
      '~~~xml\n' + transcript + '~~~\ntext after\n',
      '~~~xml meta words\n~~~\n',
      '``` `x`\n```\n',
      '~~~x\\ml\n~~~\n',
    ]) {
      assert.ok(!same(text), `remark reads ${JSON.stringify(text)}`);
    }
  });
});

describe('blocks parsed in batches', function () {
  this.timeout(120000);
  const markdownFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && /\.(md|mdc)$/.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name));

  it('give what one parse per block gives, on every block of the corpora', function () {
    skipWithoutCorpus(this);
    skipWithoutCorpus(this, REAL_SPECS_DIR);
    const files = [...markdownFiles(MODEL_SPEC_DIR), ...markdownFiles(REAL_SPECS_DIR)];
    let blocks = 0;
    for (const file of files) {
      const all = splitBlocks(readFileSync(file, 'utf8'));
      // every other block too, as after an edit: blocks that were never side by side in the file
      for (const list of [all, all.filter((_, i) => i % 2 === 0)]) {
        const batched = extractManyBlockFacts(list);
        list.forEach((block, i) =>
          assert.deepStrictEqual(
            batched[i],
            extractBlockFacts(block),
            `${path.relative(path.dirname(MODEL_SPEC_DIR), file)}:${block.start}`,
          ),
        );
        blocks += list.length;
      }
    }
    assert.ok(blocks > 5000, `${blocks} blocks compared`);
  });

  it('fall back to one parse per block where joined blocks would read differently', () => {
    // a paragraph line followed by "===" is a setext heading when joined; an ordered list continues across
    const pairs = [
      ['Some text\n', '===\n'],
      ['1. one\n\n', '2. two\n'],
      ['- item\n', 'lazy line\n'],
      ['[foo]: /url\n', '"title"\n'],
      ['<pre>\n\n', 'still pre\n</pre>\n'],
    ];
    for (const [first, second] of pairs) {
      const blocks = [
        { start: 0, end: first.length, kind: 'markdown' as const, text: first },
        { start: first.length, end: first.length + second.length, kind: 'markdown' as const, text: second },
      ];
      assert.deepStrictEqual(
        extractManyBlockFacts(blocks),
        blocks.map(extractBlockFacts),
        JSON.stringify(first + second),
      );
    }
  });
});
