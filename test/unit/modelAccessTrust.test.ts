import * as assert from 'assert';
import Module from 'module';

/**
 * The extension host's ModelAccess is the only place that reads the API key. In an untrusted workspace it
 * must not read it at all — neither from SecretStorage nor from OPENAI_API_KEY — and must tell the server
 * that no model call can work. The 'vscode' module is replaced by a stand-in whose workspace is untrusted.
 */
const workspace = { isTrusted: false, onDidGrantWorkspaceTrust: () => ({ dispose() {} }), onDidChangeConfiguration: () => ({ dispose() {} }) };
const vscodeStandIn = { workspace, window: {}, commands: {}, Uri: {} };

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
const STAND_IN_ID = '\0vscode-stand-in';

describe('model access in an untrusted workspace (extension host)', () => {
  const originalResolve = moduleInternals._resolveFilename;
  before(() => {
    moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? STAND_IN_ID : originalResolve.call(this, request, ...rest);
    };
    moduleInternals._cache[STAND_IN_ID] = { id: STAND_IN_ID, filename: STAND_IN_ID, loaded: true, exports: vscodeStandIn };
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
    process.env = new Proxy<NodeJS.ProcessEnv>({ ...realEnv, OPENAI_API_KEY: 'sk-secret-from-env' }, {
      get(target, key) {
        if (key === 'OPENAI_API_KEY') envReads++;
        return target[key as string];
      },
    });
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
});
