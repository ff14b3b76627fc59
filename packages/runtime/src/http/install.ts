/**
 * `@cli-optimizer/runtime/http/install`: what the bootstrap's lazy `globalThis.fetch` loads on its
 * first call (`runtime: { http: {...} }` in the plugin options). It creates the pooled client from
 * the injected options and puts its `fetch` in place of the lazy one, so later calls go straight to
 * the pool; code that kept a reference to the lazy one still works through it.
 */
import { injectedOptions } from '../injected-config.js'
import { createHttp, type Http } from './http-client.js'
import { setBuiltinFetch } from './http-fetch.js'
import type { HttpOptions } from './http-options.js'

let installed: Http | undefined

/** The client behind the installed `globalThis.fetch`, for its stats and events (undefined before the first fetch). */
export function installedHttp(): Http | undefined {
  return installed
}

/** Creates the client from the injected options and installs its `fetch`; `original` is the built-in one. */
export function install(original: typeof globalThis.fetch): typeof globalThis.fetch {
  if (!installed) {
    setBuiltinFetch(original)
    installed = createHttp(injectedOptions<HttpOptions>('http') ?? {})
    globalThis.fetch = installed.fetch
  }
  return installed.fetch
}
