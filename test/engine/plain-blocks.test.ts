import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { splitBlocks } from '../../server/src/engine/blocks';
import { extractBlockFacts, plainBlockFacts } from '../../server/src/engine/blockFacts';
import { generatedSpec } from '../support/hostileInputs';
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

describe('plain blocks read without remark', function () {
  this.timeout(120000);

  it('give what remark gives on every block of the corpora that takes the fast path', function () {
    skipWithoutCorpus(this);
    skipWithoutCorpus(this, REAL_SPECS_DIR);
    let plain = 0;
    let all = 0;
    for (const file of [...markdownFiles(MODEL_SPEC_DIR), ...markdownFiles(REAL_SPECS_DIR)]) {
      for (const each of splitBlocks(readFileSync(file, 'utf8'))) {
        all++;
        const quick = plainBlockFacts(each);
        if (!quick) continue;
        plain++;
        assert.deepStrictEqual(quick, extractBlockFacts(each), `${file}:${each.start}`);
      }
    }
    // most prose blocks of real specs are plain: the fast path must actually be taken
    assert.ok(plain > all / 4, `${plain} of ${all} blocks took the fast path`);
  });

  it('give what remark gives on the generated benchmark spec', () => {
    const text = generatedSpec().text.slice(0, 200_000);
    let plain = 0;
    for (const each of splitBlocks(text)) {
      const quick = plainBlockFacts(each);
      if (!quick) continue;
      plain++;
      assert.deepStrictEqual(quick, extractBlockFacts(each), JSON.stringify(each.text));
    }
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

  it('leave to remark what only remark reads right', () => {
    for (const text of [
      'Text\n===\n', // setext heading
      'Text\n---\n',
      'A paragraph\n- interrupted by a list\n',
      'See `[not](a-link)` here.\n',
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
    ])
      assert.strictEqual(plainBlockFacts(block(text)), undefined, JSON.stringify(text));
  });
});
