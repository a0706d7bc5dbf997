import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    // Two cores on CI: integration tests spawn servers, so keep concurrency modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
