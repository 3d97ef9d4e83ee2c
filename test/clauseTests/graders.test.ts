import * as assert from 'assert';
import { readFileSync } from 'fs';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import {
  calibrateClauses,
  collectAllUnits,
  graderDisagreements,
  runClauseTests,
  type RunOptions,
  type UnitResult,
} from '../../server/src/engine/clauseTests';
import { ModelClient } from '../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../server/src/engine/llm/settings';
import {
  ClauseTestPlanRequest,
  ClauseTestResultsNotification,
  ModelAccessNotification,
} from '../../server/src/protocol';
import { clarifierWithEnv } from '../cli/support';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../support/mockOpenAI';
import { startServer } from '../lsp/harness';
import { loadWorkspace, SPEC, writeFixture } from './fixture';

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
  const options = (graderModel: string, extra: Partial<RunOptions> = {}): RunOptions => {
    const settings = resolveModelSettings({ baseUrl: server.url, model: 'cand', graderModel, retries: 0 });
    return { client: new ModelClient({ concurrency: 1 }), settings, ...extra };
  };
  const lie1 = (results: UnitResult[]) => results.find((r) => r.unitId === 'lie1')!;

  before(async () => {
    server = await new MockOpenAI({ respond: panel }).start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    fixture = writeFixture();
  });
  afterEach(() => fixture.cleanup());

  it('grades each answer with each grader; the majority decides; their split is recorded with both rationales', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const results = await runClauseTests(
      collectAllUnits(workspace),
      options('judge-lenient, judge-strict ,judge-strict-2'),
    );
    assert.deepStrictEqual(server.graderModels().sort(), ['judge-lenient', 'judge-strict', 'judge-strict-2']);
    assert.strictEqual(server.graderRequests().length, 4 * 3);
    assert.strictEqual(server.candidateRequests().length, 4, 'the model answers once; only the grading is repeated');
    const unit = lie1(results);
    assert.deepStrictEqual(unit.graders, ['judge-lenient', 'judge-strict', 'judge-strict-2']);
    const moon = unit.examples[0];
    assert.strictEqual(moon.status, 'failed', 'two of three failed it');
    assert.match(moon.verdict!.rationale, /should not lie/, 'the verdict shown is one of the majority');
    assert.deepStrictEqual(
      moon.samples![0].verdicts.map((v) => [v.grader, v.verdict!.pass]),
      [
        ['judge-lenient', true],
        ['judge-strict', false],
        ['judge-strict-2', false],
      ],
    );
    const [split] = graderDisagreements(unit);
    assert.strictEqual(split.kind, 'split');
    assert.strictEqual(split.answer, 'Yes, cheese.');
    assert.deepStrictEqual(
      split.readings.map((r) => r.rationale),
      [
        'It answers what the user asked.',
        'It confirms a falsehood: "should not lie".',
        'It confirms a falsehood: "should not lie".',
      ],
    );
    assert.deepStrictEqual(
      graderDisagreements(results.find((r) => r.unitId === 'unsure')!),
      [],
      'graders that agree are no evidence',
    );
  });

  it('a tie is an error, never a pass', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const moon = lie1(await runClauseTests(collectAllUnits(workspace), options('judge-lenient,judge-strict')))
      .examples[0];
    assert.strictEqual(moon.status, 'error');
    assert.strictEqual(moon.errorKind, 'graders-tie');
    assert.match(
      moon.message!,
      /the graders split 1–1 on this answer \(judge-lenient passed it, judge-strict failed it\): a tie is no verdict/,
    );
  });

  it('calibration asks every grader about every labelled reference: one that passes a BAD reference is a disagreement', async () => {
    const workspace = await loadWorkspace(fixture.dir);
    const unit = lie1(
      await calibrateClauses(collectAllUnits(workspace), options('judge-lenient,judge-strict,judge-strict-2')),
    );
    assert.strictEqual(unit.calibration!.length, 2 * 3);
    const found = graderDisagreements(unit);
    assert.deepStrictEqual(
      found.map((d) => [d.kind, d.label, d.readings.filter((r) => r.pass).map((r) => r.grader)]),
      [['calibration', 'BAD', ['judge-lenient']]],
    );
  });

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

  it('over LSP: a graders-disagree warning on the clause, with the rationales and the Clarify action, gone once the clause is edited', async () => {
    const diagnostics = async (uri: string) =>
      (
        await lsp.connection.sendRequest<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })
      ).items.filter((d) => d.code === 'graders-disagree');
    const lsp = await startServer(
      fixture.dir,
      { textDocument: { diagnostic: {} }, workspace: { configuration: true } },
      null,
      {
        server: 'source',
        handle: (client) => {
          client.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
          client.onRequest('workspace/diagnostic/refresh', () => null);
        },
      },
    );
    try {
      const uri = URI.file(fixture.specPath).toString();
      await lsp.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'markdown', version: 1, text: readFileSync(fixture.specPath, 'utf8') },
      });
      await lsp.connection.sendNotification(ModelAccessNotification, { trusted: true, hasKey: true });
      assert.deepStrictEqual(await diagnostics(uri), [], 'no run, no finding');
      const plan = await lsp.connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['lie1'] });
      const results = await runClauseTests(plan.units, options('judge-lenient,judge-strict,judge-strict-2'));
      await lsp.connection.sendNotification(ClauseTestResultsNotification, { results });
      let found: Diagnostic[] = [];
      for (let i = 0; i < 100 && !found.length; i++) {
        found = await diagnostics(uri);
        if (!found.length) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.strictEqual(found.length, 1);
      const [warning] = found;
      assert.strictEqual(warning.severity, 2);
      assert.deepStrictEqual(
        [warning.range.start.line, warning.range.start.character],
        [2, 0],
        'on the clause "should not lie"',
      );
      assert.match(
        warning.message,
        /^The graders read this clause differently \(clause lie1\): on the answer to "asked to confirm a false claim": judge-lenient passed it \("It answers what the user asked\."\); judge-strict failed it \("It confirms a falsehood/,
      );
      assert.strictEqual(
        warning.relatedInformation?.[0].location.uri,
        URI.file(`${fixture.dir}/examples/lie1.md`).toString(),
      );

      const actions = await lsp.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: warning.range,
        context: { diagnostics: [warning], triggerKind: 2 },
      });
      assert.ok(
        actions.some((a) => a.title === 'Clarify this clause'),
        actions.map((a) => a.title).join('\n'),
      );

      const edited = SPEC.replace('should not lie to the user', 'should not state anything it believes false');
      await lsp.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: edited }],
      });
      assert.deepStrictEqual(await diagnostics(uri), [], 'the verdicts were about the old wording');
    } finally {
      await lsp.stop();
    }
  });
});
