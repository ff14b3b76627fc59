import { rootCertificates } from 'node:tls'
import type { Agent as AgentType, Dispatcher } from 'undici'
import { Agent, EnvHttpProxyAgent, interceptors } from './undici-parts.js'
import type { ResolvedHttpOptions } from './http-options.js'
import type { HttpMonitor } from './http-events.js'
import { createHttpCacheStore } from './http-cache-store.js'

export interface HttpDispatchers {
  /** The pool itself: one undici Agent (a Pool per origin), or the proxy agent over such Agents. */
  base: Dispatcher
  /** What `request()` uses: the base with dedupe, cache and redirect interceptors as asked. */
  forRequest: Dispatcher
  /** What `fetch()` uses: like `forRequest` without redirect, which fetch does itself. */
  forFetch: Dispatcher
  close(): Promise<void>
}

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']

function targetOrigin(origin: unknown): string {
  return typeof origin === 'string' ? origin : origin instanceof URL ? origin.origin : String(origin)
}

/**
 * Builds the undici dispatchers of one client. undici 7's own Agent, never the one inside Node's
 * built-in fetch: an npm undici dispatcher handed to the built-in fetch breaks across versions.
 */
export function createDispatchers(options: ResolvedHttpOptions, monitor: HttpMonitor): HttpDispatchers {
  const agentOptions: AgentType.Options = {
    connections: options.connections,
    pipelining: options.pipelining,
    keepAliveTimeout: options.keepAliveTimeout,
    keepAliveMaxTimeout: options.keepAliveMaxTimeout,
    headersTimeout: options.headersTimeout,
    bodyTimeout: options.bodyTimeout,
    connect: {
      timeout: options.connectTimeout,
      // `ca` replaces Node's roots; keep them and add the user's.
      ...(options.ca ? { ca: [...rootCertificates, ...options.ca] } : {}),
    },
  }
  const useProxy = options.proxy === 'env' && PROXY_VARIABLES.some((name) => process.env[name])
  const base: Dispatcher = useProxy ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions)
  base.on('connect', (origin) => monitor.socket(targetOrigin(origin), 'open'))
  base.on('disconnect', (origin) => monitor.socket(targetOrigin(origin), 'close'))

  const shared: Dispatcher.DispatcherComposeInterceptor[] = []
  if (options.dedupe) shared.push(interceptors.deduplicate({ methods: ['GET', 'HEAD'] }))
  let closeStore: (() => Promise<void>) | undefined
  if (options.cache) {
    const store = createHttpCacheStore(options.cache, options.name)
    closeStore = () => store.close()
    shared.push(interceptors.cache({ store, methods: ['GET', 'HEAD'], type: 'private' }))
  }
  const forFetch = shared.length > 0 ? base.compose(...shared) : base
  const requestOnly: Dispatcher.DispatcherComposeInterceptor[] = []
  if (options.maxRedirections > 0) requestOnly.push(interceptors.redirect({ maxRedirections: options.maxRedirections }))
  const forRequest = requestOnly.length > 0 ? forFetch.compose(...requestOnly) : forFetch

  return {
    base,
    forRequest,
    forFetch,
    async close() {
      await base.close()
      await closeStore?.()
    },
  }
}
