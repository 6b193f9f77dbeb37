// Lint: typescript-eslint's recommended rules, Prettier for layout, and the project's layer
// boundaries. Imports run one way, from entry points down to core/; nothing imports a main.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

/**
 * Each folder and what it may import (besides itself and packages). Lower layers never import
 * higher ones. Tests may also reach the test harness (e2e/) and, for integration, the stack.
 */
const LAYERS = {
  core: [],
  streams: ['core'],
  prisma: ['core', 'streams'],
  features: ['core', 'streams'],
  connect: ['core'],
  shop: ['core', 'streams', 'prisma', 'features'],
  model: ['core', 'streams', 'prisma', 'features', 'shop'],
  stack: ['core', 'streams', 'prisma', 'connect'],
  consumers: ['core', 'streams', 'prisma', 'features', 'model'],
  api: ['core', 'streams', 'prisma', 'features'],
  e2e: ['core', 'streams', 'prisma', 'features', 'connect', 'shop', 'model', 'stack', 'consumers', 'api'],
  bench: ['core', 'streams', 'prisma', 'features', 'connect', 'shop', 'model', 'stack', 'consumers', 'api', 'e2e'],
  faults: ['core', 'streams', 'prisma', 'features', 'connect', 'shop', 'model', 'stack', 'consumers', 'e2e'],
  cli: [
    'core',
    'streams',
    'prisma',
    'features',
    'connect',
    'shop',
    'model',
    'stack',
    'consumers',
    'api',
    'bench',
    'faults',
  ],
};
const ALL = Object.keys(LAYERS);
/**
 * A layer that may reach one part of a higher one: the API promotes and rolls back models through
 * model/registry (the one writer of the champion, as the CLI does), and nothing else of model/.
 */
const PARTIAL = { api: { model: ['./registry'] } };
const TEST_EXTRA = ['e2e', 'stack', 'streams'];

function zones(forTests) {
  return Object.entries(LAYERS).flatMap(([target, allowed]) => {
    const ok = new Set([target, ...allowed, ...(forTests ? TEST_EXTRA : [])]);
    const partial = PARTIAL[target] ?? {};
    const from = ALL.filter((f) => !ok.has(f) && !partial[f]).map((f) => `./${f}`);
    const message = `${target}/ may not import this layer`;
    const zone = from.length ? [{ target: `./${target}`, from, message }] : [];
    const parts = Object.entries(partial).map(([f, except]) => ({
      target: `./${target}`,
      from: `./${f}`,
      except,
      message: `${target}/ may import only ${except.join(', ')} of ${f}/`,
    }));
    return [...zone, ...parts];
  });
}

const boundaries = (forTests) => ({
  'import-x/no-restricted-paths': ['error', { zones: zones(forTests) }],
  'no-restricted-imports': [
    'error',
    { patterns: [{ regex: '(^|/)main\\.ts$', message: 'an entry point is never imported' }] },
  ],
});

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'web/**', 'prisma/generated/**', '.stack*/**', '.models/**', '.ci-out/**', 'dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      ...boundaries(false),
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  { files: ['**/*.test.ts', 'e2e/**/*.ts'], rules: { ...boundaries(true), 'max-lines': 'off' } },
  prettier,
);
