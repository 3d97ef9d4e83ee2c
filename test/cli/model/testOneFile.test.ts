// `clarifier test FILE` reads what `clarifier lint FILE` reads: that file, the files it links to and its
// examples/ folder, never the rest of its folder. A sibling spec it does not mention must not add
// examples to its run, and a huge, unreadable or garbage sibling must not cost time or change the result.
// `clarifier test FOLDER` still runs every spec of the folder.
import * as assert from 'assert';
import { chmodSync, mkdirSync, truncateSync, writeFileSync } from 'fs';
import * as path from 'path';
import { clarifierWithEnv } from '../../cli/support';
import { useMockModelAndFixture } from '../../support/clauseTestFixture';
import { seededRandom } from '../../support/seededRandom';

/** A sibling spec with a marker clause (its example file in the shared examples/) and an inline example. */
const SIBLING = `# Refunds {#refunds}

The assistant must refund a damaged item within 30 days[^refund-window].

## Refund tone {#refund-tone}

The assistant should apologise once.

**Example**: a broken lamp

~~~xml
<user>
My lamp arrived broken.
</user>
~~~
`;

const SIBLING_EXAMPLES = `Examples for [^refund-window] in Refunds:

**Example**: a late refund request

~~~xml
<user>
Can I still return the mug I bought 40 days ago?
</user>
~~~
`;

/** A draft copy of the spec in a subfolder: its own examples for the same marker id are not the spec's. */
const DRAFT_EXAMPLES = `Examples for [^lie1] in Be honest:

**Example**: a draft-only case

~~~xml
<user>
Tell me the draft is final.
</user>
~~~
`;

/** One past the longest string Node can hold (0x1fffffe8 characters): no run can read this file. */
const UNREADABLE_BYTES = 0x1fffffe8 + 1;

interface JsonRun {
  units: { unitId: string; file: string; examples: { title: string; file: string; status: string }[] }[];
}

/** What a user compares between two runs: which clauses ran which examples, and how each ended. */
const ran = (stdout: string) =>
  (JSON.parse(stdout) as JsonRun).units.map((unit) => ({
    unit: `${unit.file} ${unit.unitId}`,
    examples: unit.examples.map((e) => `${e.file} "${e.title}" ${e.status}`),
  }));

describe('clarifier test FILE reads what it links to, not its folder', function () {
  // each case runs the built CLI against the local mock model
  this.timeout(300_000);
  const state = useMockModelAndFixture();
  const run = (target: string) =>
    clarifierWithEnv(
      ['test', target, '--base-url', state.server.url, '--no-cache', '--format', 'json'],
      {},
      state.fixture.dir,
    );
  const write = (relative: string, text: string) => {
    const file = path.join(state.fixture.dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  beforeEach(() => {
    write('refunds.md', SIBLING);
    write('examples/refund-window.md', SIBLING_EXAMPLES);
    write('drafts/spec.md', '# Be honest {#honesty}\n\nThe assistant should not lie[^lie1].\n');
    write('drafts/examples/lie1.md', DRAFT_EXAMPLES);
  });

  it("runs the file's own examples, from examples/ and inline, and none of an unmentioned spec's", async () => {
    const result = await run('spec.md');
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(ran(result.stdout), [
      {
        unit: 'spec.md lie1',
        examples: [
          'examples/lie1.md "asked to confirm a false claim" passed',
          'examples/lie1.md "a tool result to report" passed',
        ],
      },
      { unit: 'spec.md unsure', examples: ['examples/unsure.md "an unknowable question" passed'] },
      { unit: 'spec.md tone', examples: ['spec.md "a sad user" passed'] },
    ]);
    assert.doesNotMatch(result.stdout, /refund-window|refund-tone|draft/);
    const asked = state.server.candidateMessages().map((messages) => messages[messages.length - 1].content);
    assert.ok(!asked.some((turn) => /lamp|mug|draft/.test(turn)), `the model was asked: ${asked.join(' | ')}`);
  });

  it('gives the same result beside a huge, an unreadable and a garbage sibling, and names none of them', async () => {
    const before = await run('spec.md');
    assert.strictEqual(before.code, 0, before.stderr);
    // sparse: costs no disk, yet reading it fails (too long for a string) after reading half a gigabyte
    writeFileSync(path.join(state.fixture.dir, 'dump.md'), '');
    truncateSync(path.join(state.fixture.dir, 'dump.md'), UNREADABLE_BYTES);
    write('locked.md', SIBLING);
    chmodSync(path.join(state.fixture.dir, 'locked.md'), 0o000); // unreadable unless the tests run as root
    const random = seededRandom(9);
    writeFileSync(
      path.join(state.fixture.dir, 'garbage.md'),
      Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256))),
    );
    const after = await run('spec.md');
    assert.strictEqual(after.code, 0, after.stderr);
    assert.deepStrictEqual(ran(after.stdout), ran(before.stdout));
    assert.doesNotMatch(after.stderr, /dump|locked|garbage|cannot read/, after.stderr);
  });

  it('still runs every spec of a folder that is named', async () => {
    write('drafts/examples/lie1.md', ''); // a folder run reads drafts/ too: keep the draft out of this case
    const result = await run('.');
    assert.strictEqual(result.code, 0, result.stderr);
    const units = ran(result.stdout).map((u) => u.unit);
    for (const unit of ['spec.md lie1', 'spec.md unsure', 'spec.md tone', 'refunds.md refund-window'])
      assert.ok(units.includes(unit), `${unit} ran: ${units.join(', ')}`);
    assert.ok(units.includes('refunds.md refund-tone'), units.join(', '));
    assert.match(result.stdout, /a late refund request/);
  });
});
