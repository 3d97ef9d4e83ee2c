// Recognition on real specs nobody tuned on: every document of ../shared/corpus/real-specs is a spec
// with zero configuration when its repository folder is linted, none breaks the run, and no link to
// a heading that resolves on GitHub is reported dangling. The documents are read in place, never copied.
import * as assert from 'assert';
import { existsSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { REAL_SPECS_DIR, skipWithoutCorpus } from '../support/corpus';
import { clarifier, type JsonReport } from './support';

const REAL_SPECS = REAL_SPECS_DIR;

/** The Jinja system-prompt template is a template, not Markdown: the issue leaves it out. */
const LEFT_OUT = new Set([
  'ai-policies/All-Hands-AI__OpenHands/openhands/agenthub/codeact_agent/prompts/system_prompt.j2',
]);

/**
 * In-document links that do not resolve on GitHub either (checked against GitHub's slug rules):
 * reporting them is right. Anything else reported as a missing section is a bug of ours.
 */
const BROKEN_ON_GITHUB = new Set([
  'product-specs/nasa__fprime/Svc/ComQueue/docs/sdd.md#4.2.1-State-Machine', // the heading's anchor is 421-state-machine
  'standards-specs/containernetworking__cni/SPEC.md#Success', // only "ADD Success" and "VERSION Success" headings
  'standards-specs/containernetworking__cni/SPEC.md#result', // no heading or anchor "result"
]);

function filesOf(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix)).flatMap((name) => {
    const relative = path.posix.join(prefix, name);
    return statSync(path.join(folder, relative)).isDirectory() ? filesOf(folder, relative) : [relative];
  });
}

describe('real specs of four kinds are recognized with zero configuration (../shared/corpus/real-specs)', function () {
  if (!existsSync(REAL_SPECS)) {
    it('lints each repository folder of the corpus', function () {
      skipWithoutCorpus(this, REAL_SPECS);
    });
    return;
  }
  const repositories = readdirSync(REAL_SPECS)
    .filter((kind) => statSync(path.join(REAL_SPECS, kind)).isDirectory())
    .flatMap((kind) => readdirSync(path.join(REAL_SPECS, kind)).map((repo) => `${kind}/${repo}`));
  const documents = repositories.flatMap((repo) =>
    filesOf(path.join(REAL_SPECS, repo))
      .filter((file) => file !== 'SOURCE.md')
      .map((file) => `${repo}/${file}`),
  );

  it('holds the 43 documents of four kinds the corpus README lists', function () {
    assert.strictEqual(documents.length, 43, documents.join('\n'));
    assert.deepStrictEqual([...new Set(repositories.map((repo) => repo.split('/')[0]))].sort(), [
      'agent-instructions',
      'ai-policies',
      'product-specs',
      'standards-specs',
    ]);
  });

  for (const repo of repositories) {
    it(`lints ${repo} and checks each of its documents`, function () {
      const run = clarifier(['lint', repo, '--format', 'json'], REAL_SPECS);
      assert.notStrictEqual(run.status, 2, `the run must not break: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error|rule failed|Maximum call stack|URI malformed/i);
      const report = JSON.parse(run.stdout) as JsonReport;
      const checked = new Set(report.files.map((file) => file.path));
      for (const document of documents.filter((doc) => doc.startsWith(repo + '/'))) {
        if (LEFT_OUT.has(document)) continue;
        assert.ok(
          checked.has(document),
          `${document} is recognized as a spec (checked: ${[...checked].join(', ') || 'none'})`,
        );
      }
      for (const file of report.files) {
        for (const diagnostic of file.diagnostics) {
          const missing = /^No section has the id "([^"]+)"|has no section with the id "([^"]+)"/.exec(
            diagnostic.message,
          );
          if (!missing || diagnostic.message.includes('linked file')) continue;
          const id = missing[1] ?? missing[2];
          assert.ok(
            BROKEN_ON_GITHUB.has(`${file.path}#${id}`),
            `${file.path}:${diagnostic.range.start.line + 1} reports #${id} dangling, but it resolves on GitHub: ${diagnostic.message}`,
          );
        }
      }
    });
  }
});
