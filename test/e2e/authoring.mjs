// What a spec author edits and reads in the workbench (issue 14): the Settings UI for Clarifier's
// settings, and the clause-test lenses after a run. Each test keeps its screenshots in .artifacts/.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, ensureDir, FIXTURES, REPO_ROOT } from './harness.mjs';
import { failureSummary, openFromExplorer, runCommand, statusText, steps } from './ui.mjs';

const FIXTURE_SPEC = 'refund-policy.md';

/**
 * The user settings.json code-server writes to (JSON with comments is not expected: the Settings UI writes
 * plain JSON), or undefined while the workbench is part-way through writing it (an empty or cut-off file).
 */
function userSettings(server) {
  const file = path.join(server.home, 'user-data', 'User', 'settings.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Waits until settings.json satisfies `accept`: the workbench writes it asynchronously after an edit. */
export async function settingsWhere(page, server, accept, what, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let last = {};
  while (Date.now() < until) {
    const now = userSettings(server);
    if (now !== undefined) {
      last = now;
      if (accept(last)) return last;
    }
    await page.waitForTimeout(200);
  }
  const ours = Object.fromEntries(Object.entries(last).filter(([key]) => key.startsWith('clarifier.')));
  throw new Error(`settings.json never showed ${what}; its clarifier settings: ${JSON.stringify(ours)}`);
}

export async function shot(page, name) {
  // no hover tooltip over what the picture is about
  await page.mouse.move(0, 0);
  const file = path.join(ensureDir(ARTIFACTS), name);
  await page.screenshot({ path: file });
  return path.relative(path.dirname(ARTIFACTS), file);
}

/** Opens the Settings UI filtered to `query`, and returns the row of `key`. */
export async function settingRow(page, key, query = key) {
  // a freshly opened Settings UI has the focus in its search box; in an open one, Ctrl+F goes back to it
  if (
    await page
      .locator('.settings-editor')
      .isVisible()
      .catch(() => false)
  ) {
    await page.locator('.settings-editor .settings-toc-container').first().click();
    await page.keyboard.press('Control+F');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  } else {
    await runCommand(page, 'Preferences: Open Settings (UI)');
    await page.locator('.settings-editor').waitFor();
  }
  await page.keyboard.type(query);
  // the Settings UI keeps rows of earlier searches in the DOM, hidden: only a visible one is the setting shown
  const row = page
    .locator(
      `.settings-editor .setting-item[data-key="${key}"], .settings-editor .monaco-list-row:has([data-key="${key}"]) .setting-item`,
    )
    .filter({ visible: true })
    .first();
  await row.waitFor();
  return row;
}

/**
 * Runs `act` on the row of `key` in the Settings UI, up to three times. The Settings UI redraws its
 * rows while a search is still narrowing, and what is done in a row just before it is redrawn is lost:
 * under load a number typed into a box showed the default again, and in CI a click in the clarifier.rules
 * editor found no element for 90 s. So `act` starts again on the row found afresh. Something the UI
 * cannot do fails all three times. Returns what `act` returned and the attempts it took, for the log.
 */
export async function inSettingRow(page, key, act) {
  const failures = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return { result: await act(await settingRow(page, key)), attempts: attempt };
    } catch (error) {
      failures.push(failureSummary(error));
      // closes a dropdown left open; the next attempt searches again
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`${key} in the Settings UI failed 3 times: ${failures.join(' | ')}`);
}

/** Makes `edit` in the row of `key` until settings.json satisfies `accept` (retried as `inSettingRow` says). */
export async function editSetting(page, server, { key, edit, accept, what }) {
  const { result, attempts } = await inSettingRow(page, key, async (row) => {
    const result = await edit(row);
    return { result, written: await settingsWhere(page, server, accept, what, 15_000) };
  });
  return { ...result, attempts };
}

/** Says when the Settings UI redrew mid-edit (see `inSettingRow`), for a step's log line. */
export const retried = (attempts) =>
  attempts > 1 ? ` (the Settings UI redrew mid-edit; done on attempt ${attempts})` : '';

/**
 * Settings a person edits in the Settings UI, not in JSON: a grader model typed into its text box; and a
 * null written by an older version removed on start (it reads as the default either way). The schema of
 * the other settings (rule ids as known keys, profile descriptions) is checked in test/engine/settings.test.ts.
 */
export async function settingsUiTest(tools) {
  const settings = { 'clarifier.grader.name': null, 'clarifier.model.concurrency': null };
  return steps(
    'Settings UI',
    tools,
    { workspaceUrl: { folder: FIXTURES }, devExtension: REPO_ROOT, screenshotName: 'settings-ui.png', settings },
    [
      [
        'the extension removes the null settings an older version wrote',
        async (page, server) => {
          await openFromExplorer(page, FIXTURE_SPEC);
          await statusText(page, /\d+ clauses? · \d+ findings?/);
          await settingsWhere(
            page,
            server,
            (s) => !('clarifier.grader.name' in s) && !('clarifier.model.concurrency' in s),
            'the null settings removed',
          );
        },
      ],
      [
        'clarifier.grader.name is a text box: typing a model name writes it to settings.json',
        async (page, server) => {
          const { result: row, attempts } = await editSetting(page, server, {
            key: 'clarifier.grader.name',
            edit: async (row) => {
              const input = row.locator('input').first();
              await input.fill('judge-model', { timeout: 20_000 });
              await input.press('Tab');
              return row;
            },
            accept: (s) => s['clarifier.grader.name'] === 'judge-model',
            what: '"clarifier.grader.name": "judge-model"',
          });
          const description = (await row.locator('.setting-item-description').innerText()).replace(/\s+/g, ' ');
          if (!/Empty: the model under test/.test(description))
            throw new Error(`the description should say what empty means: "${description}"`);
          return `${await shot(page, 'settings-grader.png')}${retried(attempts)}`;
        },
      ],
    ],
  );
}

/** The mock model in a child process (test/e2e/mockModelProcess.ts through tsx); resolves to its URL and a stop function. */
function startMockModel() {
  const child = fork(path.join(REPO_ROOT, 'test', 'e2e', 'mockModelProcess.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({ url: message.url, stop: () => child.connected && child.disconnect() }),
    );
    child.once('exit', (code) => reject(new Error(`the mock model exited with code ${code} before it listened`)));
  });
}

