// Runs every test tier in order, streams their output, and ends with one plain summary line
// ("N passed, M failed") that CI reads. Usage: node scripts/run-tests.mjs [tier ...]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const tiers = [
  { name: 'typecheck', cmd: [npx, 'tsc', '-b'], counts: false },
  { name: 'build', cmd: [process.execPath, 'scripts/build.mjs'], counts: false },
  // tiers by what they start: nothing but the engine in-process (engine), the built CLI (cli), the language
  // server process (lsp), a real VS Code (e2e); tests of model features start the local mock model server too
  { name: 'engine', config: 'test/.mocharc.engine.json' },
  { name: 'cli', config: 'test/.mocharc.cli.json' },
  { name: 'lsp', config: 'test/.mocharc.lsp.json' },
  { name: 'e2e', cmd: [process.execPath, 'test/e2e/run.mjs'], optionalFile: 'test/e2e/run.mjs' },
];
const wanted = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];

function run(tier) {
  const cmd = tier.cmd ?? [npx, 'mocha', '--config', tier.config];
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

for (const tier of tiers) {
  if (wanted.length && !wanted.includes(tier.name)) continue;
  if (tier.config && !existsSync(tier.config)) continue;
  if (tier.optionalFile && !existsSync(tier.optionalFile)) continue;
  console.log(`\n=== ${tier.name} ===`);
  const { code, text } = await run(tier);
  let tierPassed = 0;
  let tierFailed = 0;
  const mochaPassing = [...text.matchAll(/^\s*(\d+) passing/gm)].pop();
  const mochaFailing = [...text.matchAll(/^\s*(\d+) failing/gm)].pop();
  const plain = [...text.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  if (plain) {
    tierPassed = Number(plain[1]);
    tierFailed = Number(plain[2]);
  } else if (mochaPassing || mochaFailing) {
    tierPassed = Number(mochaPassing?.[1] ?? 0);
    tierFailed = Number(mochaFailing?.[1] ?? 0);
  }
  if (code !== 0 && tierFailed === 0) tierFailed = 1; // a crash or a failed step counts as a failure
  passed += tierPassed;
  failed += tierFailed;
  if (code !== 0) failures.push(tier.name);
  if (tier.counts === false && code !== 0) break; // nothing after a failed build is meaningful
}
if (failures.length) console.log(`\nFailed tiers: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
