/**
 * `@cli-optimizer/runtime/http/install`: what the bootstrap's lazy `globalThis.fetch` loads on its
 * first call (`runtime: { http: {...} }` in the plugin options). It creates the pooled client from
 * the injected options and puts its `fetch` in place of the lazy one, so later calls go straight to
 * the pool; code that kept a reference to the lazy one still works through it.
 *
 * This module imports the client dynamically and nothing heavy statically: it is then a chunk of
 * its own in every bundler. Rollup otherwise merges it with the client's modules that other chunks
 * share, and the bootstrap's `import()` of it grows by a namespace accessor on every start.
 */
import { injectedOptions } from '../injected-config.js'
import type { Http } from './http-client.js'
import type { HttpOptions } from './http-options.js'

let installed: Http | undefined
let loading: Promise<Http> | undefined

/** The client behind the installed `globalThis.fetch`, for its stats and events (undefined before the first fetch). */
export function installedHttp(): Http | undefined {
  return installed
}

function load(original: typeof globalThis.fetch): Promise<Http> {
  loading ??= Promise.all([import('./http-fetch.js'), import('./http-client.js')]).then(([{ setBuiltinFetch }, { createHttp }]) => {
    setBuiltinFetch(original)
    installed = createHttp(injectedOptions<HttpOptions>('http') ?? {})
    globalThis.fetch = installed.fetch
    return installed
  })
  return loading
}

/**
 * The pooled `fetch` once the client is loaded; until then a `fetch` that loads it (creating it
 * from the injected options, `original` being the built-in fetch) and then calls it.
 */
export function install(original: typeof globalThis.fetch): typeof globalThis.fetch {
  if (installed) return installed.fetch
  return (input, init) => load(original).then((http) => http.fetch(input, init))
}
