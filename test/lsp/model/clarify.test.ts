import * as assert from 'assert';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import {
  ClarifyClauseCommand,
  ClarifyTargetRequest,
  ModelAccessNotification,
  ServerClarifyCommand,
  type ClarifyClauseArgs,
  type ModelAccessParams,
  type ServerClarifyResult,
} from '../../../server/src/protocol';
import { MockOpenAI } from '../../support/mockOpenAI';
import { startServer, type LspClient } from '../../lsp/harness';
import { SPEC, writeFixture } from '../../support/clauseTestFixture';
import { WELL_FORMED } from '../../support/model/clarify';

/** The real server process with a spec open, for the VS Code client (which calls the model itself) or another editor. */
function lspFixture(
  initializationOptions: Record<string, unknown> | undefined,
  handle: (connection: LspClient['connection']) => void = () => {},
) {
  const state = {
    modelSettings: null as { baseUrl?: string; name?: string } | null,
    server: undefined as unknown as LspClient,
    fixture: undefined as unknown as ReturnType<typeof writeFixture>,
    uri: '',
  };
  before(async () => {
    state.fixture = writeFixture();
    state.server = await startServer(state.fixture.dir, { workspace: { configuration: true, applyEdit: true } }, null, {
      server: 'source',
      initializationOptions,
      handle: (client) => {
        client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
          params.items.map((item) => (item.section === 'clarifier.model' ? state.modelSettings : null)),
        );
        handle(client);
      },
    });
    state.uri = URI.file(state.fixture.specPath).toString();
    await state.server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: state.uri, languageId: 'markdown', version: 1, text: SPEC },
    });
  });
  after(async () => {
    await state.server.stop();
    state.fixture.cleanup();
  });
  return state;
}

const positionOf = (needle: string, delta = 0) => {
  const at = SPEC.indexOf(needle) + delta;
  const before = SPEC.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
};

/** Asked for by the author (Ctrl+.) unless `automatic`: what the editor sends while the cursor moves. */
async function clarifyActions(
  connection: LspClient['connection'],
  uri: string,
  needle: string,
  only?: string[],
  automatic = false,
  diagnostics: Diagnostic[] = [],
) {
  const position = positionOf(needle);
  const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: position, end: position },
    context: { diagnostics, only, triggerKind: automatic ? 2 : 1 },
  });
  return actions.filter((a) => a.title.startsWith('Clarify this clause'));
}

describe('clarify this clause over LSP with the VS Code client (the real server process)', function () {
  const state = lspFixture({ modelTiersInClient: true });
  const actions = (needle: string, only?: string[], automatic = false, diagnostics: Diagnostic[] = []) =>
    clarifyActions(state.server.connection, state.uri, needle, only, automatic, diagnostics);
  const access = (params: ModelAccessParams) =>
    state.server.connection.sendNotification(ModelAccessNotification, params);

  it('offers the action on a clause in a trusted workspace, before a model is set up with a first step that sets one up', async () => {
    state.modelSettings = { baseUrl: 'http://127.0.0.1:9/v1' };
    assert.deepStrictEqual(await actions('not lie'), [], 'nothing before the client says the workspace is trusted');

    await access({ trusted: true, hasKey: false });
    const [action] = await actions('not lie');
    assert.strictEqual(action?.title, 'Clarify this clause', 'a local endpoint needs no key');
    assert.strictEqual(action.kind, 'refactor.rewrite');
    assert.strictEqual(action.command?.command, ClarifyClauseCommand.id);
    const args = action.command!.arguments![0] as ClarifyClauseArgs;
    assert.deepStrictEqual(args, { uri: state.uri, position: { line: 2, character: 0 } });
    assert.deepStrictEqual(await actions('Be honest'), [], 'not on a heading');
    assert.deepStrictEqual(await actions('not lie', ['quickfix']), [], 'not when the editor asks only for quick fixes');

    assert.deepStrictEqual(
      await actions('not lie', undefined, true),
      [],
      'no light bulb on every clause while the cursor moves',
    );
    const finding: Diagnostic = {
      range: { start: positionOf('should not'), end: positionOf('should not', 10) },
      message: 'weak modal',
      source: 'clarifier',
      severity: 3,
    };
    assert.strictEqual(
      (await actions('not lie', undefined, true, [finding])).length,
      1,
      'but offered on its own where a finding marks the clause',
    );

    const target = await state.server.connection.sendRequest(ClarifyTargetRequest, args);
    assert.strictEqual(target?.text, 'The assistant should not lie to the user[^lie1].');
    assert.deepStrictEqual(target?.markerIds, ['lie1']);

    state.modelSettings = null; // the default endpoint, api.openai.com, needs a key
    await access({ trusted: true, hasKey: false });
    const [setUp] = await actions('not lie');
    assert.strictEqual(
      setUp?.title,
      'Clarify this clause (set up a model first)',
      'offered before a model is configured, saying the first step',
    );
    assert.strictEqual(setUp.command?.command, ClarifyClauseCommand.id);
    await access({ trusted: true, hasKey: true });
    assert.deepStrictEqual(
      (await actions('not lie')).map((a) => a.title),
      ['Clarify this clause'],
      'a remote endpoint with a key',
    );
    await access({ trusted: false, hasKey: true });
    assert.deepStrictEqual(await actions('not lie'), [], 'never in an untrusted workspace');
  });
});

