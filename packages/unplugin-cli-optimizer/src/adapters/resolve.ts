import path from 'node:path'
import type { UnpluginBuildContext } from 'unplugin'
import { createProbe } from './resolve-probe.js'
import { esbuildFileResolver } from './esbuild-file-resolve.js'

/** Resolves an import the way the running bundler will; `null` when it cannot be resolved. */
export type Resolve = (specifier: string, importer: string) => Promise<ResolvedImport | null>

export interface ResolvedImport {
  id: string
  external: boolean
}

interface RollupLikeResolveContext {
  resolve(source: string, importer?: string, options?: { skipSelf?: boolean; custom?: Record<string, unknown> }): Promise<{ id: string; external: boolean | 'absolute' | 'relative' } | null>
}

/**
 * The bundler's own resolver, from inside any hook. Capabilities that follow imports (barrels,
 * lazy imports, side-effect inference) must land on the same file the bundler will load, with the
 * same `exports` conditions, so they never guess at resolution themselves.
 */
export function bundlerResolver(hookContext: UnpluginBuildContext): Resolve {
  const native = hookContext.getNativeBuildContext?.()
  if (native?.framework === 'esbuild') {
    const { build } = native
    const fileResolve = esbuildFileResolver(build)
    return async (specifier, importer) => {
      const file = fileResolve?.(specifier, path.dirname(importer))
      if (file !== undefined) return { id: file, external: false }
      const result = await build.resolve(specifier, {
        kind: 'import-statement',
        importer,
        resolveDir: path.dirname(importer),
      })
      if (result.errors.length > 0) return null
      return { id: result.path, external: result.external }
    }
  }
  const rollupLike = hookContext as unknown as RollupLikeResolveContext
  if (typeof rollupLike.resolve !== 'function') throw new Error('[cli-optimizer] this bundler gives plugins no resolver')
  return async (specifier, importer) => {
    // Through the probe: the file, without letting Rollup's CommonJS plugin load it first.
    const probe = createProbe()
    const result = await rollupLike.resolve(specifier, importer, { skipSelf: true, ...probe.options })
    if (probe.answered) return probe.result
    if (!result) return null
    return { id: result.id, external: result.external !== false }
  }
}
