// Types of the undici modules `undici-parts.ts` imports by path (undici ships types for its index only).
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici'
  const value: typeof Agent
  export default value
}
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici'
  const value: typeof EnvHttpProxyAgent
  export default value
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const value: { prototype: Record<string, unknown> }
  export default value
}
declare module 'undici/lib/api/index.js' {
  const value: Record<string, unknown>
  export default value
}
declare module 'undici/lib/interceptor/deduplicate.js' {
  import type { interceptors } from 'undici'
  const value: typeof interceptors.deduplicate
  export default value
}
declare module 'undici/lib/interceptor/cache.js' {
  import type { interceptors } from 'undici'
  const value: typeof interceptors.cache
  export default value
}
declare module 'undici/lib/interceptor/redirect.js' {
  import type { interceptors } from 'undici'
  const value: typeof interceptors.redirect
  export default value
}
