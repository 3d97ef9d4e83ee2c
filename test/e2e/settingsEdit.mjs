// Issue 14, "settings edited in the UI": a spec author changes Clarifier's settings in the Settings
// UI (a number box, the profile dropdown, a rule turned off by picking its id from the known keys),
// and the editor follows: settings.json holds the values and the finding of the rule turned off is
// gone. Screenshots: settings-profile.png, settings-rules.png.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, REPO_ROOT } from './harness.mjs';
import { editSetting, inSettingRow, retried, shot } from './authoring.mjs';
import { openFromExplorer, statusText, steps } from './ui.mjs';

const FIXTURE_SPEC = 'refund-policy.md';
/** The setting as the extension declares it: its known keys are the rule ids. */
const CLARIFIER_RULES = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).contributes.configuration
  .properties['clarifier.rules'];
/** The only finding of the fixture spec: its `[?](#nope)` is a dangling-reference error. */
const RULE = 'dangling-reference';

/** The open dropdown of a Settings UI select box (VS Code draws its own list over the hidden <select>). */
const dropdown = (page) => page.locator('.monaco-select-box-dropdown-container:visible').first();

/**
 * Opens a select box of the Settings UI and picks `option` with the arrow keys and Enter, as a
 * keyboard user does; returns what the dropdown's details pane said about the option.
 */
async function pick(page, selectBox, option, whileOpen = async () => undefined) {
  await selectBox.click({ timeout: 20_000 });
  return pickInOpenList(page, option, whileOpen);
}

