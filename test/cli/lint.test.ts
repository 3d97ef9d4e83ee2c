import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import type * as Sarif from 'sarif';
import { REPO_ROOT } from '../support/corpus';
import { clarifier, FIXTURES, textAt, type JsonReport } from './support';

const BROKEN = path.join(FIXTURES, 'broken');
const CONFIGS = path.join(FIXTURES, 'configs');

function json(args: string[], cwd?: string): { status: number | null; report: JsonReport; stderr: string } {
  const run = clarifier([...args, '--format', 'json'], cwd);
  let report: JsonReport;
  try {
    report = JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return { status: run.status, report, stderr: run.stderr };
}

const codes = (report: JsonReport, file: string) =>
  report.files.find((f) => f.path === file)?.diagnostics.map((d) => d.code) ?? [];

describe('clarifier CLI: commands and exit codes', () => {
  it('prints usage for --help with exit 0, and to stderr with exit 2 when no command is given', () => {
    const help = clarifier(['--help']);
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /clarifier lint|lint <files\|folders\|globs>/);
    const none = clarifier([]);
    assert.strictEqual(none.status, 2);
    assert.strictEqual(none.stdout, '');
    assert.match(none.stderr, /Usage: clarifier/);
  });

  it('exits 0 on a spec without error findings', () => {
    const run = clarifier(['lint', 'clean']);
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /1 spec file\(s\) checked/);
  });

  it('exits 1 on a spec with an error finding and prints path:line:column for it', () => {
    const run = clarifier(['lint', 'broken']);
    assert.strictEqual(run.status, 1, run.stdout + run.stderr);
    // the dangling [?](#meals-allowance) on line 7, after two astral emoji (columns count UTF-16 units, 1-based)
    assert.ok(run.stdout.includes(`${path.join('broken', 'policy.md')}:7:49  error`), run.stdout);
    assert.match(run.stdout, /5 error\(s\)/);
  });

  it('exits 2 naming the file when a target does not exist', () => {
    const run = clarifier(['lint', 'clean', 'no-such-spec.md']);
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /no-such-spec\.md/);
    assert.strictEqual(run.stdout, '', 'no partial report on a usage error');
  });

  it('exits 2 on an unknown option, a bad --format value, or a missing option value', () => {
    for (const args of [
      ['lint', 'clean', '--formt', 'json'],
      ['lint', 'clean', '--format', 'xml'],
      ['lint', 'clean', '--config'],
      ['lint'],
      ['frobnicate'],
    ]) {
      const run = clarifier(args);
      assert.strictEqual(run.status, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.ok(run.stderr.trim().length > 0, `${args.join(' ')} explains itself on stderr`);
    }
    assert.match(clarifier(['lint', 'clean', '--format', 'xml']).stderr, /text, json or sarif/);
    assert.match(clarifier(['lint', 'clean', '--formt', 'json']).stderr, /--formt/);
  });

  it('exits 2 naming the path when the config file cannot be read', () => {
    // a folder where a file is expected cannot be read as text whoever runs the test (root included)
    const run = clarifier(['lint', 'clean', '--config', 'broken']);
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /broken/);
  });
});

describe('clarifier CLI: --format json', () => {
  it('has exactly the documented shape with 0-based LSP ranges and related locations', () => {
    const { status, report } = json(['lint', 'broken']);
    assert.strictEqual(status, 1);
    assert.deepStrictEqual(Object.keys(report), ['version', 'files']);
    assert.strictEqual(report.version, 1);
    assert.deepStrictEqual(
      report.files.map((f) => f.path),
      [path.join('broken', 'expenses.md'), path.join('broken', 'policy.md')],
    );
    for (const file of report.files) {
      assert.deepStrictEqual(Object.keys(file), ['path', 'diagnostics']);
      for (const d of file.diagnostics) {
        assert.deepStrictEqual(Object.keys(d), ['code', 'severity', 'message', 'range', 'related']);
        assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity), d.severity);
        assert.strictEqual(typeof d.code, 'string');
        assert.deepStrictEqual(Object.keys(d.range), ['start', 'end']);
        assert.deepStrictEqual(Object.keys(d.range.start), ['line', 'character']);
        for (const related of d.related) assert.deepStrictEqual(Object.keys(related), ['path', 'range', 'message']);
      }
    }
    const dangling = report.files[1].diagnostics.find((d) => d.code === 'dangling-reference');
    assert.ok(dangling, 'the dangling reference is reported');
    assert.strictEqual(dangling.severity, 'error');
    assert.deepStrictEqual(dangling.range, { start: { line: 6, character: 48 }, end: { line: 6, character: 63 } });
    assert.strictEqual(textAt(path.join(BROKEN, 'policy.md'), dangling.range), 'meals-allowance');
  });

  it('names the other file in related locations of a cross-file duplicate id', () => {
    const { report } = json(['lint', 'broken']);
    const duplicate = report.files[0].diagnostics.find((d) => d.code === 'duplicate-section-id');
    assert.ok(duplicate);
    assert.strictEqual(textAt(path.join(BROKEN, 'expenses.md'), duplicate.range), 'travel');
    assert.strictEqual(duplicate.related.length, 1);
    assert.strictEqual(duplicate.related[0].path, path.join('broken', 'policy.md'));
    assert.strictEqual(textAt(path.join(BROKEN, 'policy.md'), duplicate.related[0].range), 'travel');
  });

  it('reports paths relative to the working folder', () => {
    const { report } = json(['lint', '.'], BROKEN);
    assert.deepStrictEqual(
      report.files.map((f) => f.path),
      ['expenses.md', 'policy.md'],
    );
  });
});

