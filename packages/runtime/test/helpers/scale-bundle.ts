import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { REPO_ROOT } from './cache-bundle.js'

let bundle: Promise<string> | undefined
let bundleDir: string | undefined

/**
 * The scale source bundled into one ES module for child processes (Node 20 cannot run the .ts
 * source, and the tests must not depend on a stale dist/). Its libraries stay external and resolve
 * from the repository's node_modules, like an installed CLI's.
 */
export function scaleModuleForChildren(): Promise<string> {
  bundle ??= (async () => {
    const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'runtime-tests', `scale-${process.pid}-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    bundleDir = dir
    const outfile = path.join(dir, 'scale.mjs')
    await build({
      entryPoints: [path.join(REPO_ROOT, 'packages/runtime/src/scale/index.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['bullmq', 'ioredis', 'piscina', 'p-limit', 'p-map'],
      logLevel: 'silent',
    })
    return outfile
  })()
  return bundle
}

export function removeScaleBundle(): void {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
  bundle = undefined
  bundleDir = undefined
}
