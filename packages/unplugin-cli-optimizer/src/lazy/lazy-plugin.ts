import { isBuiltin } from 'node:module'
import path from 'node:path'
import MagicString from 'magic-string'
import type { UnpluginOptions } from 'unplugin'
import { bundlerResolver } from '../adapters/resolve.js'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import type { Report, ReportTransform } from '../report/report-types.js'
import { DeferredSubgraph, fileOfId } from './deferred-subgraph.js'
import { findLazyCandidates, type LazyCandidate } from './find-lazy-candidates.js'
import type { ResolvedLazyOptions } from './lazy-options.js'
import { deadlockFreeResolver } from './resolve-relative.js'
import { FACADE_ID, facadeSource, facadeSpecifier } from './lazy-facade.js'
import { LAZY_PREFIX, rewriteLazyImport } from './rewrite-lazy-imports.js'

/** Only modules with both an import and an async function can have anything to defer. */
const LAZY_CODE = /\bimport\b[\s\S]*\basync\b|\basync\b[\s\S]*\bimport\b/
const NODE_MODULES = /[\\/]node_modules[\\/]/

export interface LazyImportTransform extends ReportTransform {
  kind: 'lazy-import'
  importer: string
  line: number
  column: number
  source: string
  /** Bytes of the deferred graph that ended up outside every entry's initial load. */
  bytes: number
  /** Applied deferrals: whether the imported module really left the initial load. */
  effective?: boolean
  /** Applied deferrals: `after-await` when every use follows an await of its function. */
  order?: 'after-await' | 'callers-await'
}

interface AppliedDeferral {
  record: LazyImportTransform
  importedId: string
  modules: string[]
}

/**
 * What the loader imports: a facade of just the used names for an ES module the bundler would
 * otherwise tree-shake; the module itself for namespace imports (every export may be read) and
 * CommonJS (nothing to tree-shake, and its interop needs the real namespace).
 */
function loadSpecifier(candidate: LazyCandidate, resolvedId: string, commonjs: boolean): string {
  const file = fileOfId(resolvedId)
  if (commonjs || !path.isAbsolute(file) || candidate.uses.some((use) => use.binding.kind === 'namespace')) return candidate.source
  const names = candidate.uses.map((use) => (use.binding.kind === 'named' ? use.binding.name : 'default'))
  return names.length === 0 ? candidate.source : facadeSpecifier(file, names)
}

/**
 * Automatic deferral of imports only async code needs: see `docs/lazy-imports.md`. Runs on the
 * app's modules and on packages; the bundler then puts the deferred module, and whatever only it
 * needs, in chunks loaded on first use.
 */
