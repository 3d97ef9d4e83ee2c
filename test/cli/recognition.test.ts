// What `clarifier lint <folder>` says about the Markdown files it does not check.
import * as assert from 'assert';
import * as path from 'path';
import { REPO_ROOT } from '../support/corpus';
import { clarifier, type JsonReport } from './support';

const RECOGNITION = path.join(REPO_ROOT, 'test', 'support', 'fixtures', 'recognition');

describe('clarifier lint on folders: which files are specs', () => {
  it('says plainly that a folder of ordinary repository files holds no spec, and exits 0', () => {
    const run = clarifier(['lint', 'ordinary-repo'], RECOGNITION);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /No spec found in ordinary-repo: \d+ Markdown file\(s\) read, none is a spec/);
    assert.match(run.stdout, /--all/);
  });

  it('checks the agent files of a folder, in dot-folders and without .md, and counts the files it skipped in one line', () => {
    const run = clarifier(['lint', 'agent-repo', '--format', 'json'], RECOGNITION);
    assert.notStrictEqual(run.status, 2, run.stderr);
    const checked = (JSON.parse(run.stdout) as JsonReport).files.map((file) => file.path).sort();
    assert.deepStrictEqual(
      checked,
      [
        'agent-repo/.cursor/rules/style.mdc',
        'agent-repo/.cursorrules',
        'agent-repo/.github/copilot-instructions.md',
        'agent-repo/.github/instructions/tests.instructions.md',
        'agent-repo/.kiro/specs/login/requirements.md',
        'agent-repo/.specify/memory/constitution.md',
        'agent-repo/.windsurfrules',
        'agent-repo/AGENTS.md',
        'agent-repo/CLAUDE.md',
        'agent-repo/packages/api/AGENTS.md',
        'agent-repo/specs/001-export/spec.md',
      ],
      'bower_components is never entered',
    );
  });

  it('names the skipped files with --verbose and lints every Markdown file with --all', () => {
    const plain = clarifier(['lint', '.', '--verbose'], path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'plain-repo'));
    assert.match(plain.stdout, /1 spec file\(s\) checked/, 'docs/requirements.md is a spec by its content');
    assert.match(plain.stdout, /2 Markdown file\(s\) skipped as not specs:/);
    assert.match(plain.stdout, /^ {2}README\.md: Not a spec: /m);
    assert.match(plain.stdout, /^ {2}docs\/notes\.md: Not a spec: /m);
    const quiet = clarifier(['lint', '.'], path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'plain-repo'));
    assert.match(quiet.stdout, /2 Markdown file\(s\) skipped as not specs \(--verbose names them, --all lints them\)/);
    const all = clarifier(
      ['lint', '.', '--all', '--format', 'json'],
      path.join(REPO_ROOT, 'test', 'lsp', 'fixtures', 'plain-repo'),
    );
    const files = (JSON.parse(all.stdout) as JsonReport).files.map((file) => file.path).sort();
    assert.deepStrictEqual(files, ['README.md', 'docs/notes.md', 'docs/requirements.md']);
  });
});
