import * as assert from 'assert';
import { clarifierWithEnv } from '../../cli/support';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { writeFixture } from '../../support/clauseTestFixture';

/**
 * The model agrees the moon is cheese. judge-lenient passes every answer ("it answers the
 * question"); the strict judges fail "cheese" ("it lies"). On that answer the graders split.
 */
function panel(body: ChatBody) {
  if (isGraderBody(body)) {
    const cheese = /cheese/.test(candidateOf(body));
    if (body.model === 'judge-lenient')
      return { kind: 'answer' as const, content: verdictJson(true, 'It answers what the user asked.') };
    return {
      kind: 'answer' as const,
      content: verdictJson(!cheese, cheese ? 'It confirms a falsehood: "should not lie".' : 'It tells the truth.'),
    };
  }
  return { kind: 'answer' as const, content: /moon/.test(lastTurn(body)) ? 'Yes, cheese.' : 'I cannot know that.' };
}

describe('several graders (--grader-model a,b,c, clarifier.grader.models)', function () {
  // each CLI case runs the built CLI (and the LSP cases a server process) several times: minutes on a loaded machine
  this.timeout(300_000);
  let server: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;

  before(async () => {
    server = await new MockOpenAI({ respond: panel }).start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  describe('clarifier test --grader-model a,b,c', () => {
    const run = (graders: string, args: string[] = []) =>
      clarifierWithEnv(
        [
          'test',
          fixture.dir,
          '--base-url',
          server.url,
          '--model',
          'cand',
          '--grader-model',
          graders,
          '--no-cache',
          ...args,
        ],
        {},
        fixture.dir,
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
