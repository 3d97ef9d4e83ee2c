// Workbench-level checks with playwright-core: what a spec author sees on screen.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  ARTIFACTS,
  ensureDir,
  FIXTURES,
  launchChromium,
  remoteUri,
  REPO_ROOT,
  startCodeServer,
  stopCodeServer,
  workbenchUrl,
} from './harness.mjs';

const FIXTURE_SPEC = 'refund-policy.md';
/** The spec "Clarifier: Open the Sample Spec" opens (samples/support-assistant/). */
const SAMPLE_SPEC = 'support_policy.md';
const STATUS_TEXT = /\d+ clauses? · \d+ findings?/;

/**
 * The first line of a step's error and, for a Playwright timeout, what its call log says: the locator
 * it waited for, the element that resolved to, and why that element could not be used (not visible,
 * covered by another), so a failure in CI names the element without a rerun.
 */
export function failureSummary(error) {
  if (!(error instanceof Error)) return String(error);
  const [first, ...rest] = error.message.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const log = rest.map((line) => line.trim().replace(/^(?:- |\d+ × )/, ''));
  const details = [
    log.find((line) => line.startsWith('waiting for locator')),
    log.findLast((line) => line.startsWith('locator resolved to')),
    log.findLast((line) => line.startsWith('element ') || line.includes('intercepts pointer events')),
  ].filter(Boolean);
  return details.length ? `${first} (${details.join('; ')})` : first;
}

/**
 * Runs named steps in order against one workbench; a failed step stops the rest (they build on
 * each other), and every step not reached counts as failed so nothing passes by omission.
 */
export async function steps(
  label,
  tools,
  { workspaceUrl, extensionsDir, devExtension, screenshotName, settings },
  list,
) {
  const result = { passed: 0, failed: 0, failures: [] };
  const server = await startCodeServer(tools, { extensionsDir, settings, label });
  let browser;
  let page;
  let ok = true;
  try {
    browser = await launchChromium(tools, server.home);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(90_000);
    const payload = devExtension ? [['extensionDevelopmentPath', remoteUri(server, devExtension)]] : undefined;
    await page.goto(workbenchUrl(server, { ...workspaceUrl, payload }));
    await page.locator('.monaco-workbench .part.editor').waitFor();
    for (const [name, run] of list) {
      if (!ok) {
        result.failed++;
        result.failures.push(`${name}: not reached`);
        continue;
      }
      try {
        const detail = await run(page, server);
        result.passed++;
        console.log(`  ✔ ${name}${detail ? `: ${detail}` : ''}`);
      } catch (error) {
        ok = false;
        result.failed++;
        const message = failureSummary(error);
        result.failures.push(`${name}: ${message}`);
        console.log(`  ✘ ${name}: ${message}`);
      }
    }
  } catch (error) {
    result.failed++;
    result.failures.push(`workbench did not load: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (page) {
      const shot = path.join(
        ensureDir(ARTIFACTS),
        ok ? screenshotName : screenshotName.replace(/\.png$/, '-failed.png'),
      );
      await page.screenshot({ path: shot }).then(
        () => console.log(`  screenshot: ${path.relative(REPO_ROOT, shot)}`),
        () => undefined,
      );
    }
    await browser?.close();
    await stopCodeServer(server, { keepHome: !ok });
    if (!ok) console.log(`  code-server log kept: ${server.logFile}`);
  }
  return result;
}

/** Opens a file the way a user does: a click on its row in the Explorer. */
export async function openFromExplorer(page, fileName) {
  const row = page
    .locator('.explorer-folders-view .monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${fileName.replace(/\./g, '\\.')}$`) }),
    })
    .first();
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Runs a command from the command palette by its title, as a user does. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** How many findings `clarifier lint` (the built CLI) reports in one file. */
function lintCount(file) {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'lint', file, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`clarifier lint failed: ${run.stderr}`);
  return JSON.parse(run.stdout).files.reduce((n, entry) => n + entry.diagnostics.length, 0);
}

