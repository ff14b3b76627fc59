/**
 * The one harness every cross-bundler test uses: build a fixture with Vite, Rollup, esbuild or Rolldown,
 * with or without cli-optimizer, then read what was emitted and run it.
 */
import { builtinModules } from 'node:module'
import path from 'node:path'
import { rm } from 'node:fs/promises'
import type { Options } from 'unplugin-cli-optimizer'

export const BUNDLERS = ['vite', 'rollup', 'esbuild', 'rolldown'] as const
export type Bundler = (typeof BUNDLERS)[number]

export interface BuildRequest {
  bundler: Bundler
  /** Fixture root; entries and options resolve against it. */
  root: string
  /** Entry name → path relative to root. */
  entries: Record<string, string>
  outDir: string
  /** Plugin options, or `false` for a plain build without the plugin. */
  plugin: Options | false
  minify?: boolean
  /** Emit source maps next to the chunks (run them with `--enable-source-maps`). */
  sourcemap?: boolean
}

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const isBuiltin = (id: string): boolean => NODE_BUILTINS.has(id) || id.startsWith('node:')

/** The createRequire banner users add by hand to esbuild ESM builds today; plain builds keep it. */
export const ESBUILD_REQUIRE_BANNER =
  "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);"

export async function build(request: BuildRequest): Promise<void> {
  await rm(request.outDir, { recursive: true, force: true })
  if (request.bundler === 'esbuild') return buildEsbuild(request)
  if (request.bundler === 'rollup') return buildRollup(request)
  if (request.bundler === 'rolldown') return buildRolldown(request)
  return buildVite(request)
}

async function buildEsbuild({ root, entries, outDir, plugin, minify, sourcemap }: BuildRequest): Promise<void> {
  const esbuild = await import('esbuild')
  const plugins = []
  if (plugin !== false) plugins.push((await import('unplugin-cli-optimizer/esbuild')).default({ root, ...plugin }))
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: minify ?? false,
    sourcemap: sourcemap ?? false,
    logLevel: 'silent',
    banner: plugin === false ? { js: ESBUILD_REQUIRE_BANNER } : undefined,
    plugins,
  })
}

/**
 * `@rollup/plugin-commonjs` hoists every `require()` of a builtin to a static import, even one inside
 * a function that only runs on demand: undici 7's lazy `require('node:sqlite')` then fails a Node 20
 * bundle at load. Rollup users of `runtime.http` need this line too (docs/runtime-http.md).
 */
const COMMONJS_OPTIONS = { ignore: ['node:sqlite'] }

async function buildRollup({ root, entries, outDir, plugin, minify, sourcemap }: BuildRequest): Promise<void> {
  const { rollup } = await import('rollup')
  const { default: nodeResolve } = await import('@rollup/plugin-node-resolve')
  const { default: commonjs } = await import('@rollup/plugin-commonjs')
  const { default: json } = await import('@rollup/plugin-json')
  const plugins = []
  if (plugin !== false) plugins.push((await import('unplugin-cli-optimizer/rollup')).default({ root, ...plugin }))
  plugins.push(nodeResolve({ preferBuiltins: true, exportConditions: ['node'], rootDir: root }), commonjs(COMMONJS_OPTIONS), json())
  if (minify) plugins.push((await import('@rollup/plugin-terser')).default())
  const input = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.resolve(root, file)]))
  const bundle = await rollup({ input, plugins, external: isBuiltin, onwarn: () => {} })
  try {
    await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: sourcemap ?? false })
  } finally {
    await bundle.close()
  }
}

async function buildVite({ root, entries, outDir, plugin, minify, sourcemap }: BuildRequest): Promise<void> {
  const vite = await import('vite')
  const plugins = []
  if (plugin !== false) plugins.push((await import('unplugin-cli-optimizer/vite')).default({ root, ...plugin }))
  const input = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.resolve(root, file)]))
  await vite.build({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins,
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: minify ?? false,
      sourcemap: sourcemap ?? false,
      copyPublicDir: false,
      rolldownOptions: {
        input,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  })
}

/** Rolldown resolves packages, CommonJS and JSON itself: no plugins beyond ours, as its docs recommend for Node. */
async function buildRolldown({ root, entries, outDir, plugin, minify, sourcemap }: BuildRequest): Promise<void> {
  const { rolldown } = await import('rolldown')
  const plugins = []
  if (plugin !== false) plugins.push((await import('unplugin-cli-optimizer/rolldown')).default({ root, ...plugin }))
  const input = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.resolve(root, file)]))
  const bundle = await rolldown({ cwd: root, input, plugins, platform: 'node', external: isBuiltin, logLevel: 'silent' })
  try {
    await bundle.write({ dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: minify ?? false, sourcemap: sourcemap ?? false })
  } finally {
    await bundle.close()
  }
}
