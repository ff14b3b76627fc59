import { realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import type { BuildOptions, PluginBuild } from 'esbuild'

/**
 * A relative (or absolute) import of a file that exists, answered in-process the way esbuild's
 * own resolver answers it, or `undefined` when only esbuild can say.
 *
 * Why: every `build.resolve()` makes esbuild build a fresh resolver, so it re-reads the
 * directories on the way (evanw/esbuild#3795), on top of the IPC round trips. On a project of
 * 2,000 modules behind barrels the walks need ~4,000 resolutions, which cost several times the
 * whole build of esbuild alone. A file path needs none of esbuild's package logic, so when
 * nothing can answer differently from the file system it is resolved here:
 * - no other esbuild plugin in the build (another one could claim any path);
 * - no `external` entry that could match a file path (wildcards, paths);
 * - no package `browser` maps (they can remap relative files: platform `browser`, or `browser`
 *   in `mainFields`).
 * The answer is esbuild's: the exact file if it is one, else the first `resolveExtensions`
 * suffix that is a file; symlinks resolved unless `preserveSymlinks`. Anything else (a folder,
 * a missing file, `.js` naming a `.ts` file, a query) falls back to `build.resolve()`.
 */
export type FileResolve = (specifier: string, resolveDir: string) => string | undefined

const DEFAULT_EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.css', '.json']
/** Plugin names of this package's own esbuild plugin (unplugin's host of our capabilities). */
const OWN_PLUGIN = /^(?:unplugin-host:)?cli-optimizer(?::|$)/
const FILE_SPECIFIER = /^(?:\.\.?\/|\/)/

const resolvers = new WeakMap<PluginBuild, FileResolve | null>()

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true
}

function canResolveFiles(options: BuildOptions): boolean {
  if ((options.plugins ?? []).some((plugin) => !OWN_PLUGIN.test(plugin.name))) return false
  if ((options.external ?? []).some((pattern) => pattern.includes('*') || pattern.startsWith('.') || path.isAbsolute(pattern))) return false
  if ((options.platform ?? 'browser') === 'browser' || options.mainFields?.includes('browser')) return false
  return true
}

/** The in-process file resolver for this build, or `undefined` when the build's options rule it out. */
export function esbuildFileResolver(build: PluginBuild): FileResolve | undefined {
  let resolver = resolvers.get(build)
  if (resolver === undefined) {
    const options = build.initialOptions
    if (canResolveFiles(options)) {
      const extensions = options.resolveExtensions ?? DEFAULT_EXTENSIONS
      const real = (file: string): string | undefined => {
        if (options.preserveSymlinks) return file
        try {
          return realpathSync.native(file)
        } catch {
          return undefined
        }
      }
      resolver = (specifier, resolveDir) => {
        if (!FILE_SPECIFIER.test(specifier) || /[?#]/.test(specifier) || !resolveDir) return undefined
        if (specifier.endsWith('/')) return undefined
        const base = path.resolve(resolveDir, specifier)
        if (isFile(base)) return real(base)
        for (const extension of extensions) {
          if (isFile(base + extension)) return real(base + extension)
        }
        return undefined
      }
    } else {
      resolver = null
    }
    resolvers.set(build, resolver)
  }
  return resolver ?? undefined
}
