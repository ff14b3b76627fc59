/**
 * `@cli-optimizer/runtime/http`: pooled HTTP for CLIs on undici 7's own Agent: a WHATWG `fetch`,
 * undici's `request` shape, retries, an own deadline, typed errors, counters and events, an HTTP
 * cache on `@cli-optimizer/runtime/cache`, and parallel resumable downloads.
 */
export { createHttp, type Http, type HttpRequestOptions, type HttpResponse } from './http-client.js'
export type { HttpOptions, HttpCacheOptions, RetryOptions } from './http-options.js'
export { HttpError, HttpFetchError, type HttpErrorCode, type HttpErrorDetails } from './http-errors.js'
export { HTTP_EVENTS_CHANNEL, type HttpEvent, type HttpEventListener, type HttpStats } from './http-events.js'
export type { DownloadOptions, DownloadProgress, DownloadResult } from './http-download.js'
