// Shared pieces of the e2e tier: tool set-up, code-server and Chromium lifecycles, paths.
// code-server is VS Code's workbench served to a browser; its extension host is a Node process
// like desktop VS Code's, so our extension and its IPC language server run there unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(REPO_ROOT, 'test', 'e2e', '.artifacts');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'specs');

const WORKBENCH_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'window.commandCenter': false,
};

/**
 * Same lookup as test/support/corpus.ts (this file runs on plain Node, without tsx): ../shared beside
 * the repository, or CLARIFIER_CORPUS. Undefined when absent, unless CLARIFIER_REQUIRE_CORPUS=1 (CI).
 */
export function modelSpecDir() {
  const dir =
    process.env.CLARIFIER_CORPUS || path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'model-spec-2025-12-18');
  if (existsSync(path.join(dir, 'model_spec.md'))) return dir;
  const message = `the Model Spec corpus is not at ${dir} (expected ../shared/corpus beside the repository, or CLARIFIER_CORPUS)`;
  if (process.env.CLARIFIER_REQUIRE_CORPUS === '1') throw new Error(message);
  console.log(`e2e: skipped the steps that open the Model Spec: ${message}`);
  return undefined;
}

/** Runs setup.sh (idempotent) and returns the tool paths it reports. */
export function prepareTools() {
  const result = spawnSync('bash', [path.join(REPO_ROOT, 'test', 'e2e', 'setup.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`test/e2e/setup.sh failed with exit code ${result.status}`);
  const toolsFile = result.stdout.trim().split('\n').pop();
  return JSON.parse(readFileSync(toolsFile, 'utf8'));
}

/** A port nobody listens on now: several helpers and CI jobs may run code-server side by side. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when `url` answers 200 within `timeout` ms; false on any error or time-out. */
export function answersOk(url, timeout) {
  return new Promise((resolve) => {
    const req = (url.startsWith('https:') ? httpsRequest : request)(url, { timeout }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * Starts code-server in its own process group (so stop() also ends the extension host and the
 * language server it forks) with HOME pointed at a throwaway folder.
 */
export async function startCodeServer(
  tools,
  { extensionsDir, env = {}, settings = {}, smokeTestDriver = true, label = 'code-server' } = {},
) {
  const home = mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-'));
  const port = await freePort();
  const logFile = path.join(home, 'code-server.log');
  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    path.join(home, 'user-data'),
    '--extensions-dir',
    extensionsDir ?? path.join(home, 'extensions'),
  ];
  // The URL payload (extensionDevelopmentPath / extensionTestsPath) is honoured only with this option.
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  // VS Code for the web saves after a delay by default: tests edit documents and must never
  // write them back. The rest keeps the window quiet and the screenshots about our extension.
  const userSettings = path.join(home, 'user-data', 'User');
  mkdirSync(userSettings, { recursive: true });
  writeFileSync(
    path.join(userSettings, 'settings.json'),
    JSON.stringify({ ...WORKBENCH_SETTINGS, ...settings }, null, 2),
  );
  const log = openSync(logFile, 'a');
  const proc = spawn(tools.node24, args, {
    stdio: ['ignore', log, log],
    detached: true,
    env: { ...process.env, ...env, HOME: home },
  });
  closeSync(log);
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  const server = { proc, home, port, logFile, url: `http://127.0.0.1:${port}`, label };
  for (;;) {
    if (await answersOk(`http://127.0.0.1:${port}/healthz`, 2000)) return server;
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 250))]);
    if (code !== undefined)
      throw new Error(
        `${label} exited with code ${code} before it answered; log: ${logFile}\n${readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
  }
}

/** vscode-remote URIs must carry the page's own host:port as authority. */
export function remoteUri(server, absolutePath) {
  return `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
}

export function workbenchUrl(server, { folder, workspace, payload } = {}) {
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
  else if (workspace) query.push(`workspace=${encodeURIComponent(workspace)}`);
  else query.push('ew=true');
  if (payload?.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/?${query.join('&')}`;
}

export async function launchChromium(tools, home) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    // Chromium writes crash reports and caches under HOME/XDG: keep them in the throwaway folder.
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Ends code-server and everything it started: they share the process group of `detached: true`. */
export function stopCodeServer(server, { keepHome = false } = {}) {
  return new Promise((resolve) => {
    if (!server) return resolve();
    const { proc } = server;
    const signalGroup = (signal) => {
      try {
        process.kill(-proc.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const finish = () => {
      signalGroup('SIGKILL');
      if (!keepHome) rmSync(server.home, { recursive: true, force: true });
      resolve();
    };
    if (proc.exitCode !== null || proc.signalCode !== null) return finish();
    const hardStop = setTimeout(finish, 5000);
    proc.once('exit', () => {
      clearTimeout(hardStop);
      // give the extension host a moment to follow its parent before the group is killed
      setTimeout(finish, 300);
    });
    signalGroup('SIGTERM');
  });
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}
