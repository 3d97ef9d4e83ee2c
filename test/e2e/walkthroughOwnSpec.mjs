// The walkthrough's first step ("Open a spec") completes when the user opens a spec of their own,
// not only the sample: a fresh profile on a folder of the user's specs, without the sample.
import { FIXTURES, REPO_ROOT } from './harness.mjs';
import { openFromExplorer, runCommand, statusText, steps } from './ui.mjs';

const WALKTHROUGH_TITLE = 'Get Started with Thought Clarifier';
const OWN_SPEC = 'refund-policy.md';
const step = (page, id, done) =>
  page.locator(`button.getting-started-step[data-step-id$="${id}"]${done ? '[aria-checked="true"]' : ''}`).first();

async function openWalkthrough(page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-widget input').first().fill(WALKTHROUGH_TITLE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: WALKTHROUGH_TITLE }).first().click();
  await step(page, 'openSample').waitFor();
}

export async function walkthroughOwnSpecTest(tools) {
  return steps(
    'walkthrough on your own spec',
    tools,
    { workspaceUrl: { folder: FIXTURES }, devExtension: REPO_ROOT, screenshotName: 'walkthrough-own-spec.png' },
    [
      [
        'the walkthrough opens with "Open a spec" not yet done',
        async (page) => {
          await openWalkthrough(page);
          if (await step(page, 'openSample', true).count())
            throw new Error('"Open a spec" is complete before any spec was opened');
        },
      ],
      [
        `opening ${OWN_SPEC} (a spec of the user's, not the sample) completes "Open a spec"`,
        async (page) => {
          await openFromExplorer(page, OWN_SPEC);
          const text = await statusText(page, /\d+ clauses? · \d+ findings?/);
          // the file took the walkthrough's (preview) tab: open the walkthrough again to read its steps
          await openWalkthrough(page);
          await step(page, 'openSample', true).waitFor();
          return text;
        },
      ],
    ],
  );
}
