import path from 'node:path'
import { resolveCacheDir } from '../barrels/shared-graph.js'
import { contentKey, createAnalysisCache, type AnalysisCache } from '../cache/analysis-cache.js'
import { PLUGIN_VERSION } from '../cache/plugin-version.js'
import { packageImportsOf, type PackageImportRecord } from '../report/package-imports.js'
import { parseModule } from './ast/parse-module.js'
import type { ResolvedOptions } from './options.js'

/**
 * The core plugin's syntax check, remembered by content: a module whose exact code parsed before
 * (in this build, or in an earlier one through the analysis cache in `cacheDir`) is not parsed
 * again, and its package imports (for the report) come from the cache. Code that does not parse
 * is never cached, so it fails every build with its file, line and column.
 */
export interface SyntaxCheck {
  /** Resolves once the results of earlier builds are readable; `check` before it only misses more. */
  ready(): Promise<void>
  /** The package imports of a module; throws a located `CliOptimizerError` when it does not parse. */
  check(code: string, id: string, displayId: string): PackageImportRecord[]
  readonly stats: AnalysisCache<PackageImportRecord[]>['stats']
}

/** Bump when what a cached result means changes. */
const SYNTAX_SCHEMA = 1

const checks = new WeakMap<ResolvedOptions, SyntaxCheck>()

export function syntaxCheckFor(options: ResolvedOptions): SyntaxCheck {
  let check = checks.get(options)
  if (!check) {
    const dir = resolveCacheDir(options.root, options.cacheDir)
    const cache = createAnalysisCache<PackageImportRecord[]>({
      dir: dir === false ? false : path.join(dir, 'syntax'),
      version: `${PLUGIN_VERSION}+syntax${SYNTAX_SCHEMA}`,
    })
    check = {
      stats: cache.stats,
      ready: () => cache.load(),
      check(code, id, displayId) {
        const key = contentKey('syntax', path.extname(id), code)
        const known = cache.peek(key)
        if (known) return known
        const imports = packageImportsOf(parseModule(code, id, displayId))
        void cache.set(key, imports)
        return imports
      },
    }
    checks.set(options, check)
  }
  return check
}
