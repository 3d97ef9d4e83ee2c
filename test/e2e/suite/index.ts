// Entry point the extension host loads (extensionTestsPath): runs the bundled *.test.js files
// beside it with mocha and reports through the console and a result file.
import { readdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: E2eReporter });
  const grep = process.env.CLARIFIER_E2E_GREP;
  // "a|b" runs the tests whose titles contain a or b; each part is plain text, not a pattern
  if (grep)
    mocha.grep(
      new RegExp(
        grep
          .split('|')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|'),
      ),
    );
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, file));
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} e2e test(s) failed`);
}

/**
 * Plain lines with an "[e2e]" prefix: under code-server they reach the runner through the page
 * console, mixed with the workbench's own messages, and the prefix tells them apart.
 */
class E2eReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const failures: string[] = [];
    let passed = 0;
    const print = (line: string) => console.log(`[e2e] ${line}`);
    runner.on('suite', (suite) => suite.title && print(suite.title));
    runner.on('pass', (test) => {
      passed++;
      print(`  ✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, error: Error) => {
      failures.push(`${test.fullTitle()}: ${error.message}`);
      print(
        `  ✘ ${test.title}\n      ${String(error.stack ?? error.message)
          .split('\n')
          .slice(0, 6)
          .join('\n      ')}`,
      );
    });
    runner.on('pending', (test) => print(`  - ${test.title} (skipped)`));
    runner.once('end', () => {
      print(`${passed} passing, ${failures.length} failing`);
      const resultFile = process.env.CLARIFIER_E2E_RESULT;
      if (resultFile) writeFileSync(resultFile, JSON.stringify({ passed, failed: failures.length, failures }));
    });
  }
}
