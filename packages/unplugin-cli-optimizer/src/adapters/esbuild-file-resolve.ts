import { readdirSync, realpathSync, statSync } from 'node:fs'
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
export interface FileResolve {
  (specifier: string, resolveDir: string): string | undefined
  /** Forgets the folders read (at the start of each build: files may have changed since). */
  reset(): void
}

const DEFAULT_EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js', '.css', '.json']
/** Plugin names of this package's own esbuild plugin (unplugin's host of our capabilities). */
const OWN_PLUGIN = /^(?:unplugin-host:)?cli-optimizer(?::|$)/
const FILE_SPECIFIER = /^(?:\.\.?\/|\/)/

const resolvers = new WeakMap<PluginBuild, FileResolve | null>()

type EntryKind = 'file' | 'link' | 'other'

/** A folder's entries by name, read once per build (as esbuild itself does); empty when unreadable. */
function readEntries(dir: string): Map<string, EntryKind> {
  const entries = new Map<string, EntryKind>()
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      entries.set(entry.name, entry.isFile() ? 'file' : entry.isSymbolicLink() ? 'link' : 'other')
    }
  } catch {
    // Missing or unreadable: nothing resolves here; build.resolve() decides.
  }
  return entries
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
      const folders = new Map<string, Map<string, EntryKind>>()
      const realDirs = new Map<string, string | null>()
      const realPath = (file: string): string | undefined => {
        try {
          return realpathSync.native(file)
        } catch {
          return undefined
        }
      }
      /** The resolved path of `file` when it is a file (or a link to one), else undefined. */
      const asFile = (file: string): string | undefined => {
        const dir = path.dirname(file)
        let entries = folders.get(dir)
        if (!entries) folders.set(dir, (entries = readEntries(dir)))
        const kind = entries.get(path.basename(file))
        if (kind === undefined || kind === 'other') return undefined
        if (kind === 'link') return statSync(file, { throwIfNoEntry: false })?.isFile() ? (options.preserveSymlinks ? file : realPath(file)) : undefined
        if (options.preserveSymlinks) return file
        // A file's real path is its folder's (one lookup per folder) and its name.
        let realDir = realDirs.get(dir)
        if (realDir === undefined) realDirs.set(dir, (realDir = realPath(dir) ?? null))
        return realDir === null ? undefined : path.join(realDir, path.basename(file))
      }
      const resolve = (specifier: string, resolveDir: string): string | undefined => {
        if (!FILE_SPECIFIER.test(specifier) || /[?#]/.test(specifier) || !resolveDir) return undefined
        if (specifier.endsWith('/')) return undefined
        const base = path.resolve(resolveDir, specifier)
        const exact = asFile(base)
        if (exact !== undefined) return exact
        for (const extension of extensions) {
          const found = asFile(base + extension)
          if (found !== undefined) return found
        }
        return undefined
      }
      resolver = Object.assign(resolve, {
        reset: () => {
          folders.clear()
          realDirs.clear()
        },
      })
    } else {
      resolver = null
    }
    resolvers.set(build, resolver)
  }
  return resolver ?? undefined
}
