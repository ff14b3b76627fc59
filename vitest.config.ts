import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const pluginSrc = fileURLToPath(new URL('./packages/unplugin-cli-optimizer/src/', import.meta.url))

export default defineConfig({
  resolve: {
    // Tests run the plugin from source, so they never see a stale dist/.
    alias: [
      { find: /^unplugin-cli-optimizer$/, replacement: `${pluginSrc}index.ts` },
      { find: /^unplugin-cli-optimizer\/(vite|rollup|esbuild|rolldown)$/, replacement: `${pluginSrc}$1.ts` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Wall-clock accuracy checks run apart (vitest.accuracy.config.ts, npm run test:accuracy).
    exclude: ['**/node_modules/**', '**/*.accuracy.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Builds and child processes dominate; two cores, so few files in parallel.
    maxWorkers: 2,
  },
})
