// ESLint (flat config). Besides a few correctness rules, it enforces the architecture:
//  - the engine (server/src/engine) knows nothing of the editor, the LSP connection or Node: hosts
//    inject the file system, caches and logger (server/src/node has the Node implementations);
//  - the server (server.ts, handlers/) and the CLI reach the engine only through its facade,
//    engine/languageService.ts (the CLI's model commands also through engine/modelFeatures.ts);
//  - the client reaches the server only through the wire protocol, the model-features module and
//    the disk cache it shares with the CLI.
// Formatting is Prettier's business (npm run format:check), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/e2e/.artifacts/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // the type checker already reports these (noUnusedLocals, noUnusedParameters)
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': 'off',
      // test doubles and JSON from models are typed at the boundary with casts where it helps
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-control-regex': 'off',
      'no-useless-escape': 'off',
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'The engine knows nothing of the editor: return plain data and let the client show it.',
            },
            {
              name: 'vscode-languageserver',
              message:
                'The engine has no LSP connection: use vscode-languageserver-types/-protocol for data types; server/src/handlers wires requests.',
            },
            {
              name: 'vscode-languageserver/node',
              message:
                'The engine has no LSP connection: use vscode-languageserver-types/-protocol for data types; server/src/handlers wires requests.',
            },
            ...NODE_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({
              name,
              message:
                'The engine uses no Node built-in: take a FileSystem, ResultCache or Logger from the host (implementations in server/src/node).',
            })),
          ],
          patterns: [
            {
              group: ['**/node/*', '**/handlers/*', '**/cli/*', '**/server', '**/serverContext', '**/client/src/**'],
              message:
                'The engine depends on no host: the server, the CLI and the client depend on it, not the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // the server wires the connection; it reaches the engine only through the facade
    files: ['server/src/server.ts', 'server/src/serverContext.ts', 'server/src/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/(?!languageService$)',
              message:
                'The server reaches the engine only through its facade (server/src/engine/languageService: createLanguageService and the types it exports); add what a handler needs there.',
            },
          ],
        },
      ],
    },
  },
  {
    // the CLI is another host of the same facade; its model commands use the model features, as the client does
    files: ['server/src/cli.ts', 'server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/(?!(languageService|modelFeatures)$)',
              message:
                'The CLI reaches the engine only through its facade (server/src/engine/languageService) and, for model calls, server/src/engine/modelFeatures.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)server/src/(?!(protocol|engine/modelFeatures|node/diskCache)$)',
              message:
                'The client imports only the wire protocol (server/src/protocol), the model features (server/src/engine/modelFeatures) and the disk cache (server/src/node/diskCache) of the server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'bin/**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
