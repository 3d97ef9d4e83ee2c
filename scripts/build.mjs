// Bundles the client, the server and the CLI into CommonJS for Node and VS Code's extension host.
// The unified/remark packages are ESM-only; bundling them avoids require() of ESM at run time.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: true,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
};
const builds = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts', lint: 'server/src/cli/lintCommand.ts', 'clause-tests': 'server/src/cli/testCommand.ts', deep: 'server/src/cli/deepCommand.ts', precedent: 'server/src/cli/precedentCommand.ts' } },
];
for (const options of builds) {
  const config = { ...common, ...options, outdir: 'dist' };
  if (watch) await (await esbuild.context(config)).watch();
  else await esbuild.build(config);
}
