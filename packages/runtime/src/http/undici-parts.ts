/**
 * The parts of undici 7 the client uses, imported by path instead of through `undici`'s index. The
 * index loads everything (fetch, WebSocket, mocks, the SQLite cache store) and, once a bundler
 * hoists its lazy `require('node:sqlite')` to a static import (Rollup's CommonJS plugin does), a
 * bundled CLI fails to start on Node 20, which has no `node:sqlite`. These modules never reach
 * that require, and load in about half the time of the index.
 */
import api from 'undici/lib/api/index.js'
import Agent from 'undici/lib/dispatcher/agent.js'
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js'
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import cache from 'undici/lib/interceptor/cache.js'
import deduplicate from 'undici/lib/interceptor/deduplicate.js'
import redirect from 'undici/lib/interceptor/redirect.js'

// What undici's index does to give every dispatcher `request()`, `stream()`...: the same
// assignment, made once whichever of the two loads first.
if (typeof Dispatcher.prototype.request !== 'function') Object.assign(Dispatcher.prototype, api)

export { Agent, EnvHttpProxyAgent }
export const interceptors = { cache, deduplicate, redirect }
