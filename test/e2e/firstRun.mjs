// The first minutes of a spec author with the extension, in a fresh profile: a folder with a spec
// opened and nothing else; the status item counts the specs before any file is opened and opens the
// Specs view; the walkthrough's four steps complete as the user does each; one outline per file.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { ARTIFACTS, ensureDir, REPO_ROOT } from './harness.mjs';
import { runCommand, statusText, steps } from './ui.mjs';

const SAMPLE = path.join(REPO_ROOT, 'samples', 'support-assistant');
const SPEC_COUNT = /\d+ specs? · \d+ findings?/;
const WALKTHROUGH_TITLE = 'Get Started with Thought Clarifier';

/** test/support/mockOpenAI.ts as plain ESM for this Node script: the same local model server the other tiers use. */
async function loadMockModel() {
  const outfile = path.join(REPO_ROOT, 'out', 'e2e', 'mockOpenAI.mjs');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'support', 'mockOpenAI.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

async function shot(page, name) {
  const file = path.join(ensureDir(ARTIFACTS), name);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file });
  return path.relative(REPO_ROOT, file);
}

/** The walkthrough step's row; aria-checked turns "true" when VS Code sees its completion event. */
const stepRow = (page, id) => page.locator(`button.getting-started-step[data-step-id$="${id}"]`).first();

async function waitForStepDone(page, id) {
  // the walkthrough is an editor tab beside the spec: bring it back to read its steps
  await page
    .locator('.tabs-container .tab', { hasText: /Walkthrough|Welcome|Get Started/ })
    .first()
    .click();
  await page.locator(`button.getting-started-step[data-step-id$="${id}"][aria-checked="true"]`).first().waitFor();
}

/** Moves the cursor as a user does with Ctrl+G: to `line` (1-based) and `column`. */
async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

