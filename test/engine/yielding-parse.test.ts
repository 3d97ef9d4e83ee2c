import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { CancellationToken } from '../../server/src/engine/host';
import { parseSpec, SpecParser } from '../../server/src/engine/parser';
import { generatedSpec } from '../support/hostileInputs';
import { MODEL_SPEC_DIR, skipWithoutCorpus } from '../support/corpus';

// The language server parses a big file in slices with pauses between them, so that it keeps
// answering; the model it builds must be the one a parse in one go builds.

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('parsing with pauses', function () {
  this.timeout(120_000);

  it('builds the model a parse in one go builds (Model Spec, generated spec, front matter, BOM)', async function () {
    skipWithoutCorpus(this);
    const texts = [
      readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8'),
      generatedSpec().text.slice(0, 1_000_000),
      '\ufeff---\ntitle: x\n---\n# A {#a}\n\nThe assistant must answer.\n\n!!! meta "Note"\n    Commentary.\n\nAfter.\n',
      '',
    ];
    for (const text of texts) {
      let pauses = 0;
      const counted = () => (pauses++, pause());
      const yielded = await new SpecParser().parseYielding(
        'file:///s/spec.md',
        text,
        3,
        counted,
        CancellationToken.None,
      );
      assert.deepStrictEqual(yielded, parseSpec('file:///s/spec.md', text, 3), text.slice(0, 40));
      if (text.length > 200_000) assert.ok(pauses >= 1, `${pauses} pauses in a ${text.length}-character text`);
    }
  });

  it('a parse that keeps no state for edits (the CLI) builds the model an editable parse builds', function () {
    skipWithoutCorpus(this);
    // a footnote defined more than one slice of blocks after its marker is still an ordinary footnote
    const lateFootnote =
      '# Notes\n\nA readme sentence with a footnote.[^1]\n\n' +
      Array.from({ length: 1200 }, (_, i) => `Paragraph ${i} of plain prose.\n\n`).join('') +
      '[^1]: The footnote.\n';
    const texts = [
      readFileSync(path.join(MODEL_SPEC_DIR, 'model_spec.md'), 'utf8'),
      generatedSpec().text.slice(0, 1_000_000),
      '\ufeff---\ntitle: x\n---\n# A {#a}\n\nThe assistant must answer.\n\n!!! meta "Note"\n    Commentary.\n\nAfter.\n',
      lateFootnote,
      '',
    ];
    for (const text of texts) {
      const once = new SpecParser(false).parse('file:///s/spec.md', text, 3);
      assert.deepStrictEqual(once, new SpecParser(true).parse('file:///s/spec.md', text, 3), text.slice(0, 40));
    }
    assert.strictEqual(new SpecParser(false).parse('file:///s/n.md', lateFootnote).hasSpecSyntax, false);
  });

  it('stops when cancelled, and the next text is parsed in full', async () => {
    const text = generatedSpec().text.slice(0, 500_000);
    const parser = new SpecParser();
    const token = { isCancellationRequested: false };
    const stopped = await parser.parseYielding(
      'file:///s/spec.md',
      text,
      1,
      async () => {
        token.isCancellationRequested = true;
      },
      token,
    );
    assert.strictEqual(stopped, undefined);
    const edited = text + '\n## Late {#late}\n';
    assert.deepStrictEqual(parser.parse('file:///s/spec.md', edited, 2), parseSpec('file:///s/spec.md', edited, 2));
  });
});