describe('clarifier CLI: --format sarif', () => {
  it('writes SARIF 2.1.0 with what GitHub code scanning requires', () => {
    const run = clarifier(['lint', 'broken', '--format', 'sarif']);
    assert.strictEqual(run.status, 1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    assert.strictEqual(log.version, '2.1.0');
    assert.match(log.$schema ?? '', /sarif-2\.1\.0/);
    assert.strictEqual(log.runs.length, 1);
    const [sarifRun] = log.runs;
    const driver = sarifRun.tool.driver;
    assert.strictEqual(driver.name, 'clarifier');
    const rules = driver.rules ?? [];
    assert.ok(rules.length >= 2);
    assert.strictEqual(new Set(rules.map((r) => r.id)).size, rules.length, 'rule ids are unique');
    for (const rule of rules) {
      assert.match(rule.id, /^[a-z0-9-]+$/);
      assert.ok(rule.shortDescription?.text, `${rule.id} has a short description`);
      assert.match(rule.helpUri ?? '', /^https:\/\/.+\.md$/);
    }
    const results = sarifRun.results ?? [];
    const { report } = json(['lint', 'broken']);
    const expected = report.files.flatMap((f) => f.diagnostics.map((d) => ({ path: f.path, d })));
    assert.strictEqual(results.length, expected.length, 'one result per finding');
    results.forEach((result, i) => {
      const { path: file, d } = expected[i];
      assert.strictEqual(result.ruleId, d.code);
      assert.strictEqual(rules[result.ruleIndex!].id, result.ruleId, 'ruleIndex points at the rule');
      assert.strictEqual(
        result.level,
        d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note',
      );
      assert.strictEqual(result.message.text, d.message);
      const location = result.locations![0].physicalLocation!;
      assert.strictEqual(location.artifactLocation!.uri, file.split(path.sep).join('/'));
      assert.ok(!/^[a-z]+:|^\//i.test(location.artifactLocation!.uri!), 'a repository-relative URI');
      // SARIF lines and columns are 1-based; columns count UTF-16 code units, as LSP characters do
      assert.deepStrictEqual(location.region, {
        startLine: d.range.start.line + 1,
        startColumn: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
      });
      assert.strictEqual(result.relatedLocations?.length ?? 0, d.related.length);
    });
    assert.strictEqual(sarifRun.columnKind, 'utf16CodeUnits');
  });

  it('percent-encodes artifact URIs of paths with spaces', () => {
    const run = clarifier(['lint', '--format', 'sarif', path.join(CONFIGS, '..', 'spaced name', 'draft spec.md')]);
    assert.strictEqual(run.status, 1, run.stderr);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    const uri = log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri!;
    assert.strictEqual(uri, 'spaced%20name/draft%20spec.md');
  });
});

describe('clarifier CLI: configuration', () => {
  it('applies rule severities from --config FILE', () => {
    const { status, report } = json(['lint', 'broken', '--config', path.join(CONFIGS, 'dangling-as-warning.json')]);
    assert.strictEqual(status, 0, 'warnings alone do not fail the run');
    assert.deepStrictEqual(codes(report, path.join('broken', 'policy.md')), ['dangling-reference']);
    assert.strictEqual(report.files[1].diagnostics[0].severity, 'warning');
    assert.deepStrictEqual(codes(report, path.join('broken', 'expenses.md')), [], 'duplicate-section-id is off');
  });

  it('reads .clarifier.json from the working folder when no --config is given', () => {
    const folder = path.join(FIXTURES, 'with-config');
    const { status, report } = json(['lint', '.'], folder);
    assert.strictEqual(status, 0);
    assert.deepStrictEqual(codes(report, 'notes.md'), []);
    // the same file without that config has the dangling reference
    const without = json(['lint', path.join(folder, 'notes.md')]);
    assert.strictEqual(without.status, 1);
    assert.deepStrictEqual(codes(without.report, path.join('with-config', 'notes.md')), ['dangling-reference']);
  });

  it('applies "exclude" globs relative to the working folder, whichever folder is linted', () => {
    const folder = path.join(FIXTURES, 'excluding');
    for (const target of ['handbook', '.', 'handbook/**/*.md']) {
      const { report } = json(['lint', target], folder);
      assert.deepStrictEqual(
        report.files.map((f) => f.path),
        [path.join('handbook', 'leave.md')],
        `lint ${target}`,
      );
    }
    const named = clarifier(['lint', 'handbook/drafts/overtime.md'], folder);
    assert.strictEqual(named.status, 0);
    assert.match(named.stderr, /overtime\.md matches an "exclude" glob/);
  });

  it('exits 2 naming the config file and the bad value when a severity is invalid', () => {
    const run = clarifier(['lint', 'clean', '--config', path.join('configs', 'bad-severity.json')]);
    assert.strictEqual(run.status, 2);
    assert.strictEqual(run.stdout, '');
    assert.match(run.stderr, /bad-severity\.json/);
    assert.match(run.stderr, /"severe"/);
    assert.match(run.stderr, /off, hint, info, warning, error/);
  });

  it('exits 2 naming the config file when it is not JSON or does not exist', () => {
    const broken = clarifier(['lint', 'clean', '--config', path.join('configs', 'not-json.json')]);
    assert.strictEqual(broken.status, 2);
    assert.match(broken.stderr, /not-json\.json.*not valid JSON/);
    const missing = clarifier(['lint', 'clean', '--config', 'configs/absent.json']);
    assert.strictEqual(missing.status, 2);
    assert.match(missing.stderr, /absent\.json/);
  });
});

describe('clarifier CLI: globs', () => {
  it('expands a recursive glob to the matching files only', () => {
    const { status, report } = json(['lint', '**/exp*.md']);
    assert.strictEqual(status, 1);
    assert.deepStrictEqual(
      report.files.map((f) => f.path),
      [path.join('broken', 'expenses.md')],
    );
    // the other file of its folder is still read, so the cross-file duplicate is found
    assert.deepStrictEqual(codes(report, path.join('broken', 'expenses.md')), ['duplicate-section-id']);
  });

  it('expands a one-level glob and an absolute glob', () => {
    assert.deepStrictEqual(
      json(['lint', 'clean/*.md']).report.files.map((f) => f.path),
      [path.join('clean', 'handbook.md')],
    );
    const absolute = json(['lint', path.join(BROKEN, '*.md').split(path.sep).join('/')]);
    assert.deepStrictEqual(
      absolute.report.files.map((f) => f.path),
      [path.join('broken', 'expenses.md'), path.join('broken', 'policy.md')],
    );
  });

  it('exits 2 when a glob matches nothing', () => {
    const run = clarifier(['lint', 'clean/*.markdown']);
    assert.strictEqual(run.status, 2);
    assert.match(run.stderr, /no file matches clean\/\*\.markdown/);
  });
});

describe('clarifier CLI: npx and the language server', () => {
  it('`npx clarifier` in the project root runs the local bin', () => {
    const run = spawnSync(
      process.platform === 'win32' ? 'npx.cmd' : 'npx',
      ['--no-install', 'clarifier', '--version'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    assert.strictEqual(run.status, 0, run.stderr);
    assert.strictEqual(
      run.stdout.trim(),
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version,
      "the version is package.json's",
    );
  });

  it('`clarifier lsp --stdio` answers initialize', async () => {
    const { spawn } = await import('child_process');
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-jsonrpc/node');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'clarifier.js'), 'lsp', '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    connection.listen();
    try {
      const result = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      })) as { serverInfo?: { name: string } };
      assert.strictEqual(result.serverInfo?.name, 'clarifier');
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
