import { defineConfig } from 'vitest/config';
import { nodeRuntimeResolver } from './scripts/vite-node-runtime.ts';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [nodeRuntimeResolver()],
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.edge.test.ts', '**/node_modules/**', '**/dist/**'],
          setupFiles: ['./scripts/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'edge',
          include: ['packages/*/test/**/*.edge.test.ts'],
          setupFiles: ['./scripts/test-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
