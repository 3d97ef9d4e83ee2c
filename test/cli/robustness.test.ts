// Hostile and unusual input: the engine must neither crash nor hang (mocha's timeout bounds each test;
// nothing here asserts speed), and positions must stay in UTF-16 code units as LSP requires.
import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { CLARIFIER_BIN, CLI_RUN_LIMIT_MS, clarifier, ensureBuilt, textAt, type JsonReport } from './support';
import { DENSE_SHAPES, HOSTILE_INPUTS } from '../support/hostileInputs';

/**
 * Writes each input to a fresh folder, lints the folder in one CLI run and checks that every file was
 * read to its end (the dangling link after the input is found) with no internal error.
 * Returns the report, for checks of its own.
 */
function lintsEachToItsEnd(inputs: { file: string; what: string; text: () => string }[]): JsonReport {
  const folder = mkdtempSync(path.join(tmpdir(), 'clarifier-hostile-'));
  try {
    for (const input of inputs) writeFileSync(path.join(folder, input.file), input.text());
    ensureBuilt();
    // 100,000 markers without examples are 100,000 findings: more JSON than clarifier()'s buffer holds
    const run = spawnSync(process.execPath, [CLARIFIER_BIN, 'lint', '.', '--all', '--format', 'json'], {
      cwd: folder,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      // mocha cannot time out a synchronous run: a hang is ended here
      timeout: 2 * CLI_RUN_LIMIT_MS,
    });
    if (run.error) throw run.error;
    assert.strictEqual(
      run.status,
      1,
      `findings, no internal error (exit 2 would be one): ${run.stderr.slice(0, 2000)}`,
    );
    assert.doesNotMatch(run.stderr, /TypeError|RangeError|Maximum call stack|URI malformed|internal error/);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepStrictEqual(report.files.map((f) => f.path).sort(), inputs.map((i) => i.file).sort());
    for (const input of inputs) {
      const file = report.files.find((f) => f.path === input.file)!;
      assert.deepStrictEqual(
        file.diagnostics.filter((d) => d.code === 'internal-error'),
        [],
        input.what,
      );
      // the link after the input is found: the file was read to its end
      const dangling = file.diagnostics
        .filter((d) => d.code === 'dangling-reference')
        .map((d) => textAt(path.join(folder, input.file), d.range));
      assert.ok(dangling.includes('nowhere'), `${input.what}: ${JSON.stringify(dangling)}`);
    }
    return report;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('robustness: the inputs that once broke or stalled a run, through the CLI', () => {
  it('lints each one to its end with findings and no crash, in one run', function () {
    // no time is asserted (npm run bench prints each against the 10 s budget); this only bounds a hang
    this.timeout(900_000);
    const report = lintsEachToItsEnd(HOSTILE_INPUTS);
    const link = report.files.find((f) => f.path === 'malformed-link.md')!;
    assert.ok(
      link.diagnostics.some((d) => d.code === 'dangling-reference' && /percent-encoding/.test(d.message)),
      'the malformed target is a finding',
    );
  });

  it('reads a folder whose notes are a run of 20,000 blank lines and says it holds no spec', function () {
    // recognition reads every Markdown file of a folder: a regex there took the cube of a run of blank lines
    this.timeout(CLI_RUN_LIMIT_MS + 60_000);
    const folder = mkdtempSync(path.join(tmpdir(), 'clarifier-blank-'));
    try {
      writeFileSync(path.join(folder, 'notes.md'), 'Some notes.\n' + '\n'.repeat(20_000) + 'The end.\n');
      const run = clarifier(['lint', '.'], folder);
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stdout, /No spec found in \.: 1 Markdown file\(s\) read, none is a spec/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('lints dense shapes of a big spec (half a megabyte each) to their end', function () {
    // only bounds a hang: a tight nested list of this size took minutes when remark read it whole
    this.timeout(600_000);
    lintsEachToItsEnd(
      DENSE_SHAPES.map((shape) => ({ file: shape.file, what: shape.what, text: () => shape.text(512 * 1024) })),
    );
  });
});

describe('robustness: line endings, BOM and UTF-16 positions', () => {
  const spec =
    '# Start {#start}\n\nIntro 😀👍🏽 text with [?](#missing-target) inside.\n\n## Next {#next}\n\nOther 𝒳 prose [?](#also-missing).\n';

  describe('through the CLI, on files on disk', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'clarifier-robust-'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('a BOM file reports the columns the editor shows (the editor drops the BOM)', () => {
      const first = '# Start {#start} [?](#nowhere)\n';
      writeFileSync(path.join(folder, 'bom.md'), '\ufeff' + first);
      writeFileSync(path.join(folder, 'plain.md'), first.replace('start', 'begin'));
      const run = clarifier(['lint', 'bom.md', 'plain.md', '--format', 'json'], folder);
      const report = JSON.parse(run.stdout) as JsonReport;
      const [bom, plain] = report.files.map((f) => f.diagnostics.find((d) => d.code === 'dangling-reference')!);
      assert.deepStrictEqual(bom.range, plain.range);
      assert.strictEqual(first.slice(bom.range.start.character, bom.range.end.character), 'nowhere');
    });

    it('CRLF files, binary files and an empty file lint without crashing', () => {
      writeFileSync(path.join(folder, 'crlf.md'), spec.replace(/\n/g, '\r\n'));
      writeFileSync(
        path.join(folder, 'binary.md'),
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      );
      writeFileSync(path.join(folder, 'empty.md'), '');
      const run = clarifier(['lint', 'crlf.md', 'binary.md', 'empty.md', '--format', 'json'], folder);
      assert.strictEqual(run.status, 1, run.stderr);
      assert.strictEqual(run.stderr, '');
      const report = JSON.parse(run.stdout) as JsonReport;
      const crlf = report.files.find((f) => f.path === 'crlf.md')!;
      assert.deepStrictEqual(
        crlf.diagnostics
          .filter((d) => d.code === 'dangling-reference')
          .map((d) => textAt(path.join(folder, 'crlf.md'), d.range)),
        ['missing-target', 'also-missing'],
      );
    });
  });
});
