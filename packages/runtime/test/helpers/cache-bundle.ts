import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '../../../..')

let bundle: Promise<string> | undefined
let bundleDir: string | undefined

/** Removes this process's bundle (call from afterAll). */
export function removeChildBundle(): void {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true })
  bundle = undefined
  bundleDir = undefined
}

/**
 * The cache source bundled into one ES module for child processes (Node 20 cannot run the .ts
 * source and the tests must not depend on a stale dist/). It lives under node_modules/.cache so
 * the child resolves ioredis from the repository's node_modules.
 */
export function cacheModuleForChildren(): Promise<string> {
  bundle ??= (async () => {
    const dir = path.join(repoRoot, 'node_modules', '.cache', 'runtime-tests', `${process.pid}-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    bundleDir = dir
    const outfile = path.join(dir, 'cache.mjs')
    await build({
      entryPoints: [path.join(repoRoot, 'packages/runtime/src/cache/index.ts')],
      outfile,
      bundle: true,
      splitting: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['ioredis', 'lru-cache'],
      logLevel: 'silent',
    })
    return outfile
  })()
  return bundle
}

/**
 * The cache bundled with lru-cache inlined, in a directory from which `ioredis` cannot be
 * resolved: a process using it proves the memory and disk levels never import ioredis.
 */
export async function cacheModuleWithoutIoredis(dir: string): Promise<string> {
  const outfile = path.join(dir, 'cache-no-ioredis.mjs')
  await build({
    entryPoints: [path.join(repoRoot, 'packages/runtime/src/cache/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ioredis'],
    logLevel: 'silent',
  })
  return outfile
}

export const WORKERS_DIR: string = path.join(here, '..', 'workers')
export const REPO_ROOT: string = repoRoot
