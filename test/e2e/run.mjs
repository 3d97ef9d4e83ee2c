#!/usr/bin/env node
// `npm run test:e2e`: the editor tier. Builds the extension and the suite, prepares the tools, then
//   1. runs test/e2e/suite/*.test.ts inside a real extension host with the Model Spec folder open:
//      code-server (default where desktop VS Code cannot be downloaded, or CLARIFIER_E2E=code-server)
//      or desktop VS Code through @vscode/test-electron (CLARIFIER_E2E=electron);
//   2. drives the workbench UI with playwright-core (squiggle, Problems panel, status bar, outline);
//   3. checks that a missing server module is reported to the user;
//   4. packages the .vsix, installs it into a fresh extensions folder and checks that it works.
// Steps 2-4 need code-server (a browser-served workbench) in both modes.
// CLARIFIER_E2E_ONLY=suite,ui,firstrun,authoring,startup,vsix runs a subset; CLARIFIER_E2E_SCREENSHOT=docs/images/editor.png
// also takes the README's screenshot. Ends with a plain "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { answersOk, modelSpecDir, prepareTools, REPO_ROOT } from './harness.mjs';

const started = Date.now();
const only = process.env.CLARIFIER_E2E_ONLY?.split(',').map((step) => step.trim());
const wanted = (step) => !only || only.includes(step);
const tally = { passed: 0, failed: 0, failures: [] };

function record(step, result) {
  tally.passed += result.passed;
  tally.failed += result.failed;
  tally.failures.push(...result.failures.map((failure) => `[${step}] ${failure}`));
  console.log(
    `-- ${step}: ${result.passed} passed, ${result.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s since start)`,
  );
}

/** Desktop VS Code is downloaded from its update server; offline machines (like ours) use code-server. */
function desktopReachable() {
  return answersOk('https://update.code.visualstudio.com/api/releases/stable', 4000);
}

async function buildSuite() {
  const suiteDir = path.join(REPO_ROOT, 'test', 'e2e', 'suite');
  const entries = readdirSync(suiteDir).filter((name) => name === 'index.ts' || name.endsWith('.test.ts'));
  const outdir = path.join(REPO_ROOT, 'out', 'e2e', 'suite');
  // The extension host loads CommonJS; vscode is provided by the host, mocha is loaded from node_modules.
  await esbuild.build({
    entryPoints: entries.map((name) => path.join(suiteDir, name)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.js');
}

async function runSuiteInDesktop(extensionTestsPath, workspace, env) {
  const { runTests } = await import('@vscode/test-electron');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const resultFile = path.join(mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-')), 'result.json');
  let exitCode = 1;
  try {
    exitCode = await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      // no --disable-extensions: it would also disable the built-in Markdown language we activate on
      launchArgs: [workspace, '--disable-workspace-trust'],
      extensionTestsEnv: { ...env, CLARIFIER_E2E_RESULT: resultFile },
    });
  } catch (error) {
    console.error(`desktop VS Code run failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, failures: [`the suite reported no result (exit code ${exitCode})`] };
  } finally {
    rmSync(path.dirname(resultFile), { recursive: true, force: true });
  }
}

async function main() {
  const requested = process.env.CLARIFIER_E2E;
  if (requested && !['code-server', 'electron'].includes(requested))
    throw new Error(`CLARIFIER_E2E must be "code-server" or "electron", not "${requested}"`);
  // Desktop VS Code on Linux needs a display (xvfb-run in CI); without one, code-server is the route.
  const canShowDesktop = process.platform !== 'linux' || !!process.env.DISPLAY;
  const mode = requested ?? (canShowDesktop && (await desktopReachable()) ? 'electron' : 'code-server');
  const corpus = modelSpecDir();
  console.log(
    `e2e: ${mode === 'electron' ? 'desktop VS Code (@vscode/test-electron)' : 'code-server'}; Model Spec: ${corpus ?? 'absent'}`,
  );

  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the extension build (scripts/build.mjs) failed');
  const suite = await buildSuite();
  const needsCodeServer =
    mode === 'code-server' ||
    ['ui', 'firstrun', 'authoring', 'startup', 'vsix'].some(wanted) ||
    !!process.env.CLARIFIER_E2E_SCREENSHOT;
  const tools = needsCodeServer ? prepareTools() : undefined;
  const env = corpus ? { CLARIFIER_CORPUS: corpus } : {};

  if (wanted('suite') && corpus) {
    if (mode === 'electron') record('extension host (desktop)', await runSuiteInDesktop(suite, corpus, env));
    else {
      const { runSuiteInCodeServer } = await import('./extensionHost.mjs');
      record(
        'extension host',
        await runSuiteInCodeServer({
          tools,
          extensionDevelopmentPath: REPO_ROOT,
          extensionTestsPath: suite,
          workspace: corpus,
          env,
        }),
      );
    }
  }
  const ui =
    ['ui', 'startup', 'vsix'].some(wanted) || process.env.CLARIFIER_E2E_SCREENSHOT
      ? await import('./ui.mjs')
      : undefined;
  if (wanted('ui') && corpus) record('workbench UI', await ui.workbenchTest(tools, corpus));
  if (wanted('firstrun')) {
    record('first run', await (await import('./firstRun.mjs')).firstRunTest(tools));
    record(
      'walkthrough on your own spec',
      await (await import('./walkthroughOwnSpec.mjs')).walkthroughOwnSpecTest(tools),
    );
  }
  if (wanted('authoring')) {
    const authoring = await import('./authoring.mjs');
    record('Settings UI', await authoring.settingsUiTest(tools));
    record('Settings UI edits', await (await import('./settingsEdit.mjs')).settingsEditTest(tools));
    record('clause-test lenses', await authoring.lensLabelsTest(tools));
  }
  if (wanted('startup')) record('startup error', await ui.startupErrorTest(tools));
  if (process.env.CLARIFIER_E2E_SCREENSHOT)
    await ui.readmeScreenshot(tools, corpus, process.env.CLARIFIER_E2E_SCREENSHOT);
  if (wanted('vsix')) record('packaged .vsix', await ui.packagedExtensionTest(tools));
}

main()
  .catch((error) => {
    tally.failed++;
    tally.failures.push(error instanceof Error ? error.message : String(error));
  })
  .finally(() => {
    for (const failure of tally.failures) console.log(`FAILED ${failure}`);
    console.log(`e2e took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`${tally.passed} passed, ${tally.failed} failed`);
    process.exitCode = tally.failed === 0 && tally.passed > 0 ? 0 : 1;
  });
