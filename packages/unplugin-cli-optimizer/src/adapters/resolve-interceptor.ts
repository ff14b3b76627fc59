import path from 'node:path'
import type { OnResolveArgs, PluginBuild } from 'esbuild'
import type { UnpluginOptions } from 'unplugin'
import { declaredSideEffects } from '../treeshake/package-side-effects.js'
import { esbuildFileResolver } from './esbuild-file-resolve.js'

/**
 * Watching (and adjusting) every resolution the bundler makes, the same way in every bundler:
 * the import is first resolved by the bundler itself (all other plugins included), then the
 * interceptor may declare the module side-effect-free or redirect the import to a generated
 * module. Graph walks inside an interceptor use `resolve`, which skips this hook.
 *
 * Resolving inside `resolveId`/`onResolve` rather than in `transform` matters for Rollup: the
 * commonjs plugin's resolver waits for the target module's transform (`this.load`), so a
 * transform awaiting resolutions deadlocks on import cycles. Requires are resolved with the
 * `isRequire` flag, as the commonjs plugin itself does, which also picks the `require` conditions.
 */
export type DependencyKind = 'import' | 'require'

/** The bundler's own resolver, for walks from inside an interceptor. `null` when unresolvable. */
export type GraphResolve = (specifier: string, importer: string, kind: DependencyKind) => Promise<{ id: string; external: boolean } | null>

export interface ResolveEvent {
  specifier: string
  importer: string
  /** The file the bundler resolved the import to (absolute, no query). */
  id: string
  kind: DependencyKind
  resolve: GraphResolve
}

export interface Interception {
  /** Declare the resolved module side-effect-free. */
  sideEffectFree?: boolean
  /** Load this generated source instead of the resolved module, under a stable virtual id. */
  redirect?: { key: string; code: string; resolveDir: string }
}

export type ResolveInterceptor = (event: ResolveEvent) => Promise<Interception | undefined>

const VIRTUAL_PREFIX = '\0cli-optimizer-generated:'
const ESBUILD_NAMESPACE = 'cli-optimizer-generated'
const SELF = '__cliOptimizerInterceptResolving'
const MARKER = 'cli-optimizer'

export function isGeneratedId(id: string): boolean {
  return id.startsWith(VIRTUAL_PREFIX) || id.startsWith(`${ESBUILD_NAMESPACE}:`)
}

interface RollupLikeContext {
  resolve(source: string, importer?: string, options?: Record<string, unknown>): Promise<{ id: string; external: boolean | 'absolute' | 'relative' } | null>
}

function hasAttributes(attributes: Record<string, string> | undefined): boolean {
  return attributes !== undefined && Object.keys(attributes).length > 0
}

function isPlainFile(id: string): boolean {
  return path.isAbsolute(id) && !/[?\0]/.test(id)
}

