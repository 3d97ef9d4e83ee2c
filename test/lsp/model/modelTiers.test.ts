import * as assert from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { ModelTierResultsNotification, ModelTierTargetsRequest } from '../../../server/src/protocol';
import { askAboutClauses } from '../../../server/src/engine/deep/ambiguity';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { startServer, type LspClient } from '../../lsp/harness';
import { lastTurn, MockOpenAI } from '../../support/mockOpenAI';
import { AMBIGUITY_SPEC, readsClauses, REFUND } from '../../support/ambiguityFixture';

const KEY = 'sk-deep-lsp-0123456789abcdefghijkl';
const REFUND_LINE = AMBIGUITY_SPEC.split('\n').indexOf(REFUND);

interface Session {
  server: LspClient;
  connection: LspClient['connection'];
  diagnostics: Map<string, Diagnostic[]>;
  /** Everything the server sent the client, to check the key never appears. */
  traffic: string[];
  messages: string[];
}

describe('model tiers over LSP', function () {
  this.timeout(60_000);
  let mock: MockOpenAI;
  let dir: string;
  let cacheHome: string;
  let uri: string;
  const saved = { key: process.env.OPENAI_API_KEY, cache: process.env.XDG_CACHE_HOME };

  before(async () => {
    mock = await new MockOpenAI({ apiKey: KEY, respond: readsClauses }).start();
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-tiers-lsp-'));
    cacheHome = mkdtempSync(path.join(os.tmpdir(), 'clarifier-tiers-cache-'));
    writeFileSync(path.join(dir, 'support.md'), AMBIGUITY_SPEC);
    uri = URI.file(path.join(dir, 'support.md')).toString();
    // the server process inherits these: the key from its environment, the cache away from $HOME
    process.env.OPENAI_API_KEY = KEY;
    process.env.XDG_CACHE_HOME = cacheHome;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheHome, { recursive: true, force: true });
    if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved.key;
    if (saved.cache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved.cache;
  });

  async function start(
    settings: Record<string, unknown>,
    initializationOptions?: Record<string, unknown>,
  ): Promise<Session> {
    const diagnostics = new Map<string, Diagnostic[]>();
    const traffic: string[] = [];
    const messages: string[] = [];
    const server = await startServer(dir, { workspace: { configuration: true } }, null, {
      server: 'source',
      initializationOptions,
      handle: (client) => {
        client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
          params.items.map((item) => (item.section === 'clarifier' ? settings : null)),
        );
        client.onNotification(
          'textDocument/publishDiagnostics',
          (params: { uri: string; diagnostics: Diagnostic[] }) => {
            traffic.push(JSON.stringify(params));
            diagnostics.set(params.uri, params.diagnostics);
          },
        );
        client.onNotification('window/showMessage', (params: { message: string }) => {
          traffic.push(params.message);
          messages.push(params.message);
        });
        client.onNotification('window/logMessage', (params: { message: string }) => traffic.push(params.message));
        client.onRequest('workspace/applyEdit', (params: unknown) => {
          traffic.push(JSON.stringify(params));
          return { applied: true };
        });
      },
    });
    return { server, connection: server.connection, diagnostics, traffic, messages };
  }

  async function open(session: Session): Promise<void> {
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version: 1, text: AMBIGUITY_SPEC },
    });
  }

  async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const value = probe();
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const modelFindings = (session: Session) =>
    (session.diagnostics.get(uri) ?? []).filter((d) => d.code === 'ambiguity-model');

  it('another editor: on save, clarifier lsp --stdio asks the model with the key from its environment and publishes findings with quick fixes', async () => {
    const session = await start({
      modelTiers: { enabled: true, tiers: ['ambiguity'] },
      model: { baseUrl: mock.url, name: 'reader-model' },
    });
    try {
      await open(session);
      await session.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const findings = await waitFor('model findings', () =>
        modelFindings(session).length === 2 ? modelFindings(session) : undefined,
      );
      assert.ok(
        mock.requests.every((r) => r.authorization === `Bearer ${KEY}`),
        'the key from the environment',
      );
      assert.strictEqual(mock.requests.length, 5);
      const refund = findings.find((d) => d.range.start.line === REFUND_LINE)!;
      assert.match(refund.message, /^Model finding \(reader-model\): missing condition/);
      const actions = await session.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: refund.range,
        context: { diagnostics: [refund], only: ['quickfix'] },
      });
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Clarify: No limit') && titles.includes('Clarify: 30 days'), titles.join(' | '));
      const thirty = actions.find((a) => a.title === 'Clarify: 30 days')!;
      const edit = thirty.edit!.changes![uri][0];
      assert.deepStrictEqual(
        [edit.range.start, edit.newText],
        [refund.range.end, ' This applies when the damage is reported within 30 days of delivery.'],
      );
      const record = actions.find((a) => /Record the diverging input as an example/.test(a.title))!;
      assert.strictEqual(record.command?.command, 'clarifier.server.recordPrecedent');
      const recorded = await session.connection.sendRequest<{ applied: boolean }>('workspace/executeCommand', {
        command: record.command!.command,
        arguments: record.command!.arguments,
      });
      assert.strictEqual(recorded.applied, true);
      assert.ok(
        session.traffic.some(
          (t) =>
            t.includes('My parcel arrived broken two months ago.') &&
            t.includes('TODO: write the answer this clause expects'),
        ),
        'the precedent edit carries the input and the placeholder',
      );
      // the command runs it on demand too, here from the cache
      const summary = await session.connection.sendRequest<string>('workspace/executeCommand', {
        command: 'clarifier.server.findAmbiguity',
        arguments: [uri],
      });
      assert.match(summary, /2 ambiguous clause\(s\).*0 request\(s\)/);
      assert.ok(!session.traffic.some((t) => t.includes(KEY)), 'the key never reaches the editor');
    } finally {
      await session.server.stop();
    }
  });

  it('another editor: nothing is sent while the setting is off; an unreadable answer is a warning, never a finding', async () => {
    const off = await start({ modelTiers: { enabled: false }, model: { baseUrl: mock.url, name: 'reader-model' } });
    try {
      await open(off);
      await off.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await off.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.strictEqual(mock.requests.length, 0, 'no model call with the setting off');
    } finally {
      await off.server.stop();
    }
    mock.options.respond = (body) =>
      /<clause>\nThe assistant must refund/.test(lastTurn(body))
        ? { kind: 'answer', content: '{"ambiguous": true, "readings": ["cut' }
        : readsClauses(body);
    const session = await start({
      modelTiers: { enabled: true, tiers: ['ambiguity'] },
      model: { baseUrl: mock.url, name: 'reader-model' },
    });
    try {
      await open(session);
      await session.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      await waitFor('the warning', () => session.messages.find((m) => /1 model answer\(s\) could not be read/.test(m)));
      await waitFor('one finding', () => (modelFindings(session).length === 1 ? true : undefined));
      assert.ok(
        !modelFindings(session).some((d) => d.range.start.line === REFUND_LINE),
        'no finding from the unreadable answer',
      );
    } finally {
      mock.options.respond = readsClauses;
      await session.server.stop();
    }
  });

  it('the VS Code client: the server never calls the model itself; it gives targets and shows the results it is sent, with Clarify pre-filled', async () => {
    const session = await start(
      { modelTiers: { enabled: true }, model: { baseUrl: mock.url, name: 'reader-model' } },
      { modelTiersInClient: true },
    );
    try {
      await open(session);
      await session.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const targets = await session.connection.sendRequest(ModelTierTargetsRequest, { uri, tiers: ['ambiguity'] });
      assert.strictEqual(targets.ambiguity.length, 5);
      assert.strictEqual(mock.requests.length, 0, 'the server made no model call');
      // what the extension host does: ask the model, send the results
      const endpoint = resolveModelSettings({ baseUrl: mock.url, model: 'reader-model' }).candidate;
      const run = await askAboutClauses(targets.ambiguity, { client: new ModelClient({ apiKey: KEY }), endpoint });
      await session.connection.sendNotification(ModelTierResultsNotification, { uris: [uri], ambiguity: run.results });
      const findings = await waitFor('model findings', () =>
        modelFindings(session).length === 2 ? modelFindings(session) : undefined,
      );
      const refund = findings.find((d) => d.range.start.line === REFUND_LINE)!;
      const actions = await session.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: refund.range,
        context: { diagnostics: [refund], only: ['quickfix'] },
      });
      const clarify = actions.find((a) => a.title === 'Clarify this clause…')!;
      assert.strictEqual(clarify.command?.command, 'clarifier.clarifyClause');
      const args = clarify.command!.arguments![0] as { question: { question: string; options: { answer: string }[] } };
      assert.strictEqual(args.question.question, 'Is there a time limit for reporting damage?');
      assert.deepStrictEqual(
        args.question.options.map((o) => o.answer),
        ['No limit', '30 days'],
      );
      assert.ok(
        !actions.some((a) => a.title.startsWith('Clarify: ')),
        'the client asks the question in a picker instead',
      );
      // editing the clause greys its finding as stale
      const edited = AMBIGUITY_SPEC.replace(
        REFUND,
        'The assistant must refund an order that arrives damaged, within 30 days.',
      );
      await session.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: edited }],
      });
      const stale = await waitFor('a stale finding', () =>
        modelFindings(session).find((d) => d.range.start.line === REFUND_LINE && d.tags?.includes(1)),
      );
      assert.strictEqual(stale.severity, 4);
      assert.match(stale.message, /^Stale model finding/);
    } finally {
      await session.server.stop();
    }
  });
});
