import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file opens its own database (PGlite in memory, or a schema of its own on
    // PostgreSQL), so files run in parallel without seeing each other's rows.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // fast-check: a fixed seed in CI (test/support/fast-check-seed.ts).
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
