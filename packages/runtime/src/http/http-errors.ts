/**
 * Typed errors of the HTTP client. Messages name the method, the origin (never credentials, never
 * the path or query, which may carry tokens), the attempt count and the elapsed time.
 */

/** Stable codes of {@link HttpError} and {@link HttpFetchError}. */
export type HttpErrorCode =
  | 'CLI_OPTIMIZER_HTTP_DEADLINE'
  | 'CLI_OPTIMIZER_HTTP_CONNECT_TIMEOUT'
  | 'CLI_OPTIMIZER_HTTP_HEADERS_TIMEOUT'
  | 'CLI_OPTIMIZER_HTTP_BODY_TIMEOUT'
  | 'CLI_OPTIMIZER_HTTP_DNS'
  | 'CLI_OPTIMIZER_HTTP_CONNECTION_REFUSED'
  | 'CLI_OPTIMIZER_HTTP_SOCKET'
  | 'CLI_OPTIMIZER_HTTP_TLS'
  | 'CLI_OPTIMIZER_HTTP_PROXY'
  | 'CLI_OPTIMIZER_HTTP_CLOSED'
  | 'CLI_OPTIMIZER_HTTP_NETWORK'

/** What every typed error carries besides its code. */
export interface HttpErrorDetails {
  /** `https://host:port` of the request (no credentials). */
  origin: string
  method: string
  /** Attempts made, the failing one included. */
  attempts: number
  /** Milliseconds from the call to the failure. */
  elapsedMs: number
}

const DESCRIPTIONS: Record<HttpErrorCode, string> = {
  CLI_OPTIMIZER_HTTP_DEADLINE: 'deadline exceeded',
  CLI_OPTIMIZER_HTTP_CONNECT_TIMEOUT: 'connect timeout',
  CLI_OPTIMIZER_HTTP_HEADERS_TIMEOUT: 'headers timeout',
  CLI_OPTIMIZER_HTTP_BODY_TIMEOUT: 'body timeout',
  CLI_OPTIMIZER_HTTP_DNS: 'host name not resolved',
  CLI_OPTIMIZER_HTTP_CONNECTION_REFUSED: 'connection refused',
  CLI_OPTIMIZER_HTTP_SOCKET: 'connection closed or reset by the other side',
  CLI_OPTIMIZER_HTTP_TLS: 'TLS failure',
  CLI_OPTIMIZER_HTTP_PROXY: 'proxy failure',
  CLI_OPTIMIZER_HTTP_CLOSED: 'the client is closed',
  CLI_OPTIMIZER_HTTP_NETWORK: 'network error',
}

function describeFailure(code: HttpErrorCode, details: HttpErrorDetails, extra: string | undefined): string {
  const attempts = details.attempts === 1 ? '1 attempt' : `${details.attempts} attempts`
  return `${details.method} ${details.origin}: ${DESCRIPTIONS[code]}${extra ? ` (${extra})` : ''} after ${attempts} in ${Math.round(details.elapsedMs)} ms`
}

/** A failed `request()`. `cause` is the underlying error (undici's or Node's). */
export class HttpError extends Error implements HttpErrorDetails {
  readonly code: HttpErrorCode
  readonly origin: string
  readonly method: string
  readonly attempts: number
  readonly elapsedMs: number

  constructor(code: HttpErrorCode, details: HttpErrorDetails, options?: { cause?: unknown; extra?: string }) {
    super(describeFailure(code, details, options?.extra), options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'HttpError'
    this.code = code
    this.origin = details.origin
    this.method = details.method
    this.attempts = details.attempts
    this.elapsedMs = details.elapsedMs
  }
}

/**
 * A failed `fetch()`: a `TypeError('fetch failed')` like the built-in fetch's, with the same kind
 * of `cause` (undici's or Node's error, so `err.cause.code === 'ECONNREFUSED'` keeps working), plus
 * the typed fields.
 */
export class HttpFetchError extends TypeError implements HttpErrorDetails {
  readonly code: HttpErrorCode
  readonly origin: string
  readonly method: string
  readonly attempts: number
  readonly elapsedMs: number

  constructor(from: HttpError) {
    super('fetch failed', { cause: from.code === 'CLI_OPTIMIZER_HTTP_DEADLINE' ? from : from.cause })
    this.code = from.code
    this.origin = from.origin
    this.method = from.method
    this.attempts = from.attempts
    this.elapsedMs = from.elapsedMs
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** The stable code of a low-level error (undici's `UND_ERR_*`, Node's `E*`, OpenSSL's). */
export function classify(error: unknown): HttpErrorCode {
  const err = error as { code?: unknown; name?: unknown } | null
  const code = typeof err?.code === 'string' ? err.code : ''
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'CLI_OPTIMIZER_HTTP_CONNECT_TIMEOUT'
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'CLI_OPTIMIZER_HTTP_HEADERS_TIMEOUT'
    case 'UND_ERR_BODY_TIMEOUT':
      return 'CLI_OPTIMIZER_HTTP_BODY_TIMEOUT'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return 'CLI_OPTIMIZER_HTTP_DNS'
    case 'ECONNREFUSED':
      return 'CLI_OPTIMIZER_HTTP_CONNECTION_REFUSED'
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
      return 'CLI_OPTIMIZER_HTTP_SOCKET'
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLIENT_DESTROYED':
      return 'CLI_OPTIMIZER_HTTP_CLOSED'
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.startsWith('CERT_')) {
    return 'CLI_OPTIMIZER_HTTP_TLS'
  }
  // undici reports a refused tunnel as an abort whose message names the proxy's answer.
  const message = (error as { message?: unknown } | null)?.message
  if (err?.name === 'ProxyError' || code === 'UND_ERR_PRX_TLS' || (typeof message === 'string' && message.startsWith('Proxy response'))) {
    return 'CLI_OPTIMIZER_HTTP_PROXY'
  }
  return 'CLI_OPTIMIZER_HTTP_NETWORK'
}

/** Errors a fresh attempt can cure: a reused socket the server had closed, a reset, a refused or slow connect. */
export function isRetryableError(code: HttpErrorCode): boolean {
  return code === 'CLI_OPTIMIZER_HTTP_SOCKET' || code === 'CLI_OPTIMIZER_HTTP_CONNECTION_REFUSED' || code === 'CLI_OPTIMIZER_HTTP_CONNECT_TIMEOUT'
}

/** `https://user:pass@host/p?q` → `https://host/p` (for messages; never shows credentials or queries). */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return value.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '')
  }
}
