import * as assert from 'assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol';
import type { TextDocumentEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { RecordPrecedentCommand, type RecordPrecedentResult } from '../../../server/src/protocol';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson } from '../../support/mockOpenAI';
import { startServer } from '../../lsp/harness';
import { writeFixture } from '../../support/clauseTestFixture';

describe('record as precedent', function () {
  this.timeout(60_000);
  let server: MockOpenAI;
  let cacheDir: string;
  before(async () => {
    // every candidate answer passes, except the recorded BAD cheese answer
    server = await new MockOpenAI({
      respond: (body) =>
        isGraderBody(body)
          ? { kind: 'answer', content: verdictJson(!/cheese/.test(candidateOf(body))) }
          : { kind: 'answer', content: `Reply to ${lastTurn(body).slice(0, 40)}` },
    }).start();
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-precedent-cache-'));
  });
  after(async () => {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  it('LSP: the workspace command asks the editor to apply one edit (marker + new example file), for any editor', async () => {
    const fixture = writeFixture();
    const edits: ApplyWorkspaceEditParams[] = [];
    const specPath = path.join(fixture.dir, 'spec.md');
    writeFileSync(
      specPath,
      readFileSync(specPath, 'utf8').replace(
        'The assistant should be warm when the user is upset.',
        'The assistant should be warm when the user is upset. The assistant must never mock a grieving user.',
      ),
    );
    const server = await startServer(
      fixture.dir,
      { workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } },
      null,
      {
        server: 'source',
        handle: (connection) => {
          connection.onRequest('workspace/applyEdit', (params: ApplyWorkspaceEditParams) => {
            edits.push(params);
            return { applied: true };
          });
          connection.onRequest('workspace/configuration', () => [null]);
        },
      },
    );
    try {
      const commands = (server.initializeResult.capabilities.executeCommandProvider as { commands: string[] }).commands;
      assert.ok(commands.includes(RecordPrecedentCommand.id), 'declared to the editor');
      const uri = URI.file(specPath).toString();
      const result = await server.connection.sendRequest<RecordPrecedentResult>('workspace/executeCommand', {
        command: RecordPrecedentCommand.id,
        arguments: [
          {
            uri,
            unitId: 'tone.2',
            messages: [{ role: 'user', content: 'My dog died.' }],
            answer: 'Dogs die, get over it.',
            label: 'BAD',
            reason: 'mocks the user',
          },
        ],
      });
      assert.deepStrictEqual(result, {
        applied: true,
        targetUri: URI.file(path.join(fixture.dir, 'examples', 'mock-grieving-user.md')).toString(),
        placement: 'new-example-file',
        markerId: 'mock-grieving-user',
      });
      assert.strictEqual(edits.length, 1);
      const changes = edits[0].edit.documentChanges!;
      assert.deepStrictEqual(changes[1], { kind: 'create', uri: result.targetUri, options: { ignoreIfExists: true } });
      const specEdit = changes[0] as TextDocumentEdit;
      const text = TextDocument.applyEdits(
        TextDocument.create(uri, 'markdown', 0, readFileSync(specPath, 'utf8')),
        specEdit.edits,
      );
      assert.match(text, /grieving user\[\^mock-grieving-user\]\./);
      assert.match(
        (changes[2] as TextDocumentEdit).edits[0].newText,
        /^Examples for \[\^mock-grieving-user\] in Tone:\n\n\*\*Example\*\*: My dog died\.\n\n~~~xml\n<user>\nMy dog died\.\n<\/user>\n<comparison>\n<assistant> <!-- BAD: mocks the user -->/,
      );

      const refused = await server.connection.sendRequest<RecordPrecedentResult>('workspace/executeCommand', {
        command: RecordPrecedentCommand.id,
        arguments: [{ uri, unitId: 'nope', answer: 'x', label: 'GOOD', messages: [{ role: 'user', content: 'hi' }] }],
      });
      assert.deepStrictEqual(refused, { applied: false, message: `no clause or section "nope" in ${uri}` });
      assert.strictEqual(edits.length, 1, 'nothing applied for a bad request');
    } finally {
      await server.stop();
      fixture.cleanup();
    }
  });
});
