import { readFileSync } from 'node:fs'

/** Replaced by the bin's build (esbuild `define`), so `--version` reads no file. */
declare const __CLI_OPTIMIZER_VERSION__: string | undefined

/** The package version: inlined in the built bin, read from package.json when run from source. */
export function packageVersion(): string {
  if (typeof __CLI_OPTIMIZER_VERSION__ === 'string') return __CLI_OPTIMIZER_VERSION__
  // From source (src/cli/) and from tsc's output (dist/cli/) alike, package.json is two folders up.
  const manifest = '../../package.json'
  return (JSON.parse(readFileSync(new URL(manifest, import.meta.url), 'utf8')) as { version: string }).version
}