/** The text of every code lens in the visible editor, in order. */
async function lensTexts(page) {
  return (await page.locator('.monaco-editor .codelens-decoration a').allInnerTexts()).map((text) =>
    text.replace(/\s+/g, ' ').trim(),
  );
}

/**
 * The clause-test lenses after "Run all": short titles (the model in the tooltip), neighbouring clauses of
 * one run saying the same "just now", and the file's summary at the top.
 */
export async function lensLabelsTest(tools) {
  const mock = await startMockModel();
  try {
    const settings = { 'clarifier.model.baseUrl': mock.url, 'clarifier.model.name': 'mock-model' };
    const folder = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'lenses');
    return await steps(
      'clause-test lenses',
      tools,
      { workspaceUrl: { folder }, devExtension: REPO_ROOT, screenshotName: 'lenses.png', settings },
      [
        [
          'the spec shows "▶ Run all" above the file and a run lens above each section',
          async (page) => {
            await openFromExplorer(page, 'lantern-club.md');
            await page
              .locator('.monaco-editor .codelens-decoration a', { hasText: /^▶ Run all 3 examples$/ })
              .waitFor();
            return (await lensTexts(page)).join(' | ');
          },
        ],
        [
          'after "Run all", the file summary and the result lenses agree on one time, with the model in the tooltip',
          async (page) => {
            await page.locator('.monaco-editor .codelens-decoration a', { hasText: /^▶ Run all 3 examples$/ }).click();
            await page
              .locator('.monaco-editor .codelens-decoration a', {
                hasText: /^Clause tests: 2\/3 passed · 1 failed · just now$/,
              })
              .waitFor();
            const texts = await lensTexts(page);
            const results = texts.filter((t) => /^[✓✗⚠]/.test(t));
            if (results.length !== 2 || !results.every((t) => t.endsWith(' · just now')))
              throw new Error(`the two sections' result lenses should both end "· just now": ${JSON.stringify(texts)}`);
            const failed = page.locator('.monaco-editor .codelens-decoration a', {
              hasText: /^✗ 1\/2 failed · just now$/,
            });
            const tooltip = (await failed.getAttribute('title')) ?? '';
            if (!/Model under test: mock-model/.test(tooltip))
              throw new Error(`the result lens's tooltip should name the model: "${tooltip}"`);
            if (texts.some((t) => t.length > 48)) throw new Error(`a lens title is long: ${JSON.stringify(texts)}`);
            await failed.hover();
            await page.mouse.move(0, 0);
            return texts.join(' | ');
          },
        ],
      ],
    );
  } finally {
    mock.stop();
  }
}
