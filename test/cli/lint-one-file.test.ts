// `clarifier lint FILE` reads that file, the files it links to and its example files, never the
// rest of its folder: a huge, broken or unreadable sibling it does not mention must not cost time,
// change its findings or end the run with "cannot read".
import * as assert from 'assert';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { clarifier, type JsonReport } from './support';

const SPEC = [
  '# Refunds {#refunds}',
  '',
  'The assistant must refund a damaged item within 30 days [^damaged].',
  '',
  'Shipping is covered in [the shipping rules](shipping.md#shipping).',
  '',
].join('\n');

const SHIPPING = ['# Shipping {#shipping}', '', 'The assistant must ship within two days.', ''].join('\n');

const EXAMPLE = [
  'Examples for [^damaged] in Refunds:',
  '',
  '**Example**: a damaged item',
  '',
  '~~~xml',
  '<user>',
  'My mug arrived broken.',
  '</user>',
  '<assistant>',
  'I have refunded it.',
  '</assistant>',
  '~~~',
  '',
].join('\n');

/** A sibling spec the linted file never mentions: it declares the same id, which a folder lint reports. */
const SIBLING = ['# Refunds again {#refunds}', '', 'The assistant must never refund.', ''].join('\n');

describe('CLI: linting one file reads what it links to, not its folder', function () {
  this.timeout(120_000);
  let folder: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'clarifier-one-file-'));
    writeFileSync(path.join(folder, 'refunds.md'), SPEC);
    writeFileSync(path.join(folder, 'shipping.md'), SHIPPING);
    mkdirSync(path.join(folder, 'examples'));
    writeFileSync(path.join(folder, 'examples', 'damaged.md'), EXAMPLE);
    writeFileSync(path.join(folder, 'sibling.md'), SIBLING);
    writeFileSync(path.join(folder, 'unreadable.md'), SIBLING);
  });
  after(() => {
    chmodSync(path.join(folder, 'unreadable.md'), 0o644);
    rmSync(folder, { recursive: true, force: true });
  });

  const codes = (report: JsonReport, file: string) =>
    report.files.find((f) => f.path === file)?.diagnostics.map((d) => d.code) ?? [];

  it('resolves its links and finds its example files', () => {
    const run = clarifier(['lint', 'refunds.md', '--format', 'json'], folder);
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepStrictEqual(
      report.files.map((f) => f.path),
      ['refunds.md'],
    );
    const found = codes(report, 'refunds.md');
    assert.ok(!found.includes('dangling-reference'), 'shipping.md#shipping resolves: the linked file was read');
    assert.ok(!found.includes('marker-without-example'), 'examples/damaged.md was read');
  });

  it('does not read a sibling it does not mention, even an unreadable one', () => {
    chmodSync(path.join(folder, 'unreadable.md'), 0o000);
    let unreadable = true;
    try {
      readFileSync(path.join(folder, 'unreadable.md'));
      unreadable = false; // running as root: permissions do not stop reading, the sibling spec still tells
    } catch {
      // as a user would see it: the file cannot be read
    }
    const run = clarifier(['lint', 'refunds.md', '--format', 'json'], folder);
    assert.strictEqual(run.status, 0, `not "cannot read": ${run.stderr}`);
    assert.doesNotMatch(run.stdout + run.stderr, /sibling|unreadable/);
    assert.ok(!codes(JSON.parse(run.stdout), 'refunds.md').includes('duplicate-section-id'));
    if (unreadable) assert.doesNotMatch(run.stderr, /cannot read/);
  });

  it('still checks ids across the files of a folder that is linted', () => {
    chmodSync(path.join(folder, 'unreadable.md'), 0o644);
    const run = clarifier(['lint', '.', '--format', 'json'], folder);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.ok(codes(report, 'refunds.md').includes('duplicate-section-id'), run.stdout);
    assert.ok(codes(report, 'sibling.md').includes('duplicate-section-id'));
  });
});
