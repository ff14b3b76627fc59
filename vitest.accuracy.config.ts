import { defineConfig } from 'vitest/config'
import base from './vitest.config.js'

/**
 * Accuracy checks with wall-clock bounds (`*.accuracy.test.ts`): does a measuring tool report the
 * truth about work of known duration? A stall on a shared 2-core machine can break them, so they
 * run apart from `npm test` (`npm run test:accuracy`; .ci/run retries them).
 *
 * Built by spreading, not `mergeConfig`: mergeConfig concatenates arrays, which would keep the
 * base `include` (every test) and its `exclude` of the accuracy files, i.e. run everything else.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/**/*.accuracy.test.ts', 'packages/*/test/**/*.accuracy.test.ts'],
    exclude: ['**/node_modules/**'],
    maxWorkers: 1,
  },
})
