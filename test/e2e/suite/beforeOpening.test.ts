// The Test Explorer knows the whole workspace: before any spec is opened, the examples of the
// Model Spec's clauses are test items, so "Run Tests in Current File" on an example file runs them.
// Named to run first: it needs a window in which model_spec.md has not been opened yet.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { MockOpenAI } from '../../support/mockOpenAI';
import { activateExtension } from './helpers';

const MARKER = '092i';

describe('the Test Explorer before any spec is opened', function () {
  let server: MockOpenAI;
  const config = () => vscode.workspace.getConfiguration('clarifier');

  before(async () => {
    server = await new MockOpenAI().start();
    await config().update('model.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('model.name', 'workspace-model', vscode.ConfigurationTarget.Global);
    await activateExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('clarifier.clearClauseTestResults');
    for (const key of ['model.baseUrl', 'model.name'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it(`lists the workspace's specs: the examples of [^${MARKER}] run from their example file while model_spec.md is not open`, async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the Model Spec folder is open');
    const specPath = path.join(folder.uri.fsPath, 'model_spec.md');
    const isOpen = () => vscode.workspace.textDocuments.some((d) => d.uri.fsPath === specPath);
    assert.ok(!isOpen(), 'model_spec.md is not open');
    const exampleUri = vscode.Uri.file(path.join(folder.uri.fsPath, 'examples', `${MARKER}.md`));
    const { readFileSync } = await import('fs');
    const exampleCount = readFileSync(exampleUri.fsPath, 'utf8').match(/^\*\*Example\*\*:/gm)?.length ?? 0;
    assert.ok(exampleCount >= 2);
    // the listing arrives after the server has indexed the workspace: no event tells the test when
    for (let i = 0; i < 120 && !server.candidateRequests().length; i++) {
      await vscode.commands.executeCommand('testing.runCurrentFile', [exampleUri]);
      if (!server.candidateRequests().length) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.strictEqual(server.candidateRequests().length, exampleCount, 'each example of the clause was asked once');
    assert.ok(server.candidateRequests().every((r) => r.body.model === 'workspace-model'));
    assert.ok(!isOpen(), 'the spec never had to be opened');
  });
});