describe('clarify this clause over LSP for other editors: the server calls the model (the real server process)', function () {
  let mock: MockOpenAI;
  const asked: { message: string; actions: string[] }[] = [];
  /** The user's replies to window/showMessageRequest, in order: a button title, or null (dismissed). */
  let replies: (string | null)[] = [];
  const applied: { label?: string; edit: { changes: Record<string, TextEdit[]> } }[] = [];
  const state = lspFixture(undefined, (client) => {
    client.onRequest('window/showMessageRequest', (params: { message: string; actions?: { title: string }[] }) => {
      asked.push({ message: params.message, actions: (params.actions ?? []).map((a) => a.title) });
      const reply = replies.shift();
      return reply ? { title: reply } : null;
    });
    client.onRequest(
      'workspace/applyEdit',
      (params: { label?: string; edit: { changes: Record<string, TextEdit[]> } }) => {
        applied.push(params);
        return { applied: true };
      },
    );
  });
  const run = (args: unknown) =>
    state.server.connection.sendRequest<ServerClarifyResult>('workspace/executeCommand', {
      command: ServerClarifyCommand.id,
      arguments: [args],
    });

  before(async () => {
    mock = await new MockOpenAI().start();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    asked.length = 0;
    applied.length = 0;
    state.modelSettings = { baseUrl: mock.url, name: 'lsp-model' };
  });

  it("the code action runs the server's command; the questions come as message requests, the rewrite states the picked answers, one edit is applied", async () => {
    const [action] = await clarifyActions(state.server.connection, state.uri, 'not lie');
    assert.strictEqual(action?.command?.command, ServerClarifyCommand.id, 'offered without any client-side setup');
    assert.ok(
      (state.server.initializeResult.capabilities.executeCommandProvider as { commands: string[] }).commands.includes(
        ServerClarifyCommand.id,
      ),
    );
    const REWRITE = 'The assistant must correct a false claim only when the user asks about it[^lie1].';
    mock.script(
      { kind: 'answer', content: WELL_FORMED },
      { kind: 'answer', content: JSON.stringify({ rewrite: REWRITE }) },
    );
    // question 1: "Only when asked" (not the recommended one); question 2: skipped; then apply the rewrite
    replies = ['Only when asked', 'Skip', 'Apply the rewrite'];
    const result = await run(action.command!.arguments![0]);
    assert.deepStrictEqual(
      asked.map((a) => a.actions),
      [
        ['When it matters (recommended)', 'Always correct it', 'Only when asked', 'Skip'],
        ['Yes (recommended)', 'No', 'Skip'],
        ['Apply the rewrite', 'Add the answers after the clause', 'Discard'],
      ],
    );
    assert.match(asked[0].message, /^Clarify \(1\/2\): When the user asks about something/);
    assert.strictEqual(asked[2].message, `Clarify: rewrite the clause as “${REWRITE}”?`);
    assert.strictEqual(mock.requests.length, 2, 'the questions, then the rewrite with the picked answers');
    assert.match(mock.requests[1].body.messages[1].content, /Answer: Only when asked/);
    assert.strictEqual(mock.requests[1].body.model, 'lsp-model');
    assert.strictEqual(result.applied, true, result.message);
    assert.strictEqual(applied.length, 1, 'one edit');
    const [edit] = applied[0].edit.changes[state.uri];
    assert.deepStrictEqual(edit, {
      range: { start: positionOf('The assistant should not'), end: positionOf('[^lie1].', 8) },
      newText: REWRITE,
    });
  });

  it('with answers and apply given, nothing is asked; "append" adds the picked sentences once', async () => {
    mock.script(
      { kind: 'answer', content: WELL_FORMED },
      { kind: 'answer', content: JSON.stringify({ rewrite: 'unused' }) },
    );
    const result = await run({ uri: state.uri, position: positionOf('not lie'), answers: [0, 0], apply: 'append' });
    assert.deepStrictEqual(asked, []);
    assert.strictEqual(result.applied, true, result.message);
    assert.deepStrictEqual(
      applied[0].edit.changes[state.uri][0].newText,
      ' The assistant corrects a false claim even when the user did not ask. Leaving out a fact to mislead the user counts as lying.',
    );
    assert.deepStrictEqual(
      result.questions?.map((q) => q.recommended),
      [2, 0],
    );
  });

  it('without a key or a local endpoint it says what to set, and calls nothing', async () => {
    state.modelSettings = null;
    const result = await run({ uri: state.uri, position: positionOf('not lie') });
    assert.strictEqual(result.applied, false);
    assert.match(
      result.message ?? '',
      /Clarify needs a model\. Set OPENAI_API_KEY in the language server's environment .* or clarifier\.model\.baseUrl to a local OpenAI-compatible server/,
    );
    assert.strictEqual(mock.requests.length, 0);
  });
});
