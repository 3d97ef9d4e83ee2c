// Bundles the client, the server and the CLI into CommonJS for Node and VS Code's extension host.
// The unified/remark packages are ESM-only; bundling them avoids require() of ESM at run time.
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
// package.json is the one place the version is written; the bundles get it as a constant
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  define: { __CLARIFIER_VERSION__: JSON.stringify(version) },
};
const builds = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  {
    entryPoints: {
      server: 'server/src/server.ts',
      cli: 'server/src/cli.ts',
      lint: 'server/src/cli/lintCommand.ts',
      'clause-tests': 'server/src/cli/testCommand.ts',
      deep: 'server/src/cli/deepCommand.ts',
      precedent: 'server/src/cli/precedentCommand.ts',
      clarify: 'server/src/cli/clarifyCommand.ts',
    },
  },
];
for (const options of builds) {
  const config = { ...common, ...options, outdir: 'dist' };
  if (watch) await (await esbuild.context(config)).watch();
  else await esbuild.build(config);
}
