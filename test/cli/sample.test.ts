import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/corpus';
import { clarifier, type JsonReport } from './support';

/** The README's main command is `npm run lint:sample`: the script's arguments, as package.json has them. */
function sampleLintArgs(): string[] {
  const script: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts['lint:sample'];
  const match = /^node bin\/clarifier\.js (.+)$/.exec(script);
  assert.ok(match, `lint:sample should run the repo's CLI, not: ${script}`);
  return match[1].split(/\s+/);
}

describe('the README main command lints the repo sample spec', () => {
  it('names a folder inside the repository, so a fresh clone needs nothing beside it', () => {
    const target = path.resolve(REPO_ROOT, sampleLintArgs().at(-1)!);
    assert.ok(!path.relative(REPO_ROOT, target).startsWith('..'), `${target} is outside the repository`);
  });

  it('exits 0 and reports each problem planted in the sample, on its line', () => {
    const run = clarifier([...sampleLintArgs(), '--format', 'json'], REPO_ROOT);
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const policy = report.files.find((file) => file.path.endsWith('support_policy.md'));
    assert.ok(policy, `support_policy.md was not checked as a spec: ${run.stdout}`);
    const text = readFileSync(path.join(REPO_ROOT, policy.path), 'utf8').split('\n');
    const found = policy.diagnostics.map((d) => `${d.code} @ ${text[d.range.start.line]}`);
    const planted: [string, string][] = [
      ['and-or', 'original card and/or store credit'],
      ['escape-clause', 'escalate when appropriate'],
      ['marker-without-example', 'full card number[^pm02]'],
      // the conflict the walkthrough shows: two deadlines for one duty, each finding pointing at the other
      ['conflict-numeric', 'refund the order within 14 days'],
      ['conflict-numeric', 'refund the order within 30 days'],
    ];
    for (const [rule, line] of planted) {
      assert.ok(
        found.some((f) => f.startsWith(`${rule} @`) && f.includes(line)),
        `expected ${rule} on the line with "${line}"; found:\n  ${found.join('\n  ')}`,
      );
    }
  });
});
