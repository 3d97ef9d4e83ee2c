import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { splitBlocks, type RawBlock } from '../../server/src/engine/blocks';
import { extractBlockFacts, plainBlockFacts } from '../../server/src/engine/blockFacts';
import { DENSE_SHAPES, generatedSpec } from '../support/hostileInputs';
import { MODEL_SPEC_DIR, REAL_SPECS_DIR, skipWithoutCorpus } from '../support/corpus';

// Plain headings, paragraphs and one-line lists are read without remark (a 10 MB spec must lint in
// seconds); what they yield must be exactly what remark's tree yields, and anything less plain must
// be left to remark.

const markdownFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(md|mdc)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));

function block(text: string) {
  return { start: 0, end: text.length, kind: 'markdown' as const, text };
}

/**
 * Splits `text` into blocks and checks that every block taking the fast path yields what remark
 * yields; returns how many blocks took it, of how many.
 */
function checkFastPath(text: string, where: (block: RawBlock) => string): { plain: number; all: number } {
  let plain = 0;
  let all = 0;
  for (const each of splitBlocks(text)) {
    all++;
    const quick = plainBlockFacts(each);
    if (!quick) continue;
    plain++;
    assert.deepStrictEqual(quick, extractBlockFacts(each), where(each));
  }
  return { plain, all };
}

describe('plain blocks read without remark', function () {
  this.timeout(120000);

  it('give what remark gives on every block of the corpora that takes the fast path', function () {
    skipWithoutCorpus(this);
    skipWithoutCorpus(this, REAL_SPECS_DIR);
    let plain = 0;
    let all = 0;
    for (const file of [...markdownFiles(MODEL_SPEC_DIR), ...markdownFiles(REAL_SPECS_DIR)]) {
      const counts = checkFastPath(readFileSync(file, 'utf8'), (each) => `${file}:${each.start}`);
      plain += counts.plain;
      all += counts.all;
    }
    // most prose blocks of real specs are plain: the fast path must actually be taken
    assert.ok(plain > all / 4, `${plain} of ${all} blocks took the fast path`);
  });

  it('give what remark gives on the generated benchmark spec', () => {
    const { plain } = checkFastPath(generatedSpec().text.slice(0, 200_000), (each) => JSON.stringify(each.text));
    assert.ok(plain > 1000, `${plain} blocks took the fast path`);
  });

  it('give what remark gives on plain shapes', () => {
    for (const text of [
      '## Refunds {#refunds authority=developer}\n\n',
      '# Title ##\n',
      'The assistant must refund [^r1] within [30 days](#days). See [?](#refunds).\n\n',
      'A line\ncontinued    # not a heading\n    indented continuation\n',
      '- one [link](other.md#x)\n- two *emphasis* and `code`\n',
      '1. first\n2. second\n\n\n',
      '**Example**: a refund request\n',
      '| a | b |\n|---|---|\n| must | should |\n',
      '[^note]: a footnote definition is left to remark\n',
      'Empty [](#x) link and [ spaced ](#y).\n',
    ]) {
      const quick = plainBlockFacts(block(text));
      if (quick) assert.deepStrictEqual(quick, extractBlockFacts(block(text)), JSON.stringify(text));
    }
  });

  it('read nested lists, block quotes and code spans as remark does', () => {
    for (const text of [
      'See `[not](a-link)` here and [a link](#x).\n',
      'Code `<user>` and ``a ` b`` and a [link](#x) after.\n',
      'An unmatched ` backtick and a [link](#x).\n',
      '- The assistant **must** answer with a [link](#x) and `code`.\n- Two `[x]` items.\n',
      '- Item must be handled\n  - nested should be fine\n    1. deep may be done\n    2. and more\n- Next\n',
      '1. one\n   - under one\n2. two\n',
      '> The assistant should quote.\n>\n> Another [paragraph](#x)\n> on two lines.\n',
      '>\n> After a bare marker.\n',
    ]) {
      const quick = plainBlockFacts(block(text));
      assert.ok(quick, `${JSON.stringify(text)} takes the fast path`);
      assert.deepStrictEqual(quick, extractBlockFacts(block(text)), JSON.stringify(text));
    }
  });

  it('give what remark gives on the dense shapes of the benchmark, without remark', () => {
    for (const shape of DENSE_SHAPES) {
      const { plain, all } = checkFastPath(shape.text(64 * 1024), (each) => `${shape.file}:${each.start}`);
      // all but the head and tail blocks
      assert.ok(plain >= all - 3, `${shape.file}: ${plain} of ${all} blocks took the fast path`);
    }
  });

  it('leave to remark what only remark reads right', () => {
    for (const text of [
      'Text\n===\n', // setext heading
      'Text\n---\n',
      'A paragraph\n- interrupted by a list\n',
      'An \\[escaped](x) bracket.\n',
      'An ![image](x.png).\n',
      'A <!-- comment --> inside.\n',
      'An <https://example.com> autolink.\n',
      'A [link](url "title").\n',
      'A [ref][id] reference.\n',
      '[id]: https://example.com\n',
      'Hard break  \nhere\n',
      '- item\n  continued\n',
      '- one\n* two\n',
      '# Heading\nparagraph\n',
      '# Heading with [link](#x)\n',
      '    indented code\n',
      'tab\there\n',
      'crlf\r\n',
      '* * *\n',
      '`<a href="`">`\n', // an HTML tag that runs past the code span wins over it
      'A `code\\` span with an escape.\n',
      '- a\n - b\n', // a sibling at another indent
      '- a\n   - b\n', // a nested list not at the item's content column
      '- a\n  2. b\n', // an ordered list may interrupt a paragraph only from 1
      '- a\n  - b\n    c\n', // a lazy continuation
      '> a\n>b\n',
      '> a\nlazy continuation\n',
      '> - a list in a quote\n',
      '>> nested\n',
      '>     indented code\n',
    ])
      assert.strictEqual(plainBlockFacts(block(text)), undefined, JSON.stringify(text));
  });
});
