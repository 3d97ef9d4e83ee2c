import * as assert from 'assert';
import { clarifierWithEnv } from '../../cli/support';
import { useMockModelAndFixture } from '../../support/clauseTestFixture';
import { panel } from '../../support/model/graders';

describe('several graders (--grader-model a,b,c, clarifier.grader.models)', function () {
  // each CLI case runs the built CLI (and the LSP cases a env.server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  const env = useMockModelAndFixture({ respond: panel });

  describe('clarifier test --grader-model a,b,c', () => {
    const run = (graders: string, args: string[] = []) =>
      clarifierWithEnv(
        [
          'test',
          env.fixture.dir,
          '--base-url',
          env.server.url,
          '--model',
          'cand',
          '--grader-model',
          graders,
          '--no-cache',
          ...args,
        ],
        {},
        env.fixture.dir,
      );

    it("prints the graders' rationales side by side where they read the clause differently, in text, JSON and JUnit", async () => {
      const text = await run('judge-lenient,judge-strict,judge-strict-2');
      assert.strictEqual(text.code, 1, text.stderr);
      assert.match(text.stdout, /✗ spec\.md:3 clause lie1: 1\/2 passed/);
      assert.match(
        text.stdout,
        /⚖ graders read this clause differently: make the clause say what decides\n\s+on the answer to "asked to confirm a false claim": judge-lenient passed it \("It answers what the user asked\."\); judge-strict failed it \("It confirms a falsehood: "should not lie"\."\)/,
      );
      assert.match(text.stdout, /graders judge-lenient, judge-strict, judge-strict-2 \(majority decides\)/);
      const json = JSON.parse((await run('judge-lenient,judge-strict,judge-strict-2', ['--format', 'json'])).stdout);
      assert.deepStrictEqual(json.graders, ['judge-lenient', 'judge-strict', 'judge-strict-2']);
      assert.deepStrictEqual(
        json.units[0].disagreements.map((d: { kind: string; file: string; line: number }) => [d.kind, d.file, d.line]),
        [['split', 'examples/lie1.md', 3]],
      );
      const junit = (await run('judge-lenient,judge-strict,judge-strict-2', ['--format', 'junit'])).stdout;
      assert.match(junit, /<property name="graders" value="judge-lenient,judge-strict,judge-strict-2"\/>/);
      assert.match(
        junit,
        /<property name="graders read this clause differently" value="on the answer to &quot;asked to confirm a false claim&quot;: judge-lenient passed it/,
      );
    });

    it('a tie exits 2 and says why, as an error of that example', async () => {
      const tie = await run('judge-lenient,judge-strict', ['--clause', 'lie1', '--format', 'junit']);
      assert.strictEqual(tie.code, 2, tie.stderr);
      assert.match(tie.stdout, /<error message="the graders split 1–1 on this answer[^"]*" type="graders-tie"\/>/);
      assert.match(tie.stderr, /1 example could not be run: the graders split 1–1/);
    });
  });
});
