/** Replaced by scripts/build.mjs (esbuild `define`) with package.json's version; absent when running from source. */
declare const __CLARIFIER_VERSION__: string | undefined;

/** The package version, for `clarifier --version`, SARIF output and the server's initialize result: package.json is its one source. */
export const VERSION: string =
  typeof __CLARIFIER_VERSION__ === 'string'
    ? __CLARIFIER_VERSION__
    : (require('../../../package.json') as { version: string }).version;
