import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fromRoot = (dir: string) => fileURLToPath(new URL(`../../${dir}`, import.meta.url));

/**
 * End-to-end tests: one production server (started by the global setup) shared
 * by every file; files run one after another so they never race for it.
 */
export default defineConfig({
  root,
  resolve: {
    alias: {
      '~': fromRoot('app'),
      '#db': fromRoot('db'),
      '#emails': fromRoot('emails'),
    },
  },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    // A browser test that fails once is a finding, not noise to retry away.
    retry: 0,
  },
});
