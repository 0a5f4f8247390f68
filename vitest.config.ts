import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'api', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/e2e/**'], testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        // Browser end-to-end tests (test/e2e/support/browser.ts): a real Chromium, the built web app.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 300_000 },
      },
    ],
  },
});
