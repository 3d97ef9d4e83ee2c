import * as assert from 'assert';
import { splitBlocks } from '../../server/src/engine/blocks';
import { parseSpec, SpecParser } from '../../server/src/engine/parser';

// remark's container tokenizer is quadratic in the lines of one list or block quote: a 10 MB list
// took minutes. The splitter cuts a huge list between items and a huge quote between paragraphs;
// the model must read the same items, sentences and links as if the container were one.

const URI = 'file:///spec/big.md';
const HEAD = '# Big {#big}\n\nThe assistant must follow every item.\n\n';

function tightList(items: number): string {
  return Array.from(
    { length: items },
    (_, i) =>
      `- Item ${i} **must** be handled with a [link](#big) and \`code\`.\n  - Nested ${i} should be fine.\n    1. Deep ${i} may be done.\n`,
  ).join('');
}

describe('huge lists and block quotes', () => {
  it('cut a tight list between top-level items, and read every item as a list item', () => {
    const text = HEAD + tightList(1500) + '\nAfter the list.\n';
    const blocks = splitBlocks(text);
    const listPieces = blocks.filter((b) => b.text.startsWith('- Item'));
    assert.ok(listPieces.length > 10, `${listPieces.length} pieces`);
    for (const piece of listPieces) assert.ok(piece.text.length < 12 * 1024, `a piece of ${piece.text.length} chars`);
    const doc = parseSpec(URI, text);
    const items = doc.sentences.filter((s) => s.listItem);
    assert.strictEqual(items.length, 1500 * 3);
    assert.deepStrictEqual(
      items.slice(0, 3).map((s) => s.text),
      ['Item 0 **must** be handled with a [link](#big) and `code`.', 'Nested 0 should be fine.', 'Deep 0 may be done.'],
    );
    assert.strictEqual(items[items.length - 1].text, 'Deep 1499 may be done.');
    for (const sentence of items) assert.strictEqual(text.slice(sentence.span.start, sentence.span.end), sentence.text);
    assert.strictEqual(doc.references.length, 1500, 'every item link is read');
    assert.ok(!doc.sentences.some((s) => s.text.includes('- Item')), 'no item swallowed into another');
  });

  it('cut a huge quote only between its paragraphs, never inside a quoted fence', () => {
    const paragraphs = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => `> The quoted rule ${from + i} must hold.\n>\n`).join('');
    // a quoted fence longer than a piece, with blank quote lines inside: the size limit is reached inside it
    const fence =
      '> ```\n' + Array.from({ length: 600 }, (_, i) => `> Code line ${i} is not a rule.\n>\n`).join('') + '> ```\n>\n';
    const text = HEAD + paragraphs(0, 100) + fence + paragraphs(100, 900) + '\nAfter the quote.\n';
    const pieces = splitBlocks(text).filter((b) => b.text.startsWith('>'));
    assert.ok(pieces.length > 3, `${pieces.length} pieces`);
    for (const piece of pieces) {
      assert.ok(
        /^> (The quoted rule|```)/.test(piece.text),
        `a piece starts mid-paragraph: ${piece.text.slice(0, 40)}`,
      );
      assert.strictEqual((piece.text.match(/```/g) ?? []).length % 2, 0, 'a quoted fence is cut');
    }
    const doc = parseSpec(URI, text);
    assert.strictEqual(doc.sentences.filter((s) => /^The quoted rule \d+ must hold\.$/.test(s.text)).length, 1000);
    assert.ok(!doc.sentences.some((s) => s.text.includes('Code line')), 'fence content is code');
    assert.strictEqual(doc.code.length, 1);
  });

  it('give the model a fresh parse gives after edits inside a huge list', () => {
    let text = HEAD + tightList(800);
    const parser = new SpecParser();
    parser.parse(URI, text, 0);
    const edits = [
      (t: string) => t.replace('- Item 400 ', '- Item 400 edited '),
      (t: string) => t.replace('  - Nested 10 should be fine.\n', ''),
      (t: string) => t.replace('- Item 100 ', '\n- Item 100 '),
      (t: string) => t.replace('- Item 700 ', 'Lazy line\n- Item 700 '),
    ];
    edits.forEach((edit, step) => {
      text = edit(text);
      assert.deepStrictEqual(parser.parse(URI, text, step + 1), parseSpec(URI, text, step + 1), `edit ${step}`);
    });
  });
});
