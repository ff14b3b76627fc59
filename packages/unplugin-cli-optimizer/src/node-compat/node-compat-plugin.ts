import MagicString from 'magic-string'
import type { UnpluginBuildContext, UnpluginOptions } from 'unplugin'
import { parseModule } from '../core/ast/parse-module.js'
import { bundlerResolver } from '../adapters/resolve.js'
import type { CliOptimizerContext } from '../core/context.js'
import { rewriteEsbuildChunks } from './esbuild-output-rewrite.js'
import { injectNodeGlobals, type InjectedGlobals } from './inject-node-globals.js'
import type { ResolvedNodeCompatOptions } from './node-compat-options.js'
import { findHiddenImports } from './hidden-imports.js'
import { findUmdFactories } from './umd-factory.js'
import { findSloppyAssignments, mayBeSloppyCommonJs } from './sloppy-globals.js'
import { createRequire, isBuiltin } from 'node:module'
import { dynamicOnlyPackageImports, isPackageSpecifier, packageNameOf, packageRequires, type DynamicImportSite } from './optional-imports.js'

/** Code worth a parse: `import()` hidden in `new Function`, or a UMD wrapper. */
const NEEDS_PARSE = /\bnew\s+Function\s*\(|\bdefine\.amd\b/

/** Plain JavaScript, the only code that may be sloppy-mode CommonJS. */
const JS_FILE = /\.c?js(?:\?.*)?$/

/** @rollup/plugin-commonjs's `require(variable)` helper, which throws unless configured. */
const COMMONJS_DYNAMIC_MODULES = /^\0commonjs-dynamic-modules/
const COMMONJS_FAILED_REQUIRE = /throw new Error\('Could not dynamically require "' \+ path \+ '"[^\n]*?\);/

/**
 * Bundled Node code that just runs as ESM output: CommonJS globals defined per chunk where read,
 * computed requires resolved at runtime, and optional packages left as runtime imports.
 */
export function nodeCompatPlugin(ctx: CliOptimizerContext, options: ResolvedNodeCompatOptions | false): UnpluginOptions | undefined {
  if (options === false) return undefined
  /** importer → package → where it is imported dynamically (and only dynamically). */
  const dynamicImports = new Map<string, Map<string, DynamicImportSite>>()
  /** CommonJS importer → package → where it is first required. */
  const requires = new Map<string, Map<string, DynamicImportSite>>()
  const resolving = new Set<string>()
  /** Missing packages already reported this build: other plugins may resolve an import again. */
  const reported = new Set<string>()

  const shimChunk = (code: string, fileName: string): InjectedGlobals | undefined => {
    if (!options.globals) return undefined
    const result = injectNodeGlobals(code, fileName)
    for (const { name, line, column } of result?.injected ?? []) {
      ctx.transforms.push({
        kind: 'require-shim',
        applied: true,
        reason: `the chunk reads ${name} as a global, which ES modules lack; defined from import.meta.url`,
        importer: fileName,
        line,
        column,
        name,
      })
    }
    return result
  }

  /** Whether the bundler cannot resolve `source` from `importer` (its own resolver, re-entry guarded). */
  const isMissing = async (hook: UnpluginBuildContext, source: string, importer: string): Promise<boolean> => {
    const key = `${importer}\0${source}`
    resolving.add(key)
    try {
      return (await bundlerResolver(hook)(source, importer)) === null
    } catch {
      return true
    } finally {
      resolving.delete(key)
    }
  }

  /** One report entry and warning per importer and package. */
  const reportMissing = (hook: { warn(message: string): void }, importer: string, source: string, site: DynamicImportSite, dynamic: boolean): void => {
    const key = `${importer}\0${source}`
    if (reported.has(key)) return
    reported.add(key)
    const where = `${ctx.displayId(importer)}:${site.line}:${site.column}`
    const reason = dynamic
      ? `package "${source}" is not installed; kept as a runtime import so the program's own error handling decides`
      : `package "${source}" is not installed; its require() stays a run-time require, which throws only if that code runs (as under Node)`
    ctx.transforms.push({ kind: dynamic ? 'optional-import' : 'optional-require', applied: true, reason, importer: ctx.displayId(importer), line: site.line, column: site.column, source })
    hook.warn(`[cli-optimizer] ${dynamic ? 'CLI_OPTIMIZER_OPTIONAL_IMPORT' : 'CLI_OPTIMIZER_OPTIONAL_REQUIRE'}: ${where}: ${reason}`)
  }

  const outputHooks = {
    renderChunk(code: string, chunk: { fileName: string }) {
      const result = shimChunk(code, chunk.fileName)
      return result ? { code: result.code, map: result.map } : null
    },
  }

  return {
    name: 'cli-optimizer:node-compat',
    enforce: 'pre',
    buildStart() {
      dynamicImports.clear()
      requires.clear()
      reported.clear()
    },
    transform: {
      filter: { id: { include: [/\.[cm]?[jt]sx?(?:\?.*)?$/, COMMONJS_DYNAMIC_MODULES] }, code: /\bimport\s*\(|\brequire\s*\(|\bmodule\.exports\b|\bexports\.|Could not dynamically require|\bdefine\.amd\b/ },
      async handler(code, id) {
        if (COMMONJS_DYNAMIC_MODULES.test(id)) {
          if (!options.globals || !COMMONJS_FAILED_REQUIRE.test(code)) return undefined
          // `require(variable)` in bundled CommonJS: resolve it at runtime with the chunk's own
          // require (what `ignoreDynamicRequires` does) instead of a guaranteed throw.
          ctx.transforms.push({
            kind: 'require-shim',
            applied: true,
            reason: 'require() with a computed specifier is resolved at runtime instead of throwing',
            importer: ctx.displayId(id),
            name: 'require',
          })
          return { code: code.replace(COMMONJS_FAILED_REQUIRE, 'return require(path);'), map: null }
        }
        const s = new MagicString(code)
        const edited = () => (s.hasChanged() ? { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) } : undefined)
        if (options.optionalImports) {
          const sites = dynamicOnlyPackageImports(code)
          if (sites.length > 0) dynamicImports.set(id, new Map(sites.map((site) => [site.specifier, site])))
          const required = packageRequires(code)
          if (required.length > 0) requires.set(id, new Map(required.map((site) => [site.specifier, site])))
          if (ctx.bundler === 'rollup') {
            // @rollup/plugin-commonjs turns a require of an external package into a static
            // import, which fails at load: the require of a missing package is made non-literal
            // instead, which it leaves to run time (through the dynamic-require helper above).
            for (const site of required) {
              if (isBuiltin(site.specifier) || nodeResolves(site.specifier, id) || !(await isMissing(this, site.specifier, id))) continue
              s.appendRight(site.end!, ' + ""')
              reportMissing(this, id, site.specifier, site, false)
            }
          }
        }
        const sloppy = options.globals && JS_FILE.test(id) && mayBeSloppyCommonJs(code)
        if (!options.globals || (!sloppy && !NEEDS_PARSE.test(code))) return edited()
        let program
        try {
          program = parseModule(code, id, ctx.displayId(id)).program
        } catch {
          return edited() // the core plugin reports syntax errors with their location
        }
        const importer = ctx.displayId(id)
        const { imports, computed } = findHiddenImports(program, code)
        for (const call of computed) {
          const reason = `import() hidden in new Function() with a computed specifier (${call.text.slice(0, 80)}) resolves against the chunk at run time; keep this package external if it loads its own files this way`
          ctx.transforms.push({ kind: 'hidden-import', applied: false, reason, importer, line: call.line, column: call.column })
          this.warn(`[cli-optimizer] CLI_OPTIMIZER_HIDDEN_IMPORT: ${importer}:${call.line}:${call.column}: ${reason}`)
        }
        const factories = findUmdFactories(program)
        const assignments = sloppy ? findSloppyAssignments(program) : []
        if (imports.length === 0 && factories.length === 0 && assignments.length === 0) return edited()
        let renamed = '__cliOptimizerAmdRequire'
        while (code.includes(renamed)) renamed += '_'
        for (const factory of factories) {
          s.overwrite(factory.start, factory.end, renamed)
          ctx.transforms.push({
            kind: 'umd-factory',
            applied: true,
            reason: "a UMD factory handed Node's require: its require() calls are made the module's own, so the bundler follows them",
            importer,
            line: factory.line,
            column: factory.column,
          })
        }
        for (const assignment of assignments) {
          s.overwrite(assignment.start, assignment.end, `globalThis.${assignment.name}`)
          ctx.transforms.push({
            kind: 'sloppy-global',
            applied: true,
            reason: `assigns "${assignment.name}", declared nowhere: a global in sloppy-mode CommonJS, a ReferenceError in strict ESM output; written as globalThis.${assignment.name}`,
            importer,
            line: assignment.line,
            column: assignment.column,
            name: assignment.name,
          })
        }
        for (const hidden of imports) {
          s.overwrite(hidden.start, hidden.end, 'import')
          ctx.transforms.push({
            kind: 'hidden-import',
            applied: true,
            reason: `import() hidden in new Function() written plainly so the bundler follows "${hidden.specifier}"`,
            importer,
            line: hidden.line,
            column: hidden.column,
            source: hidden.specifier,
          })
        }
        return edited()
      },
    },
    resolveId: {
      filter: { id: /^[\w@]/ },
      async handler(source, importer, extra) {
        if (!options.optionalImports || !importer || !isPackageSpecifier(source)) return null
        const kind = (extra as { kind?: string } | undefined)?.kind
        const sites = dynamicImports.get(importer)
        // `import('x')` itself, or a `require('x/package.json')` beside it (eslint reads the
        // version of its optional jiti so): both are only there when the package is.
        const dynamicSite = sites?.get(source) ?? (kind === 'dynamic-import' ? undefined : sites?.get(packageNameOf(source)))
        // A CommonJS `require('x')`: under Node a missing x throws only when that line runs.
        // Rolldown and Vite say so with `kind`, Rollup's CommonJS plugin with node-resolve's custom
        // flag; unplugin hands esbuild's resolves over without their kind (the sites leave out
        // packages the module also imports statically).
        const custom = (extra as { custom?: { 'node-resolve'?: { isRequire?: boolean } } } | undefined)?.custom
        const isRequire = kind === 'require-call' || (kind === undefined && (ctx.bundler === 'esbuild' || custom?.['node-resolve']?.isRequire === true))
        const requireSite = isRequire ? requires.get(importer)?.get(source) : undefined
        const site = dynamicSite ?? requireSite
        if (!site || (kind !== undefined && kind !== 'dynamic-import' && kind !== 'require-call' && kind !== 'require-resolve')) return null
        if (!dynamicSite && (isBuiltin(source) || nodeResolves(source, importer))) return null
        const key = `${importer}\0${source}`
        if (resolving.has(key)) return null
        if (!(await isMissing(this, source, importer))) return null
        reportMissing(this, importer, source, site, dynamicSite !== undefined)
        return { id: source, external: true }
      },
    },
    rollup: outputHooks,
    rolldown: outputHooks,
    vite: outputHooks,
    esbuild: {
      onResolveFilter: /^[\w@]/,
      setup(build) {
        build.onEnd(async (result) => {
          if (result.errors.length > 0) return
          await rewriteEsbuildChunks(build, result, (code, fileName) => {
            const shimmed = shimChunk(code, fileName)
            return shimmed && { code: shimmed.code, insertedLines: { at: shimmed.insertedLine, count: 1 } }
          })
        })
      },
    },
  }
}

/** Node's own resolution from the importer: the cheap check before asking the bundler. */
function nodeResolves(specifier: string, importer: string): boolean {
  try {
    createRequire(importer).resolve(specifier)
    return true
  } catch {
    return false
  }
}