/** The hooks (for every bundler) that run `intercept` on each resolution. */
export function resolveInterceptorHooks(
  intercept: ResolveInterceptor,
  /** A resolution the walks already made for this exact import (same kind): saves esbuild a round trip. */
  known?: (specifier: string, importer: string, kind: DependencyKind) => string | undefined,
): Pick<UnpluginOptions, 'rollup' | 'rolldown' | 'vite' | 'esbuild'> {
  const generated = new Map<string, string>()

  const rollupHooks = {
    async resolveId(this: RollupLikeContext, source: string, importer: string | undefined, options: Record<string, unknown> & { isEntry?: boolean; kind?: string; custom?: Record<string, Record<string, unknown> | undefined> }) {
      // Rollup's `skipSelf` only skips this hook for the same source and importer: the walks'
      // own resolutions carry a marker instead, so they never re-enter an interceptor.
      if (options.custom?.[MARKER]) return null
      if (!importer || options.isEntry || source.startsWith('\0')) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      if (!resolved || resolved.external || !isPlainFile(resolved.id)) return resolved
      const kind: DependencyKind = options.custom?.['node-resolve']?.isRequire || options.kind === 'require-call' ? 'require' : 'import'
      const resolve: GraphResolve = async (specifier, from, dependencyKind) => {
        const result = await this.resolve(specifier, from, {
          skipSelf: true,
          custom: { [MARKER]: { walking: true }, ...(dependencyKind === 'require' ? { 'node-resolve': { isRequire: true } } : {}) },
        })
        return result ? { id: result.id, external: result.external !== false } : null
      }
      const interception = await intercept({ specifier: source, importer, id: resolved.id, kind, resolve })
      if (interception?.redirect) {
        const id = `${VIRTUAL_PREFIX}${interception.redirect.key}`
        generated.set(id, interception.redirect.code)
        return { id, moduleSideEffects: interception.sideEffectFree ? false : undefined }
      }
      if (interception?.sideEffectFree) return { ...resolved, moduleSideEffects: false }
      return resolved
    },
    load(id: string) {
      return id.startsWith(VIRTUAL_PREFIX) ? (generated.get(id) ?? null) : null
    },
  }

  const esbuildSetup = (build: PluginBuild): void => {
    const fileResolve = esbuildFileResolver(build)
    const resolve: GraphResolve = async (specifier, importer, kind) => {
      const file = importer.startsWith(`${ESBUILD_NAMESPACE}:`) ? undefined : fileResolve?.(specifier, path.dirname(importer))
      if (file !== undefined) return { id: file, external: false }
      const result = await build.resolve(specifier, {
        kind: kind === 'require' ? 'require-call' : 'import-statement',
        importer,
        resolveDir: path.dirname(importer),
        pluginData: { [SELF]: true },
      })
      if (result.errors.length > 0) return null
      return { id: result.path, external: result.external }
    }
    build.onResolve({ filter: /.*/ }, async (args: OnResolveArgs) => {
      if (args.kind === 'entry-point' || (args.pluginData as Record<string, unknown> | undefined)?.[SELF]) return undefined
      if (args.namespace !== 'file' && args.namespace !== ESBUILD_NAMESPACE) return undefined
      const kind: DependencyKind = args.kind === 'require-call' || args.kind === 'require-resolve' ? 'require' : 'import'
      const importer = args.namespace === ESBUILD_NAMESPACE ? `${ESBUILD_NAMESPACE}:${args.importer}` : args.importer
      // Known already (a walk resolved it) or a plain file: no round trip to esbuild.
      const plain = !hasAttributes(args.with)
      const answered = !plain ? undefined : (args.namespace === 'file' ? known?.(args.path, args.importer, kind) : undefined) ?? fileResolve?.(args.path, args.resolveDir)
      const result = answered !== undefined ? undefined : await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        namespace: args.namespace,
        with: args.with,
        pluginData: { [SELF]: true },
      })
      if (result && (result.errors.length > 0 || result.external || result.namespace !== 'file')) return undefined
      const id = answered ?? result!.path
      if (!isPlainFile(id)) return undefined
      const interception = await intercept({ specifier: args.path, importer, id, kind, resolve })
      if (interception?.redirect) {
        generated.set(interception.redirect.key, interception.redirect.code)
        return {
          path: interception.redirect.key,
          namespace: ESBUILD_NAMESPACE,
          pluginData: { resolveDir: interception.redirect.resolveDir },
          sideEffects: interception.sideEffectFree ? false : undefined,
        }
      }
      if (!result) {
        if (interception?.sideEffectFree) return { path: id, namespace: 'file', sideEffects: false }
        // Answering stops the other plugins' callbacks, unless esbuild must add the package's own
        // `sideEffects` declaration, which only its resolution carries.
        return declaredSideEffects(id) === undefined ? { path: id, namespace: 'file' } : undefined
      }
      if (interception?.sideEffectFree) return { path: result.path, namespace: 'file', suffix: result.suffix, sideEffects: false, pluginData: result.pluginData }
      // Already resolved by esbuild itself: hand the answer back rather than resolving twice.
      return { path: result.path, namespace: 'file', suffix: result.suffix, sideEffects: result.sideEffects === false ? false : undefined, pluginData: result.pluginData }
    })
    build.onLoad({ filter: /.*/, namespace: ESBUILD_NAMESPACE }, (args) => ({
      contents: generated.get(args.path) ?? '',
      loader: 'js',
      resolveDir: (args.pluginData as { resolveDir?: string } | undefined)?.resolveDir ?? process.cwd(),
    }))
  }

  // Rollup's and Rolldown's hook types differ only in their context objects; this code uses what both share.
  return { rollup: rollupHooks, rolldown: rollupHooks, vite: rollupHooks, esbuild: { setup: esbuildSetup } } as unknown as Pick<UnpluginOptions, 'rollup' | 'rolldown' | 'vite' | 'esbuild'>
}
