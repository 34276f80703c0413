import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared-types/src/**/*.test.ts',
            'miniapp/src/**/*.test.ts',
            'bff/src/**/*.unit.test.ts',
            'bff/test/**/*.unit.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['bff/src/**/*.int.test.ts', 'bff/test/**/*.int.test.ts'],
          globalSetup: ['bff/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['miniapp/e2e/**/*.e2e.ts'],
          globalSetup: ['miniapp/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
