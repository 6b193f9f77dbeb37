import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure logic, fast, parallel), `int` (one real stack per run, started by
// e2e/global-setup.ts; files run one at a time because they share it) and `isolated`: tests that
// restart the stack's MariaDB or reset its binlog, which the other tests' connectors would not
// survive in the same run (.ci/test runs them in a run, and so a stack, of their own).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.unit.test.ts'],
          exclude: ['node_modules/**', 'web/**'],
        },
      },
      {
        test: {
          name: 'int',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', 'web/**'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'isolated',
          include: ['**/*.isolated.test.ts'],
          exclude: ['node_modules/**', 'web/**'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
