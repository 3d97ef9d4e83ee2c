#!/usr/bin/env node
// Runs a mocha suite inside code-server's extension host, the way @vscode/test-electron runs one
// inside desktop VS Code. As a program it takes the flags test-electron passes to a VS Code
// executable, so runTests({ vscodeExecutablePath: 'test/e2e/extensionHost.mjs' }) also works:
//   extensionHost.mjs --extensionDevelopmentPath=EXT --extensionTestsPath=SUITE [--extensions-dir=D] [WORKSPACE]
//
// The window gets the payload [extensionDevelopmentPath, extensionTestsPath] in its URL; the
// workbench then loads our extension, runs the suite's run() and reports the exit code through
// window.codeAutomationExit, which we expose before the page loads.
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchChromium, prepareTools, remoteUri, startCodeServer, stopCodeServer, workbenchUrl } from './harness.mjs';

/**
 * @param {{ tools?: any, extensionDevelopmentPath: string, extensionTestsPath: string, workspace?: string,
 *           extensionsDir?: string, env?: Record<string, string>, timeoutMs?: number }} options
 * @returns {Promise<{ exitCode: number, passed: number, failed: number, failures: string[] }>}
 */
export async function runSuiteInCodeServer(options) {
  const tools = options.tools ?? prepareTools();
  const resultFile = path.join(tmpdir(), `clarifier-e2e-result-${process.pid}-${Date.now()}.json`);
  const server = await startCodeServer(tools, {
    extensionsDir: options.extensionsDir,
    // code-server passes its environment on to the extension host, where the suite reads it
    env: { ...options.env, CLARIFIER_E2E_RESULT: resultFile },
    label: 'code-server (extension tests)',
  });
  let browser;
  let exitCode = 1;
  try {
    browser = await launchChromium(tools, server.home);
    const page = await browser.newPage();
    const exited = new Promise((resolve) => void page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    // The extension host's console (mocha's reporter) is mirrored to the page console as
    // ['%c INFO', 'color: ...', format, ...args]; print the suite's own lines, drop the workbench's.
    page.on('console', async (message) => {
      const args = await Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => '')));
      if (
        args.length >= 3 &&
        typeof args[0] === 'string' &&
        /^%c\s*(INFO|ERR|WARN)/.test(args[0]) &&
        typeof args[2] === 'string' &&
        args[2].startsWith('[e2e]')
      ) {
        console.log(format(...args.slice(2)).replace(/^\[e2e\] ?/, ''));
      }
    });
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, options.extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(server, options.extensionTestsPath)],
    ];
    // a loaded machine (other test runs on two cores) can take well over playwright's default 30 s to serve the workbench
    await page.goto(workbenchUrl(server, { folder: options.workspace, payload }), { timeout: 180_000 });
    // a guard against a hung suite, generous because two cores may be shared with other test runs
    const limit = options.timeoutMs ?? 600_000;
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      console.error(
        `the extension host did not finish the suite within ${limit / 1000} s; code-server log: ${server.logFile}`,
      );
    exitCode = typeof outcome === 'number' ? outcome : 1;
  } finally {
    await browser?.close();
    await stopCodeServer(server, { keepHome: exitCode !== 0 });
  }
  return { exitCode, ...readResult(resultFile, exitCode) };
}

/** The suite writes its tally to a file: the console only carries text. */
export function readResult(resultFile, exitCode) {
  try {
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    rmSync(resultFile, { force: true });
    return result;
  } catch {
    // the host crashed or never ran the suite: count that as one failure so it cannot pass silently
    return { passed: 0, failed: 1, failures: [`the suite reported no result (exit code ${exitCode})`] };
  }
}

function parseFlags(argv) {
  const parsed = { positional: [] };
  const takesValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'extensions-dir', 'user-data-dir']);
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) {
      parsed.positional.push(argv[i]);
      continue;
    }
    const [, name, inline] = match;
    // desktop-only flags that test-electron adds (--no-sandbox, --disable-extensions, ...) are ignored
    if (takesValue.has(name)) parsed[name] = inline ?? argv[++i];
  }
  return parsed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flags = parseFlags(process.argv.slice(2));
  if (!flags.extensionDevelopmentPath || !flags.extensionTestsPath) {
    console.error(
      'usage: extensionHost.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--extensions-dir=DIR] [WORKSPACE]',
    );
    process.exit(2);
  }
  runSuiteInCodeServer({
    extensionDevelopmentPath: path.resolve(flags.extensionDevelopmentPath),
    extensionTestsPath: path.resolve(flags.extensionTestsPath),
    extensionsDir: flags['extensions-dir'] && path.resolve(flags['extensions-dir']),
    workspace: flags.positional[0] && path.resolve(flags.positional[0]),
    env: process.env.CLARIFIER_CORPUS ? { CLARIFIER_CORPUS: process.env.CLARIFIER_CORPUS } : {},
  }).then(
    (result) => {
      console.log(`${result.passed} passed, ${result.failed} failed`);
      process.exit(result.exitCode === 0 && result.failed === 0 ? 0 : 1);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
