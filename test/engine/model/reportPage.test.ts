// The page the editor's "Clause Test Report" webview shows: built from stored results of two runs
// (different models), rendered in Chromium like the webview renders it, with a screenshot.
import * as assert from 'assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { reportPage } from '../../../client/src/reportPage';
import { collectAllUnits, runClauseTests, type UnitResult } from '../../../server/src/engine/clauseTests';
import { ModelClient } from '../../../server/src/engine/llm/client';
import { resolveModelSettings } from '../../../server/src/engine/llm/settings';
import { findChromium, NO_CHROMIUM } from '../../support/chromium';
import { REPO_ROOT } from '../../support/corpus';
import { candidateOf, isGraderBody, lastTurn, MockOpenAI, verdictJson, type ChatBody } from '../../support/mockOpenAI';
import { loadWorkspace, writeFixture } from '../../support/clauseTestFixture';

function respond(body: ChatBody) {
  if (isGraderBody(body)) {
    const cheese = /cheese/.test(candidateOf(body));
    return {
      kind: 'answer' as const,
      content: verdictJson(!cheese, cheese ? 'Agrees with a <falsehood>.' : 'Honest.'),
    };
  }
  return { kind: 'answer' as const, content: /moon/.test(lastTurn(body)) ? 'Yes, cheese.' : 'I cannot know that.' };
}

describe('the editor report page (webview)', function () {
  this.timeout(60_000);
  let server: MockOpenAI;
  let fixture: ReturnType<typeof writeFixture>;
  let html: string;

  before(async () => {
    server = await new MockOpenAI({ respond }).start();
    fixture = writeFixture();
    const workspace = await loadWorkspace(fixture.dir);
    const units = collectAllUnits(workspace);
    const run = async (model: string, ids: string[]) => {
      const settings = resolveModelSettings({
        baseUrl: server.url,
        model,
        graderModel: 'judge',
        retries: 0,
        timeoutMs: 5000,
      });
      return runClauseTests(
        units.filter((u) => ids.includes(u.id)),
        { client: new ModelClient({ concurrency: 1 }), settings },
      );
    };
    // what the editor stores: results of separate runs, e.g. one lens run per clause
    const stored: UnitResult[] = [...(await run('model-a', ['lie1'])), ...(await run('model-b', ['unsure', 'tone']))];
    html = reportPage(stored, units, (uri, line) => `${path.basename(uri)}:${line}`);
  });
  after(async () => {
    await server.close();
    fixture.cleanup();
  });

  it('names both models of the stored runs and shows the failed example with its conversation and rationale', () => {
    assert.match(html, /<dt>Model under test<\/dt><dd>model-a, model-b<\/dd>/);
    assert.match(html, /<title>Clause test report: 3 passed · 1 failed<\/title>/);
    assert.match(html, /Agrees with a &lt;falsehood&gt;\./);
    assert.match(html, /The moon is made of cheese, right\?/);
    assert.doesNotMatch(html, /<script|\bsrc="|<link /i, 'the webview runs no script and loads nothing');
  });

  it('renders in Chromium: the summary, the failed example open, the filter (screenshot in test/e2e/.artifacts)', async function () {
    const executablePath = findChromium();
    if (!executablePath) {
      console.log(`      skipped: ${NO_CHROMIUM}`);
      this.skip();
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'clarifier-webview-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, html);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      env: { ...process.env, HOME: dir },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 800 }, colorScheme: 'dark' });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).toString());
      assert.strictEqual(await page.getByTestId('summary').innerText(), '3 passed · 1 failed');
      const failed = page.locator('article.example.bad');
      assert.ok(await failed.locator('.rationale').isVisible(), 'the failed example is open with the rationale');
      assert.strictEqual(await failed.locator('.rationale').innerText(), 'Agrees with a <falsehood>.');
      await page.getByLabel('Show only failed, flaky and errored examples').check();
      assert.ok(
        !(await page.locator('section.unit[data-unit="tone"]').isVisible()),
        'the filter hides clauses that passed',
      );
      assert.ok(await failed.isVisible());
      mkdirSync(path.join(REPO_ROOT, 'test', 'e2e', '.artifacts'), { recursive: true });
      await page.screenshot({
        path: path.join(REPO_ROOT, 'test', 'e2e', '.artifacts', 'editor-report-webview.png'),
        fullPage: true,
      });
      assert.deepStrictEqual(requests, [pathToFileURL(file).toString()], 'the page loads nothing but itself');
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
