import { readFileSync } from 'node:fs'

/**
 * The plugin's version, part of every cache key so a new release never trusts an older one's
 * results. `../../package.json` is the package manifest from both `src/cache/` and `dist/cache/`.
 */
export const PLUGIN_VERSION: string = (() => {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
    return manifest.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
})()
