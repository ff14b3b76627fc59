import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { REPO_ROOT } from './cache-bundle.js'

const bundles = new Map<string, Promise<string>>()
let dir: string | undefined

/**
 * A runtime service's source (`monitor`, `metrics`) bundled into one ES module for child
 * processes (Node 20 cannot run the .ts source, and tests must not depend on a stale dist/).
 * It lives under node_modules/.cache so the child resolves prom-client from the repository.
 */
export function serviceModuleForChildren(service: 'monitor' | 'metrics' | 'metrics/pushgateway'): Promise<string> {
  let bundle = bundles.get(service)
  if (!bundle) {
    dir ??= path.join(REPO_ROOT, 'node_modules', '.cache', 'runtime-tests', `svc-${process.pid}-${Date.now()}`)
    mkdirSync(dir, { recursive: true })
    const outfile = path.join(dir, `${service.replace('/', '-')}.mjs`)
    bundle = build({
      // A service's index, or one of its modules for tests of its internals.
      entryPoints: [path.join(REPO_ROOT, `packages/runtime/src/${service}${service.includes('/') ? '.ts' : '/index.ts'}`)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: ['prom-client'],
      logLevel: 'silent',
    }).then(() => outfile)
    bundles.set(service, bundle)
  }
  return bundle
}

/** Removes this process's bundles (call from afterAll). */
export function removeServiceBundles(): void {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
  bundles.clear()
}
