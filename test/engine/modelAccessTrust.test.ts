import * as assert from 'assert';
import Module from 'module';

/**
 * The extension host's ModelAccess is the only place that reads the API key. In an untrusted workspace it
 * must not read it at all — neither from SecretStorage nor from OPENAI_API_KEY — and must tell the server
 * that no model call can work. The 'vscode' module is replaced by a stand-in whose workspace is untrusted.
 */
let saveListener: ((document: unknown) => void) | undefined;
const workspace = {
  isTrusted: false,
  onDidGrantWorkspaceTrust: () => ({ dispose() {} }),
  onDidChangeConfiguration: () => ({ dispose() {} }),
  onDidSaveTextDocument: (listener: (document: unknown) => void) => ((saveListener = listener), { dispose() {} }),
  // the model tiers are switched on, so only trust stands between a save and a model call
  getConfiguration: () => ({
    get: (key: string, fallback: unknown) => (key === 'modelTiers.enabled' ? true : fallback),
  }),
};
const warnings: string[] = [];
const vscodeStandIn = {
  workspace,
  window: { showWarningMessage: async (message: string) => void warnings.push(message) },
  commands: { executeCommand: async () => undefined },
  Uri: {},
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
const STAND_IN_ID = '\0vscode-stand-in';

describe('model access in an untrusted workspace (extension host)', () => {
  const originalResolve = moduleInternals._resolveFilename;
  before(() => {
    moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? STAND_IN_ID : originalResolve.call(this, request, ...rest);
    };
    moduleInternals._cache[STAND_IN_ID] = {
      id: STAND_IN_ID,
      filename: STAND_IN_ID,
      loaded: true,
      exports: vscodeStandIn,
    };
  });
  after(() => {
    moduleInternals._resolveFilename = originalResolve;
    delete moduleInternals._cache[STAND_IN_ID];
  });

  it('never reads the key from SecretStorage or the environment, and tells the server it cannot call a model', async () => {
    const { ModelAccess } = require('../../client/src/modelAccess') as typeof import('../../client/src/modelAccess');
    let secretReads = 0;
    const sent: unknown[] = [];
    let started: (() => void) | undefined;
    const context = {
      push: () => undefined,
      onDidStartServer: (listener: () => void) => ((started = listener), { dispose() {} }),
      secrets: {
        get: async () => {
          secretReads++;
          return 'sk-secret-from-storage';
        },
        onDidChange: () => ({ dispose() {} }),
      },
      sendNotification: async (_type: unknown, params: unknown) => void sent.push(params),
      logger: { error() {}, warn() {}, info() {}, debug() {} },
    };
    const realEnv = process.env;
    let envReads = 0;
    process.env = new Proxy<NodeJS.ProcessEnv>(
      { ...realEnv, OPENAI_API_KEY: 'sk-secret-from-env' },
      {
        get(target, key) {
          if (key === 'OPENAI_API_KEY') envReads++;
          return target[key as string];
        },
      },
    );
    try {
      const access = new ModelAccess(context as never);
      started?.();
      await access.client(1);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.env = realEnv;
    }
    assert.strictEqual(secretReads, 0, 'SecretStorage was read in an untrusted workspace');
    assert.strictEqual(envReads, 0, 'OPENAI_API_KEY was read in an untrusted workspace');
    assert.deepStrictEqual(sent, [{ trusted: false, hasKey: false }]);
  });

  it('a save or "Find Ambiguity with the Model" with the model tiers on asks the server for nothing and builds no model client', async () => {
    const { ModelTiers } = require('../../client/src/modelTiers') as typeof import('../../client/src/modelTiers');
    const requests: unknown[] = [];
    let clients = 0;
    const context = {
      push: () => undefined,
      sendRequest: async (type: unknown) => void requests.push(type),
      sendNotification: async (type: unknown) => void requests.push(type),
      storageFolder: () => '',
      logger: { error() {}, warn() {}, info() {}, debug() {} },
    };
    const access = {
      trusted: (what: string) => (warnings.push(`untrusted: ${what}`), false),
      settingsFor: () => ({ concurrency: 1, candidate: {} }),
      client: async () => (clients++, { checkKey() {} }),
    };
    const tiers = new ModelTiers(context as never, access as never, {} as never);
    const uri = { toString: () => 'file:///spec.md' };
    saveListener?.({ languageId: 'markdown', uri });
    await tiers.find(uri as never);
    await tiers.run(uri as never, false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(saveListener, 'the model tiers listen to saves');
    assert.strictEqual(clients, 0, 'a model client was built in an untrusted workspace');
    assert.deepStrictEqual(requests, []);
    assert.ok(
      warnings.some((w) => w.startsWith('untrusted:')),
      'the command should say why nothing happens',
    );
  });
});
