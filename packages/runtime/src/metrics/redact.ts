/**
 * A URL as it may appear in a message: user name, password and query values replaced, so a
 * token in `https://user:token@push.example/` or `?token=...` never reaches a terminal or a log.
 */
export function redactUrl(url: string | URL): string {
  let u: URL
  try {
    u = new URL(String(url))
  } catch {
    return '(invalid URL)'
  }
  if (u.username || u.password) {
    u.username = '***'
    u.password = ''
  }
  for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***')
  return u.toString()
}

/** The `Authorization` header for a URL's credentials, or undefined when it has none. */
export function basicAuth(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
}