export function lazyPlugin(ctx: CliOptimizerContext, options: ResolvedLazyOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  let subgraph: DeferredSubgraph | undefined
  let applied: AppliedDeferral[] = []

  ctx.reportExtensions.push((report) => settleDeferrals(report, applied, ctx.displayId))

  return {
    name: 'cli-optimizer:lazy',
    buildStart() {
      subgraph = undefined
      applied = []
    },
    resolveId: {
      filter: { id: FACADE_ID },
      handler(id) {
        return FACADE_ID.test(id) ? id : undefined
      },
    },
    load: {
      filter: { id: FACADE_ID },
      handler(id) {
        return facadeSource(id)
      },
    },
    transform: {
      filter: { id: { include: options.include, exclude: options.exclude }, code: LAZY_CODE },
      async handler(code, id) {
        if (code.includes(LAZY_PREFIX)) return undefined
        let candidates: LazyCandidate[]
        try {
          candidates = findLazyCandidates(parseModule(code, id))
        } catch {
          return undefined // the core plugin reports the app's syntax errors; packages are not ours to fail
        }
        if (candidates.length === 0) return undefined
        const resolve = deadlockFreeResolver(bundlerResolver(this))
        subgraph ??= new DeferredSubgraph(resolve, ctx.displayId, (file) => ctx.generatedSources.get(file)?.(resolve))
        // Packages and code outside the project (e.g. the injected runtime) are not the user's to read about.
        const inPackage = NODE_MODULES.test(id) || !id.startsWith(ctx.options.root)
        const importer = ctx.displayId(id)
        const s = new MagicString(code)
        let index = 0

        for (const candidate of candidates) {
          // In packages, only imports that async code uses are worth a line in the report.
          if (inPackage && !candidate.usedInAsync) continue
          const record: LazyImportTransform = {
            kind: 'lazy-import',
            importer,
            line: candidate.line,
            column: candidate.column,
            source: candidate.source,
            applied: false,
            reason: '',
            bytes: 0,
          }
          const refuse = (reason: string): void => {
            record.reason = reason
            ctx.transforms.push(record)
          }
          if (candidate.refusal) {
            refuse(candidate.refusal)
            continue
          }
          if (isBuiltin(candidate.source)) {
            if (!inPackage) refuse('Node builtin: already in memory, nothing to split')
            continue
          }
          const resolved = await resolve(candidate.source, id)
          if (!resolved) {
            refuse('does not resolve')
            continue
          }
          if (resolved.external) {
            refuse('external module: not bundled, so not analysed')
            continue
          }
          const verdict = await subgraph.check(id, resolved.id)
          if (!verdict.ok) {
            refuse(verdict.reason)
            continue
          }
          const afterAwait = candidate.uses.every((use) => use.order === 'after-await')
          record.applied = true
          record.order = afterAwait ? 'after-await' : 'callers-await'
          record.reason = afterAwait
            ? `only used in async functions, after an await (${candidate.uses.length} use${candidate.uses.length === 1 ? '' : 's'}); ${verdict.modules.length} module(s) deferred`
            : `only used in async functions (${candidate.uses.length} use${candidate.uses.length === 1 ? '' : 's'}), first use before any await: correct when callers await the function; ${verdict.modules.length} module(s) deferred`
          ctx.transforms.push(record)
          applied.push({ record, importedId: fileOfId(resolved.id), modules: verdict.modules })
          rewriteLazyImport(s, candidate, index++, verdict.commonjs, loadSpecifier(candidate, resolved.id, verdict.commonjs))
        }
        if (index === 0) return undefined
        return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
      },
    },
  }
}

/**
 * After the build: a deferred module that still sits in an initial chunk (another module imports
 * it eagerly) was deferred correctly but saved nothing; say so. `bytes` is what really left the
 * initial load.
 */
function settleDeferrals(report: Report, applied: readonly AppliedDeferral[], displayId: (id: string) => string): void {
  const initial = new Set(report.entries.flatMap((entry) => entry.initialFiles))
  const chunkOf = new Map<string, { file: string; bytes: number }>()
  for (const chunk of report.chunks) {
    for (const module of chunk.modules) chunkOf.set(module.id, { file: chunk.file, bytes: module.bytes })
  }
  const find = (id: string): { file: string; bytes: number } | undefined => chunkOf.get(displayId(id)) ?? chunkOf.get(displayId(id.replace(/[?#].*$/, '')))
  for (const { record, importedId, modules } of applied) {
    record.bytes = modules.reduce((sum, id) => {
      const placed = find(id)
      return placed && !initial.has(placed.file) ? sum + placed.bytes : sum
    }, 0)
    const placed = find(importedId)
    if (!placed) {
      // Rendered to nothing (everything it exports is unused, or it was inlined): no bytes moved.
      record.effective = record.bytes > 0
      if (!record.effective) record.reason += '; the module rendered no code of its own in the output'
      continue
    }
    record.effective = !initial.has(placed.file)
    if (!record.effective) record.reason += `; not effective: ${displayId(importedId)} is also imported eagerly elsewhere and stays in the initial load (${placed.file})`
  }
}
