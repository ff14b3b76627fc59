import { createRequire } from 'node:module'
import { stableJson, withoutDefaults } from './prune-defaults.js'
import type { RuntimeService } from './runtime-services.js'

type ResolveHttpOptions = (options: unknown, prefix: string) => unknown

/**
 * The runtime package's own validator (`@cli-optimizer/runtime/http/options`), so a bad option fails
 * the build with the message the runtime would give. Loaded with require(esm) when the option is
 * used, not imported: the plugin then builds without the runtime's `dist/` present.
 */
function validator(): ResolveHttpOptions {
  const mod = createRequire(import.meta.url)('@cli-optimizer/runtime/http/options') as { resolveHttpOptions: ResolveHttpOptions }
  return mod.resolveHttpOptions
}

/**
 * `runtime: { http: true | {...} }`: every `fetch` of the CLI and its dependencies goes through the
 * pooled client of `@cli-optimizer/runtime/http`, with no code change. The bootstrap only puts a
 * lazy `globalThis.fetch` in place (about 100 bytes); its first call loads the client (undici included)
 * and replaces itself, so a run that never fetches loads nothing more. Opt-in: it replaces a global.
 */
export const httpService: RuntimeService<Record<string, unknown>> = {
  key: 'http',
  resolve(path, value) {
    const resolve = validator()
    resolve(value, `${path}.`)
    // Only what differs from the defaults: the runtime fills them again, and these bytes load on every start.
    return withoutDefaults(value as Record<string, unknown>, (o) => stableJson(resolve(o, `${path}.`)))
  },
  bootstrapLines(_options, runtimeModule) {
    const install = JSON.stringify(runtimeModule('http/install'))
    // `f` is the built-in fetch, for what the pool does not handle (data: URLs, a caller's dispatcher).
    // install() replaces this function on the first call; later calls through a reference kept to
    // it only pay for a cached import(). Kept short: these bytes load on every start (a global
    // assignment, not `globalThis.fetch`; the bundler renames a module-level `f` if it must).
    return [`let f=fetch;fetch=async(i,o)=>(await import(${install})).install(f)(i,o);`]
  },
}