/** Picks `option` in the dropdown that is open now (see `pick`). */
async function pickInOpenList(page, option, whileOpen = async () => undefined) {
  const list = dropdown(page);
  await list.waitFor({ timeout: 20_000 });
  const focused = list.locator('.monaco-list-row.focused');
  const rows = await list.locator('.monaco-list-row').count();
  for (let step = 0; step <= rows; step++) {
    const text = (
      await focused
        .locator('.option-text')
        .innerText()
        .catch(() => '')
    ).trim();
    if (text === option) {
      const details = (
        await list
          .locator('.select-box-details-pane')
          .innerText()
          .catch(() => '')
      ).trim();
      await whileOpen();
      await page.keyboard.press('Enter');
      return details.replace(/\s+/g, ' ');
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the dropdown has no option "${option}"`);
}

/**
 * Adds `rule: "off"` to clarifier.rules as a user does: "Add Item", the rule id picked from the key
 * dropdown, "off" from the value dropdown, OK. Returns how many ids the key dropdown offered, how it
 * described `rule`, its screenshot, and the attempts it took (see `editSetting`).
 */
async function turnRuleOff(page, server, rule) {
  let offered;
  let file;
  const { result: description, attempts } = await editSetting(page, server, {
    key: 'clarifier.rules',
    edit: async (row) => {
      await row
        .locator('.monaco-button', { hasText: /Add Item/ })
        .first()
        .click({ timeout: 20_000 });
      await row.locator('.setting-list-object-input-key .monaco-select-box').first().click({ timeout: 20_000 });
      const list = dropdown(page);
      await list.waitFor({ timeout: 20_000 });
      // the list draws only the rows in view; each row knows the size of the whole list
      offered = Number(await list.locator('.monaco-list-row').first().getAttribute('aria-setsize'));
      const described = await pickInOpenList(page, rule, async () => {
        file = await shot(page, 'settings-rules.png');
      });
      await pick(page, row.locator('.setting-list-object-input-value .monaco-select-box').first(), 'off');
      const ok = row.locator('.monaco-button', { hasText: /^OK$/ }).first();
      // Enter on the value may already have accepted the item
      if (await ok.isVisible()) await ok.click({ timeout: 20_000 });
      return described;
    },
    accept: (s) => s['clarifier.rules']?.[rule] === 'off',
    what: `"clarifier.rules": { "${rule}": "off" }`,
  });
  return { offered, description, file, attempts };
}

export async function settingsEditTest(tools) {
  return steps(
    'Settings UI edits',
    tools,
    { workspaceUrl: { folder: FIXTURES }, devExtension: REPO_ROOT, screenshotName: 'settings-edit.png' },
    [
      [
        `the fixture spec shows its ${RULE} error before any setting changes`,
        async (page) => {
          await openFromExplorer(page, FIXTURE_SPEC);
          await page.locator('.monaco-editor .squiggly-error').first().waitFor();
          return statusText(page, /\d+ clauses? · 1 finding\b/);
        },
      ],
      [
        'clarifier.model.concurrency (requests in flight during a clause-test run) is a number box that writes a number',
        async (page, server) => {
          const { written, attempts } = await editSetting(page, server, {
            key: 'clarifier.model.concurrency',
            edit: async (row) => {
              const input = row.locator('input').first();
              await input.fill('2', { timeout: 20_000 });
              await input.press('Tab');
            },
            accept: (s) => s['clarifier.model.concurrency'] !== undefined,
            what: '"clarifier.model.concurrency"',
          });
          if (written['clarifier.model.concurrency'] !== 2)
            throw new Error(
              `settings.json should hold the number 2, not ${JSON.stringify(written['clarifier.model.concurrency'])}`,
            );
          return `"clarifier.model.concurrency": ${written['clarifier.model.concurrency']}${retried(attempts)}`;
        },
      ],
      [
        'the clarifier.profile dropdown describes each profile',
        async (page) => {
          const { result, attempts } = await inSettingRow(page, 'clarifier.profile', async (row) => {
            await row.locator('.monaco-select-box').first().click({ timeout: 20_000 });
            const list = dropdown(page);
            await list.waitFor({ timeout: 20_000 });
            const described = [];
            for (const [option, words] of [
              ['default', /right on most of its hand-judged findings/],
              ['strict', /right on at least half of their findings/],
            ]) {
              // the details pane under the list describes the focused option
              await list
                .locator('.monaco-list-row.focused .option-text', { hasText: new RegExp(`^${option}$`) })
                .waitFor({ timeout: 20_000 });
              const details = list.locator('.select-box-details-pane', { hasText: words });
              await details.waitFor({ timeout: 20_000 });
              described.push(`${option}: ${(await details.innerText()).replace(/\s+/g, ' ').trim()}`);
              if (option === 'default') await page.keyboard.press('ArrowDown');
            }
            const file = await shot(page, 'settings-profile.png');
            await page.keyboard.press('Escape');
            return `${described.join(' / ')} (${file})`;
          });
          return `${result}${retried(attempts)}`;
        },
      ],
      [
        `clarifier.rules offers the rule ids as known keys: picking ${RULE} and "off" writes it to settings.json`,
        async (page, server) => {
          const { offered, description, file, attempts } = await turnRuleOff(page, server, RULE);
          const known = Object.keys(CLARIFIER_RULES.properties);
          if (offered !== known.length)
            throw new Error(`the key dropdown offers ${offered} ids; clarifier.rules knows ${known.length}`);
          if (!description.startsWith(CLARIFIER_RULES.properties[RULE].description.slice(0, 40)))
            throw new Error(`the dropdown should describe ${RULE} as it is documented, it says "${description}"`);
          return `${offered} rule ids offered; ${RULE}: "${description}" (${file})${retried(attempts)}`;
        },
      ],
      [
        `with ${RULE} off, the fixture spec's finding is gone from the editor and the status bar`,
        async (page) => {
          await page.locator('.tabs-container .tab', { hasText: FIXTURE_SPEC }).first().click();
          const text = await statusText(page, /\d+ clauses? · 0 findings\b/);
          await page.locator('.monaco-editor .view-lines').first().waitFor();
          // the editor redraws its decorations a moment after the status bar changes
          const squiggle = page.locator('.monaco-editor .squiggly-error');
          const gone = await squiggle
            .first()
            .waitFor({ state: 'detached', timeout: 20_000 })
            .then(() => true)
            .catch(() => false);
          if (!gone) throw new Error(`the editor still shows ${await squiggle.count()} error squiggle(s) after 20 s`);
          return text;
        },
      ],
    ],
  );
}