/* global window, document, MutationObserver -- the page.evaluate callbacks run in the workbench page */
/**
 * Keeps every text the status item shows from now on (in window.clarifierStatusTexts): a count
 * that is briefly wrong is gone before a wait for the right one could see it.
 */
async function recordStatusTexts(page) {
  await page.evaluate(() => {
    window.clarifierStatusTexts = [];
    const note = () => {
      for (const item of document.querySelectorAll('.statusbar-item')) {
        const text = item.textContent.trim();
        if (/clauses? ·/.test(text)) window.clarifierStatusTexts.push(text);
      }
    };
    const bar = document.querySelector('.part.statusbar') ?? document.body;
    new MutationObserver(note).observe(bar, { subtree: true, childList: true, characterData: true });
  });
}

export async function statusText(page, pattern) {
  const item = page.locator('.statusbar-item', { hasText: pattern }).first();
  await item.waitFor();
  return (await item.innerText()).trim();
}

function workspaceFile(folders) {
  const dir = mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-ws-'));
  const file = path.join(dir, 'specs.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: folders.map((folder) => ({ path: folder })) }));
  return file;
}

/** The Model Spec and our fixture spec side by side in one window, the extension loaded from source. */
export async function workbenchTest(tools, corpus) {
  const workspace = workspaceFile([corpus, FIXTURES]);
  try {
    const settings = { 'clarifier.trace.server': 'messages' };
    return await steps(
      'workbench UI',
      tools,
      { workspaceUrl: { workspace }, devExtension: REPO_ROOT, screenshotName: 'workbench.png', settings },
      [
        [
          'model_spec.md opens and the status bar counts its clauses and the findings `clarifier lint` reports, never 0 on the way',
          async (page) => {
            const expected = lintCount(path.join(corpus, 'model_spec.md'));
            if (expected === 0) throw new Error('clarifier lint reports no finding in model_spec.md: nothing to count');
            await recordStatusTexts(page);
            await openFromExplorer(page, 'model_spec.md');
            const text = await statusText(page, new RegExp(`\\d+ clauses? · ${expected} findings?`));
            const clauses = Number(/(\d+) clauses?/.exec(text)[1]);
            if (clauses < 100) throw new Error(`status bar says "${text}": the Model Spec has hundreds of clauses`);
            const seen = await page.evaluate(() => window.clarifierStatusTexts);
            const misleading = seen.filter((shown) => /clauses? · 0 findings/.test(shown));
            if (misleading.length)
              throw new Error(`while the Model Spec opened the status bar said "${misleading[0]}" (lint: ${expected})`);
            return `${text} (lint: ${expected}; shown on the way: ${[...new Set(seen)].join(' | ')})`;
          },
        ],
        [
          'clicking the status bar item shows the spec in the Specs view',
          async (page) => {
            await page.locator('.statusbar-item', { hasText: STATUS_TEXT }).first().click();
            await page
              .locator('.pane-header[aria-expanded="true"]', { hasText: /^\s*Specs/i })
              .first()
              .waitFor();
            await page.locator('.monaco-list-row.selected', { hasText: 'model_spec.md' }).first().waitFor();
          },
        ],
        [
          'the fixture spec shows an error squiggle',
          async (page) => {
            await openFromExplorer(page, FIXTURE_SPEC);
            await page.locator('.monaco-editor .squiggly-error').first().waitFor();
            return statusText(page, /\d+ clauses? · 1 finding\b/);
          },
        ],
        [
          'the Problems panel lists the dangling reference',
          async (page) => {
            await page.keyboard.press('Control+Shift+M');
            await page.locator('.markers-panel').waitFor();
            // the Model Spec's own findings share the list: filter it down to the fixture's
            // only the visible filter box: the hidden Output view has one too
            const filter = page
              .locator('.viewpane-filter input:visible, .markers-panel-action-filter input:visible')
              .first();
            await filter.fill(FIXTURE_SPEC);
            const row = page
              .locator('.markers-panel .monaco-list-row', { hasText: 'No section has the id "nope"' })
              .first();
            await row.waitFor();
            const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
            if (!/clarifier/.test(text) || !/dangling-reference/.test(text))
              throw new Error(`the Problems row should name clarifier and dangling-reference: "${text}"`);
            await filter.fill('');
            return text;
          },
        ],
        [
          '"Clarifier: Show Output" shows the server log and, with clarifier.trace.server on, protocol traces',
          async (page) => {
            await runCommand(page, 'Clarifier: Show Output');
            await page.locator('.part.panel .monaco-editor').first().waitFor();
            const outputFilter = page.locator('.viewpane-filter input:visible').first();
            if (await outputFilter.count()) await outputFilter.fill('');
            // the output view renders spaces as U+00A0, which \s matches
            const traces = page.locator('.part.panel .monaco-editor .view-line', {
              hasText: /\[info\]\s+Sending\s+(request|notification)\s+'/,
            });
            await traces.first().waitFor();
            // the status bar keeps describing the spec: the output view is not a document
            await statusText(page, /\d+ clauses? · 1 finding\b/);
            return (await traces.first().innerText()).replace(/\s+/g, ' ').trim();
          },
        ],
      ],
    );
  } finally {
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

/** A broken install (the server bundle missing) must tell the user why nothing works. */
export async function startupErrorTest(tools) {
  const broken = mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-broken-'));
  mkdirSync(path.join(broken, 'dist'));
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(broken, 'package.json'));
  copyFileSync(path.join(REPO_ROOT, 'dist', 'client.js'), path.join(broken, 'dist', 'client.js'));
  try {
    return await steps(
      'startup error',
      tools,
      { workspaceUrl: { folder: FIXTURES }, devExtension: broken, screenshotName: 'startup-error.png' },
      [
        [
          'a missing server module is shown as an error naming the file',
          async (page) => {
            await openFromExplorer(page, FIXTURE_SPEC);
            // The status item turns to the failure in the same step that raises the error message, so once it
            // shows, the message exists. A toast may never render in headless Chromium and the ARIA live
            // region is transient, so read the message where it stays: the notification centre.
            await page
              .locator('.statusbar-item', { hasText: /^\s*Clarifier\s*$/ })
              .first()
              .waitFor();
            await runCommand(page, 'Notifications: Show Notifications');
            const shown = page
              .locator('.notifications-center .notification-list-item-message', {
                hasText: /language server did not start/,
              })
              .first();
            await shown.waitFor();
            const text = (await shown.textContent()).trim();
            if (!text.includes(path.join('dist', 'server.js')))
              throw new Error(`the error should name the missing dist/server.js: "${text}"`);
            return text;
          },
        ],
      ],
    );
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
}

/** `npm run package`, install the .vsix into an empty extensions folder, and use it. */
export async function packagedExtensionTest(tools) {
  const result = { passed: 0, failed: 0, failures: [] };
  const fail = (message) => ({ passed: 0, failed: 1, failures: [message] });
  const vsix = path.join(REPO_ROOT, 'dist', 'thought-clarifier.vsix');
  rmSync(vsix, { force: true });
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (packaged.status !== 0 || !existsSync(vsix))
    return fail(`npm run package failed: ${packaged.stderr || packaged.stdout}`);
  console.log(`  ✔ npm run package: ${path.relative(REPO_ROOT, vsix)} (${Math.round(statSync(vsix).size / 1024)} KB)`);
  result.passed++;

  const home = mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-vsix-'));
  const extensionsDir = path.join(home, 'extensions');
  try {
    const installed = spawnSync(
      tools.node24,
      [
        tools.codeServerEntry,
        '--extensions-dir',
        extensionsDir,
        '--user-data-dir',
        path.join(home, 'user-data'),
        '--install-extension',
        vsix,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, HOME: home },
      },
    );
    const folder = existsSync(extensionsDir)
      ? readdirSync(extensionsDir).find((name) => name.startsWith('thought-clarifier.thought-clarifier-'))
      : undefined;
    if (installed.status !== 0 || !folder)
      return {
        ...result,
        failed: 1,
        failures: [`code-server --install-extension failed: ${installed.stderr || installed.stdout}`],
      };
    const root = path.join(extensionsDir, folder);
    const missing = ['dist/client.js', 'dist/server.js', 'package.json'].filter(
      (file) => !existsSync(path.join(root, file)),
    );
    const leaked = ['server', 'client', 'test', 'node_modules', 'dist/thought-clarifier.vsix'].filter((file) =>
      existsSync(path.join(root, file)),
    );
    if (missing.length || leaked.length)
      return {
        ...result,
        failed: 1,
        failures: [
          `installed extension: missing ${missing.join(', ') || 'nothing'}; should not ship ${leaked.join(', ') || 'nothing'}`,
        ],
      };
    console.log(`  ✔ installed as ${folder} with only the bundles`);
    result.passed++;

    const used = await steps(
      'packaged .vsix',
      tools,
      { workspaceUrl: { folder: FIXTURES }, extensionsDir, screenshotName: 'installed.png' },
      [
        [
          'the installed extension activates and reports the dangling reference',
          async (page) => {
            await openFromExplorer(page, FIXTURE_SPEC);
            await page.locator('.monaco-editor .squiggly-error').first().waitFor();
            return statusText(page, /\d+ clauses? · 1 finding\b/);
          },
        ],
      ],
    );
    const firstUse = await steps(
      'packaged .vsix, empty window',
      tools,
      // no folder: what a new user sees after installing, before opening anything
      { workspaceUrl: {}, extensionsDir, screenshotName: 'installed-empty-window.png' },
      [
        [
          'in an empty window the Command Palette runs "Clarifier: Open the Sample Spec"',
          (page) => runFromPalette(page, 'Clarifier: Open the Sample Spec', 'Open the Sample Spec'),
        ],
        [
          'the sample spec opens in an editor with the findings `clarifier lint` reports',
          async (page) => {
            const expected = lintCount(path.join(REPO_ROOT, 'samples', 'support-assistant', SAMPLE_SPEC));
            if (expected === 0) throw new Error(`clarifier lint reports no finding in the sample's ${SAMPLE_SPEC}`);
            // the command reopens the window on a copy of the sample, with the walkthrough beside the spec
            const tab = page.locator('.tabs-container .tab', { hasText: SAMPLE_SPEC }).first();
            try {
              await tab.waitFor();
            } catch {
              // say why, as far as the user was told: a failure shows a message, kept in the notification centre
              await runCommand(page, 'Notifications: Show Notifications');
              await page.locator('.notifications-center').waitFor({ timeout: 10_000 });
              const told = await page.locator('.notifications-center .notification-list-item-message').allInnerTexts();
              throw new Error(
                `no editor shows ${SAMPLE_SPEC} after "Open the Sample Spec" (notifications: ${told.join(' | ') || 'none'})`,
              );
            }
            // the walkthrough opens after the spec and takes the focus: once it shows "Open a spec" done,
            // a click on the spec's tab is not taken back
            await page
              .locator('button.getting-started-step[data-step-id$="openSample"][aria-checked="true"]')
              .first()
              .waitFor();
            await tab.click();
            await page
              .locator(
                '.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info',
              )
              .first()
              .waitFor();
            const text = await statusText(page, new RegExp(`\\d+ clauses? · ${expected} findings?`));
            // the Problems panel lists the findings as the extension's
            await page.keyboard.press('Control+Shift+M');
            const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'and-or' }).first();
            await problem.waitFor();
            const row = (await problem.innerText()).replace(/\s+/g, ' ').trim();
            if (!/clarifier/.test(row))
              throw new Error(`the Problems row should name clarifier as its source: "${row}"`);
            return `${text}; Problems: ${row}`;
          },
        ],
      ],
    );
    // an install that lost its sample files (a cleaner, a broken copy) says what to do, not "file not found"
    rmSync(path.join(root, 'samples'), { recursive: true, force: true });
    const noSample = await steps(
      'packaged .vsix, sample files missing',
      tools,
      { workspaceUrl: {}, extensionsDir, screenshotName: 'installed-no-sample.png' },
      [
        [
          '"Open the Sample Spec" without the sample files says to reinstall',
          async (page) => {
            await runFromPalette(page, 'Clarifier: Open the Sample Spec', 'Open the Sample Spec');
            // The error is shown as a message and written to the extension's output. Headless Chromium does
            // not always render the message (nor keep it in the notification centre), so read the output.
            await runCommand(page, 'Clarifier: Show Output');
            await page.locator('.part.panel .monaco-editor').first().waitFor();
            // the output view renders spaces as U+00A0, which \s matches
            // (a long line wraps: each part is a view line of its own)
            const lines = page.locator('.part.panel .monaco-editor .view-lines');
            const missing = lines.locator('.view-line', { hasText: /sample\s+files\s+are\s+missing/ }).first();
            const message = lines.locator('.view-line', { hasText: /Reinstall\s+Thought\s+Clarifier/ }).first();
            await missing.waitFor();
            await message.waitFor();
            return (await message.innerText()).replace(/\s+/g, ' ').trim();
          },
        ],
      ],
    );
    return {
      passed: result.passed + used.passed + firstUse.passed + noSample.passed,
      failed: used.failed + firstUse.failed + noSample.failed,
      failures: [...used.failures, ...firstUse.failures, ...noSample.failures],
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Runs a command of the installed extension from the Command Palette. The palette lists the commands
 * known when it opens and never adds to an open list; the installed extensions' commands join a
 * moment after the window shows. A user who does not find the command closes the palette and types
 * again: do the same, for up to a minute.
 */
async function runFromPalette(page, title, query) {
  const input = page.locator('.quick-input-widget input').first();
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  let offered = [];
  for (let attempt = 0; attempt < 12; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${query}`);
    const shown = await row.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (shown) {
      await row.click();
      return attempt ? `offered after the palette was opened ${attempt + 1} times` : 'offered at once';
    }
    offered = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    await page.keyboard.press('Escape');
  }
  throw new Error(
    `the Command Palette never offered "${title}" for "${query}" (it lists: ${offered.join(' | ') || 'nothing'})`,
  );
}

/**
 * The README's picture (CLARIFIER_E2E_SCREENSHOT=docs/images/editor.png): the Model Spec with our
 * squiggles, the Specs view and the Problems panel on one of its findings.
 */
export async function readmeScreenshot(tools, corpus, target) {
  return steps(
    'README screenshot',
    tools,
    { workspaceUrl: { folder: corpus }, devExtension: REPO_ROOT, screenshotName: 'readme.png' },
    [
      [
        'model_spec.md with findings, the Specs view and Problems panel',
        async (page) => {
          await openFromExplorer(page, 'model_spec.md');
          await page
            .locator('.statusbar-item', { hasText: /\d+ clauses? · [1-9]\d* findings?/ })
            .first()
            .click();
          await page
            .locator('.pane-header[aria-expanded="true"]', { hasText: /^\s*Specs/i })
            .first()
            .waitFor();
          await page.keyboard.press('Control+Shift+M');
          const finding = page
            .locator('.markers-panel .monaco-list-row', { hasText: 'clarifier' })
            .nth(Number(process.env.CLARIFIER_E2E_SCREENSHOT_FINDING ?? 3));
          await finding.click();
          await page.keyboard.press('Enter');
          await page
            .locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info')
            .first()
            .waitFor();
          await page.mouse.move(0, 0);
          const file = path.resolve(REPO_ROOT, target);
          ensureDir(path.dirname(file));
          await page.screenshot({ path: file });
          return `saved ${file}`;
        },
      ],
    ],
  );
}