/** The labels of the Outline view's rows. */
async function outlineRows(page) {
  const header = page.locator('.pane-header', { hasText: /^\s*Outline/i }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // a provider group and a symbol are both .outline-element rows
  const rows = page.locator('.monaco-list-row .outline-element');
  await rows.first().waitFor();
  return (await rows.allInnerTexts()).map((text) => text.trim());
}

async function breadcrumbs(page) {
  const items = page.locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item');
  await items.first().waitFor();
  return (await items.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
}

export async function firstRunTest(tools) {
  const home = mkdtempSync(path.join(tmpdir(), 'clarifier-e2e-firstrun-'));
  // not named "specs": the Explorer's folder header would read like the Specs view's
  const folder = path.join(home, 'support-team');
  // a copy: the steps apply fixes, and the folder must look like a user's (a spec, its examples, a README)
  cpSync(SAMPLE, path.join(folder, 'support-assistant'), { recursive: true });
  writeFileSync(
    path.join(folder, 'README.md'),
    '# Team handbook\n\nHow we work.\n\n## Releases\n\nWe ship on Tuesdays.\n',
  );
  const { MockOpenAI } = await loadMockModel();
  const model = await new MockOpenAI().start();
  const settings = {
    'clarifier.model.baseUrl': model.url,
    'clarifier.model.name': 'mock-4o',
    'breadcrumbs.enabled': true,
  };
  try {
    return await steps(
      'first run',
      tools,
      { workspaceUrl: { folder }, devExtension: REPO_ROOT, screenshotName: 'first-run-end.png', settings },
      [
        [
          'before any file is opened, the status bar counts the specs of the folder',
          async (page) => {
            const text = await statusText(page, SPEC_COUNT);
            if (!/\b1 spec\b/.test(text))
              throw new Error(
                `status bar says "${text}": the folder has one spec (its example file and the README are not specs)`,
              );
            const tabs = await page.locator('.tabs-container .tab').count();
            if (tabs) throw new Error(`${tabs} editor(s) open: the count must not wait for a file to be opened`);
            return text;
          },
        ],
        [
          'clicking it opens the Specs view with the spec, its kind, clauses, findings and examples',
          async (page) => {
            await page.locator('.statusbar-item', { hasText: SPEC_COUNT }).first().click();
            await page
              .locator('.pane-header[aria-expanded="true"]', { hasText: /^\s*Specs/i })
              .first()
              .waitFor();
            const row = page.locator('.monaco-list-row', { hasText: 'support_policy.md' }).first();
            await row.waitFor();
            const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
            if (!/\d+ clauses · [1-9]\d* findings · [1-9]\d* examples?/.test(text))
              throw new Error(
                `the Specs row should read "N clauses · N findings · N examples" (after the kind, when the file names one): "${text}"`,
              );
            // expanded (with the keyboard: a click would open the file), it shows the spec's structure:
            // its sections with their authority
            await row.locator('.monaco-tl-twistie').first().click();
            await page
              .locator('.monaco-list-row', { hasText: /Refunds\s*authority=developer/ })
              .first()
              .waitFor();
            return text;
          },
        ],
        [
          'the walkthrough opens and lists its four steps',
          async (page) => {
            await runCommand(page, 'Welcome: Open Walkthrough...');
            const input = page.locator('.quick-input-widget input').first();
            await input.fill(WALKTHROUGH_TITLE);
            await page.locator('.quick-input-list .monaco-list-row', { hasText: WALKTHROUGH_TITLE }).first().click();
            for (const id of ['openSample', 'fixFinding', 'seeConflict', 'runClauseTest'])
              await stepRow(page, id).waitFor();
            const done = await page.locator('button.getting-started-step[aria-checked="true"]').count();
            if (done) throw new Error(`${done} step(s) already complete in a fresh profile`);
            // the README's picture of the first minute: the status count, the Specs view, the walkthrough;
            // the folder tree folded and the side bar widened so that the Specs rows can be read
            const folderHeader = page.locator('.pane-header', { hasText: /^\s*support-team/i }).first();
            await folderHeader.click();
            // the sash is on the side bar's right edge
            const box = await page.locator('.part.sidebar').first().boundingBox();
            if (box) {
              const y = box.y + box.height / 2;
              await page.mouse.move(box.x + box.width + 1, y);
              await page.mouse.down();
              await page.mouse.move(box.x + box.width + 160, y, { steps: 8 });
              await page.mouse.up();
            }
            const picture = await shot(page, 'first-run.png');
            await folderHeader.click();
            return picture;
          },
        ],
        [
          '"Open the Sample Spec" opens it and completes the first step',
          async (page) => {
            await stepRow(page, 'openSample').click();
            await page.locator('.button-container .monaco-button', { hasText: 'Open the Sample Spec' }).first().click();
            await page.locator('.tabs-container .tab.active', { hasText: 'support_policy.md' }).waitFor();
            await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
            await waitForStepDone(page, 'openSample');
          },
        ],
        [
          'applying a quick fix completes "Fix a finding"',
          async (page) => {
            await page.locator('.tabs-container .tab', { hasText: 'support_policy.md' }).first().click();
            await goTo(page, 14, 55); // inside "and/or"
            await page
              .locator('.statusbar-item', { hasText: /Ln 14, Col 55/ })
              .first()
              .waitFor();
            await page.keyboard.press('Control+.');
            const widget = page.locator('.action-widget').first();
            const shown = await widget.waitFor({ timeout: 15_000 }).then(
              () => true,
              () => false,
            );
            if (!shown) await runCommand(page, 'Quick Fix...');
            await widget.waitFor();
            // the preferred fix is focused first; Enter applies it, as a user does
            const title = (
              await page
                .locator('.action-widget .monaco-list-row.focused')
                .first()
                .innerText()
                .catch(() => '')
            ).trim();
            await page.keyboard.press('Enter');
            await page
              .locator('.monaco-editor .view-line', { hasText: 'and/or' })
              .first()
              .waitFor({ state: 'detached' });
            await waitForStepDone(page, 'fixFinding');
            return title;
          },
        ],
        [
          'clicking the conflict in the Problems panel completes "Look at a conflict"',
          async (page) => {
            await page.keyboard.press('Control+Shift+M');
            const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'conflict-numeric' }).first();
            await row.waitFor();
            await row.click();
            await page.keyboard.press('Enter');
            await waitForStepDone(page, 'seeConflict');
            return (await row.innerText()).replace(/\s+/g, ' ').trim().slice(0, 120);
          },
        ],
        [
          'running a clause test against the configured endpoint completes "Run a clause test"',
          async (page) => {
            await page.locator('.tabs-container .tab', { hasText: 'support_policy.md' }).first().click();
            const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: /Run/ }).first();
            await lens.waitFor();
            await lens.click();
            await page
              .locator('.monaco-editor .codelens-decoration', { hasText: /passed/ })
              .first()
              .waitFor();
            if (!model.requests.length) throw new Error('no request reached the local model server');
            await waitForStepDone(page, 'runClauseTest');
            return `${model.requests.length} request(s) to the local model server; ${await shot(page, 'walkthrough-done.png')}`;
          },
        ],
        [
          'a spec shows one outline tree and a stable breadcrumb',
          async (page) => {
            await page.locator('.tabs-container .tab', { hasText: 'support_policy.md' }).first().click();
            await goTo(page, 12, 5); // in the Refunds section
            const rows = await outlineRows(page);
            const groups = rows.filter((row) => /^(Spec outline|Markdown Language Features)$/.test(row));
            if (groups.length) throw new Error(`the Outline shows provider groups side by side: ${groups.join(', ')}`);
            if (!rows.some((row) => row.includes('Refunds')))
              throw new Error(`the Outline lists no Refunds heading: ${rows.join(' | ')}`);
            const crumbs = await breadcrumbs(page);
            if (
              crumbs.some((crumb) => /Spec outline|Markdown Language Features/.test(crumb)) ||
              !crumbs.some((crumb) => crumb.includes('Refunds'))
            )
              throw new Error(`breadcrumb: ${crumbs.join(' › ')}`);
            return `${crumbs.join(' › ')}; ${await shot(page, 'one-outline-spec.png')}`;
          },
        ],
        [
          'a file that is not a spec shows only the Markdown outline',
          async (page) => {
            await page
              .locator('.explorer-folders-view .monaco-list-row', {
                has: page.locator('.label-name', { hasText: /^README\.md$/ }),
              })
              .first()
              .click();
            await page.locator('.tabs-container .tab.active', { hasText: 'README.md' }).waitFor();
            await goTo(page, 7, 3);
            const rows = await outlineRows(page);
            if (rows.some((row) => /^(Spec outline|Markdown Language Features)$/.test(row)))
              throw new Error(`provider groups in the Outline: ${rows.join(' | ')}`);
            if (!rows.some((row) => row.includes('Releases')))
              throw new Error(`the Markdown outline should list "Releases": ${rows.join(' | ')}`);
            const crumbs = await breadcrumbs(page);
            if (crumbs.some((crumb) => /Spec outline/.test(crumb)))
              throw new Error(`breadcrumb in a non-spec file: ${crumbs.join(' › ')}`);
            return `${crumbs.join(' › ')}; ${await shot(page, 'one-outline-readme.png')}`;
          },
        ],
      ],
    );
  } finally {
    await model.close();
    rmSync(home, { recursive: true, force: true });
  }
}
