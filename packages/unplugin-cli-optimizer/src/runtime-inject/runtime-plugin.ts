import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { UnpluginOptions } from 'unplugin'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import { bootstrapSource } from './bootstrap-source.js'
import { PRELOAD_QUERY, preloadLine } from '../adapters/sync-load.js'
import type { ResolvedRuntimeOptions } from './runtime-options.js'

/**
 * The shim's id is the entry's own path plus a query: every bundler then names the entry chunk
 * as before and resolves the shim's folder like the entry's, and other plugins skip the id.
 */
const SHIM_QUERY = '?cli-optimizer-entry'
const SCRIPT = /\.[cm]?[jt]sx?$/

/** The runtime package's profiler, resolved from this plugin so the user need not depend on it. */
function profilerPath(): string {
  return createRequire(import.meta.url).resolve('@cli-optimizer/runtime/profile')
}

/** What the shim needs to know of an entry: exports make it a library entry, left unwrapped. */
function inspectEntry(file: string): { hasExports: boolean; hashbang: string | undefined } {
  const code = readFileSync(file, 'utf8')
  const ast = parseModule(code, file)
  const hasExports = ast.program.body.some(
    (s) => s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' || s.type === 'ExportAllDeclaration',
  )
  return { hasExports, hashbang: code.startsWith('#!') ? code.split('\n', 1)[0]!.trimEnd() : undefined }
}

/**
 * Injects the bootstrap: each entry becomes a tiny shim that enables the compile cache, records
 * the start mark, optionally starts the profiler and the named command's preload, then imports
 * the real entry. The bundler gives the shim the entry's name, so paths users run do not change.
 */
export function runtimePlugin(ctx: CliOptimizerContext, options: ResolvedRuntimeOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  const profiler = options.profile ? profilerPath() : undefined
  const hashbangs = new Map<string, string | undefined>()
  return {
    name: 'cli-optimizer:runtime',
    enforce: 'pre',
    resolveId(id, importer, { isEntry }) {
      // The real entry, imported by its shim, is the program: it runs for its effects even when
      // its package says `"sideEffects": false` (cspell does), which would let Rollup and
      // Rolldown drop the whole CLI as an unused import.
      if (ctx.bundler !== 'esbuild' && importer?.endsWith(SHIM_QUERY) && id === importer.slice(0, -SHIM_QUERY.length)) return { id, moduleSideEffects: true }
      if (!isEntry || importer !== undefined || id.startsWith('\0') || id.endsWith(SHIM_QUERY)) return undefined
      const entry = path.resolve(ctx.options.root, id)
      if (!SCRIPT.test(entry)) return undefined
      const inspected = inspectEntry(entry)
      if (inspected.hasExports) {
        ctx.transforms.push({
          kind: 'bootstrap',
          importer: ctx.displayId(entry),
          applied: false,
          reason: 'the entry exports bindings; a bootstrap shim would hide them, so this entry is left as it is',
        })
        return undefined
      }
      ctx.entryFiles.add(entry)
      hashbangs.set(entry, inspected.hashbang)
      return `${entry}${SHIM_QUERY}`
    },
    load: {
      filter: { id: /\?cli-optimizer-entry$/ },
      handler(id) {
        if (!id.endsWith(SHIM_QUERY)) return undefined
        const entry = id.slice(0, -SHIM_QUERY.length)
        const code = bootstrapSource({ entry, preload: ctx.commands?.manifestId, profiler, compileCache: options.compileCache, hashbang: hashbangs.get(entry), services: options.services, syncPreload: ctx.options.lazy === false || !ctx.options.lazy.sync ? undefined : preloadLine(`${entry}${PRELOAD_QUERY}`) })
        ctx.transforms.push({
          kind: 'bootstrap',
          importer: ctx.displayId(entry),
          applied: true,
          reason: `entry starts with the bootstrap (compile cache: ${options.compileCache}, profile support: ${options.profile}, command preload: ${Boolean(ctx.commands)}, services: ${Object.keys(options.services).join(', ') || 'none'})`,
        })
        return code
      },
    },
  }
}
