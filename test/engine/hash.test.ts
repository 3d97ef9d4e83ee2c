import * as assert from 'assert';
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../server/src/engine/hash';

describe('engine SHA-256', () => {
  it('gives the digests of node:crypto, so caches written by earlier versions keep answering', () => {
    const inputs = [
      '',
      'abc',
      'a'.repeat(55),
      'a'.repeat(56),
      'a'.repeat(64),
      'a'.repeat(1000),
      'Ünïcödé — “quotes” 🙂 中文',
      JSON.stringify({ v: 3, messages: [{ role: 'user', content: 'x\n'.repeat(300) }] }),
    ];
    for (const input of inputs)
      assert.strictEqual(
        sha256Hex(input),
        createHash('sha256').update(input).digest('hex'),
        `input of length ${input.length}`,
      );
  });
});
