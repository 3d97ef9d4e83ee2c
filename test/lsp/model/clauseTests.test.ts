import * as assert from 'assert';
import { appendFileSync, readFileSync } from 'fs';
import * as path from 'path';
import type { CodeLens } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import {
  ClauseTestPlanRequest,
  ClauseTestResultsNotification,
  StatusRequest,
  WorkspaceClauseTestsRequest,
} from '../../../server/src/protocol';
import type { UnitResult } from '../../../server/src/engine/clauseTests/types';
import { startServer, type LspClient } from '../../lsp/harness';
import { writeFixture } from '../../support/clauseTestFixture';

describe('clause tests over LSP (the real server process)', function () {
  let server: LspClient;
  let connection: LspClient['connection'];
  let fixture: ReturnType<typeof writeFixture>;
  let refreshes = 0;

  before(async () => {
    fixture = writeFixture();
    // an example that cannot run (no transcript): counted nowhere, so that every count agrees
    appendFileSync(path.join(fixture.dir, 'examples', 'unsure.md'), '\n**Example**: a title without a transcript\n');
    server = await startServer(fixture.dir, { workspace: { codeLens: { refreshSupport: true } } }, null, {
      server: 'source',
      handle: (client) => {
        client.onRequest('workspace/codeLens/refresh', () => {
          refreshes++;
          return null;
        });
        client.onRequest('workspace/configuration', () => [null]);
      },
    });
    connection = server.connection;
    assert.ok(server.initializeResult.capabilities.codeLensProvider, 'the server declares code lenses');
  });

  after(async () => {
    await server.stop();
    fixture.cleanup();
  });

  it('lists every spec of the workspace with examples for the Test Explorer, before any file is opened', async () => {
    const { files } = await connection.sendRequest(WorkspaceClauseTestsRequest, {});
    // the spec (2 clauses with example files, 1 section with an inline example); example files are not specs of their own
    assert.deepStrictEqual(files, [{ uri: URI.file(fixture.specPath).toString(), units: 3, examples: 4 }]);
  });

  it('shows run lenses, plans a run, and shows the result lens after the client reports it', async () => {
    const uri = URI.file(fixture.specPath).toString();
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text: readFileSync(fixture.specPath, 'utf8') },
    });
    const lenses = await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepStrictEqual(
      lenses.filter((l) => /^▶ Run \d/.test(l.command!.title)).map((l) => l.command!.title),
      ['▶ Run 2 examples', '▶ Run 1 example', '▶ Run 1 example'],
    );

    const plan = await connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['lie1'] });
    assert.deepStrictEqual(
      plan.units.map((u) => [u.id, u.examples.length]),
      [['lie1', 2]],
    );

    const unit = plan.units[0];
    const result: UnitResult = {
      unitId: unit.id,
      kind: unit.kind,
      uri: unit.uri,
      range: unit.range,
      title: unit.clauseText,
      unitHash: unit.hash,
      model: 'mock-model',
      grader: 'judge',
      finishedAt: Date.now(),
      examples: unit.examples.map((e, i) => ({
        unitId: unit.id,
        exampleKey: e.key,
        title: e.title,
        uri: e.uri,
        range: e.range,
        status: i === 0 ? 'failed' : 'passed',
        cached: false,
        promptTokens: 1,
        completionTokens: 1,
        durationMs: 1,
      })),
    };
    await connection.sendNotification(ClauseTestResultsNotification, { results: [result] });
    for (let i = 0; i < 100 && !refreshes; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.strictEqual(refreshes, 1, 'the server asks the editor to redraw the lenses');
    const after = await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const resultLens = after.find((l) => l.command!.title.startsWith('✗'));
    assert.ok(resultLens, after.map((l) => l.command!.title).join('\n'));
    assert.strictEqual(resultLens.command!.title, '✗ 1/2 failed · just now');
    assert.match(
      (resultLens.data as { tooltip: string }).tooltip,
      /Model under test: mock-model; grader: judge\./,
      'the detail is in the tooltip',
    );
    const summary = after.find((l) => l.command!.title.startsWith('Clause tests:'));
    assert.strictEqual(summary?.command!.title, 'Clause tests: 1/2 passed · 1 failed · just now');
    assert.strictEqual(summary.range.start.line, 0);
    assert.strictEqual(resultLens.command!.command, 'clarifier.showClauseTestReport');
    assert.strictEqual(resultLens.range.start.line, 2);
  });

  it('the plan carries the spec without its examples, and the result lens says which context the model saw', async () => {
    const uri = URI.file(fixture.specPath).toString();
    const plan = await connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['tone'] });
    assert.match(plan.specText ?? '', /^# Be honest \{#honesty authority=user\}/);
    assert.match(plan.specText ?? '', /should be warm when the user is upset/);
    assert.ok(!/Example|I failed my exam|\[\^lie1\]/.test(plan.specText ?? ''), plan.specText);
    const unit = plan.units[0];
    const result: UnitResult = {
      unitId: unit.id,
      kind: unit.kind,
      uri: unit.uri,
      range: unit.range,
      title: unit.sectionTitle,
      unitHash: unit.hash,
      model: 'mock-model',
      grader: 'judge',
      finishedAt: Date.now(),
      context: 'spec',
      repeat: 1,
      threshold: 1,
      examples: unit.examples.map((e) => ({
        unitId: unit.id,
        exampleKey: e.key,
        title: e.title,
        uri: e.uri,
        range: e.range,
        status: 'passed',
        cached: false,
        promptTokens: 1,
        completionTokens: 1,
        durationMs: 1,
      })),
    };
    await connection.sendNotification(ClauseTestResultsNotification, { results: [result] });
    let titles: string[] = [];
    for (let i = 0; i < 100 && !titles.some((t) => /context spec/.test(t)); i++) {
      titles = (await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map(
        (l) => l.command!.title,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(titles.includes('✓ 1/1 passed · context spec · just now'), titles.join('\n'));
  });

  it('an example that errored shows as an error in the result lens, not as a failure', async () => {
    const uri = URI.file(fixture.specPath).toString();
    const plan = await connection.sendRequest(ClauseTestPlanRequest, { uri, unitIds: ['unsure'] });
    const unit = plan.units[0];
    const result: UnitResult = {
      unitId: unit.id,
      kind: unit.kind,
      uri: unit.uri,
      range: unit.range,
      title: unit.clauseText,
      unitHash: unit.hash,
      model: 'mock-model',
      grader: 'judge',
      finishedAt: Date.now(),
      examples: unit.examples.map((e) => ({
        unitId: unit.id,
        exampleKey: e.key,
        title: e.title,
        uri: e.uri,
        range: e.range,
        status: e.skip ? 'skipped' : 'error',
        errorKind: 'truncated',
        message: 'stopped at the token limit: raise the token limit',
        cached: false,
        promptTokens: 0,
        completionTokens: 0,
        durationMs: 1,
      })),
    };
    await connection.sendNotification(ClauseTestResultsNotification, { results: [result] });
    let titles: string[] = [];
    for (let i = 0; i < 100 && !titles.some((t) => t.startsWith('⚠')); i++) {
      titles = (await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map(
        (l) => l.command!.title,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(titles.includes('⚠ 1/1 not graded · just now'), titles.join('\n'));
    assert.ok(!titles.some((t) => /✗ 1\/1 failed/.test(t)));
  });

  it('the status count of examples is the number a run runs, as the "Run all N examples" lens says', async () => {
    const uri = URI.file(fixture.specPath).toString();
    const lenses = await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const all = Number(
      /^▶ Run all (\d+) examples/.exec(
        lenses.map((l) => l.command!.title).find((t) => t.startsWith('▶ Run all')) ?? '',
      )?.[1],
    );
    const status = await connection.sendRequest(StatusRequest, { uri });
    const plan = await connection.sendRequest(ClauseTestPlanRequest, { uri });
    const planned = plan.units.reduce((n, u) => n + u.examples.length, 0);
    assert.strictEqual(
      all,
      planned - 1,
      'the example without a transcript is planned (and shown skipped) but not counted',
    );
    assert.strictEqual(status.examples, all);
  });
});
