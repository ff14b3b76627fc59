import { existsSync } from 'node:fs'
import { createRequire, isBuiltin } from 'node:module'
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import MagicString from 'magic-string'
import type { UnpluginOptions } from 'unplugin'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import { esbuildOutputDir, rewriteEsbuildChunks } from '../node-compat/esbuild-output-rewrite.js'
import { applyEdits, AssetRegistry, type RegisteredAsset } from './asset-registry.js'
import type { ResolvedAssetsOptions } from './assets-options.js'
import { findFileReads, type FileReads, type FileReference } from './find-file-reads.js'
import { contextCandidates, CONTEXT_MAX_FILES } from './context-module.js'
import { EsbuildWorkerEntries } from '../adapters/esbuild-worker-entries.js'
import type { Options } from '../core/options.js'
import { createHash } from 'node:crypto'

const JS_MODULE = /\.[cm]?[jt]sx?$/
const MENTIONS_MODULE_LOCATION = /import\.meta|__dirname|__filename|\brequire\.(?:main|resolve)\b|\.resolve\s*\(/

/** Entry modules named in the bundler's options (absolute paths to existing files). */
function entryFiles(input: unknown, cwd: string): string[] {
  const list = typeof input === 'string' ? [input] : Array.isArray(input) ? input : input && typeof input === 'object' ? Object.values(input) : []
  return list
    .map((item: unknown) => (typeof item === 'string' ? item : item && typeof item === 'object' && typeof (item as { in?: unknown }).in === 'string' ? (item as { in: string }).in : undefined))
    .filter((item): item is string => item !== undefined)
    .map((item) => path.resolve(cwd, item))
    .filter((file) => existsSync(file))
}

/** Where `specifier` resolves from `id` at build time, or undefined (builtin, missing). */
function resolveFrom(id: string, specifier: string): string | undefined {
  if (isBuiltin(specifier)) return undefined
  try {
    const file = createRequire(id).resolve(specifier)
    return path.isAbsolute(file) ? file : undefined
  } catch {
    return undefined
  }
}

/**
 * The root folder of the installed package a module belongs to (the nearest folder with a
 * package.json below a `node_modules` folder), or undefined for the app's own modules: their
 * manifest sits beside the output folder already.
 */
function installedPackageRoot(id: string): string | undefined {
  if (!id.split(/[\\/]/).includes('node_modules')) return undefined
  for (let dir = path.dirname(id); path.basename(path.dirname(dir)) !== '' && path.basename(dir) !== 'node_modules'; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
  }
  return undefined
}

type Decision =
  | { action: 'root'; manifest: Buffer }
  | { action: 'inline'; text: string }
  | { action: 'copy'; source: Buffer }
  | { action: 'refuse'; reason: string }

async function decide(ref: FileReference, inlineLimit: number, packageRoot: string | undefined): Promise<Decision> {
  const info = await stat(ref.file).catch(() => undefined)
  if (!info) return { action: 'refuse', reason: 'the file does not exist at build time; left as is' }
  if (info.isDirectory() && ref.file === packageRoot && ref.form === 'join') return { action: 'root', manifest: await readFile(path.join(ref.file, 'package.json')) }
  if (info.isDirectory()) return { action: 'refuse', reason: 'a directory: its contents are not copied; left as is' }
  if (JS_MODULE.test(ref.file)) {
    return { action: 'refuse', reason: 'a module loaded by path at runtime is not bundled; make it an entry or keep it external' }
  }
  const source = await readFile(ref.file)
  if (ref.inline && source.byteLength <= inlineLimit) {
    const text = source.toString('utf8')
    const valid = Buffer.from(text, 'utf8').equals(source) && (ref.inline.as === 'text' || isJson(text))
    if (valid) return { action: 'inline', text }
  }
  return { action: 'copy', source }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * Files a module reads relative to its own location, found after bundling wherever the output
 * folder goes: small text read synchronously is inlined, anything else is copied next to the
 * chunks (`<dir>/<name>-<hash><ext>`) and the reference rewritten relative to the chunk.
 */
export function assetsPlugin(ctx: CliOptimizerContext, options: ResolvedAssetsOptions | false, rawOptions?: Options): UnpluginOptions | undefined {
  if (options === false) return undefined
  /** Context-module files that are modules: extra entries (esbuild builds them afterwards). */
  const esbuildEntries = new EsbuildWorkerEntries()
  /** Reference ids of context-module chunks emitted this build (Rollup, Rolldown, Vite), by placeholder index. */
  const contextChunks: string[] = []
  const registry = new AssetRegistry(options.dir)
  const used = new Map<string, RegisteredAsset>()
  /** The build's entry modules: what `require.main` was when the published bin ran. */
  let entries: string[] = []

  const resolveChunk = (code: string, fileName: string): { s: MagicString } | undefined => {
    const resolved = registry.resolveIn(code, fileName)
    if (!resolved) return undefined
    const s = new MagicString(code)
    for (const edit of resolved.edits) s.overwrite(edit.start, edit.end, edit.text)
    for (const asset of resolved.used) used.set(asset.fileName, asset)
    return { s }
  }

  // Rollup, Rolldown and Vite place chunks before plugins see them: resolve the placeholders
  // per chunk, then add the files the chunks refer to.
  const inputHook = {
    options(this: unknown, input: { input?: unknown }) {
      entries = entryFiles(input.input, process.cwd())
      return null
    },
  }

  const outputHooks = {
    ...inputHook,
    renderChunk(this: { getFileName(referenceId: string): string }, code: string, chunk: { fileName: string }) {
      const result = resolveChunk(code, chunk.fileName)
      let s = result?.s
      if (code.includes('__cli_optimizer_ctx_chunk_')) {
        s ??= new MagicString(code)
        const from = path.posix.dirname(chunk.fileName)
        for (const match of code.matchAll(/\.\/__cli_optimizer_ctx_chunk_(\d+)__\.js/g)) {
          const referenceId = contextChunks[Number(match[1])]
          if (referenceId === undefined) continue
          const relative = path.posix.relative(from, this.getFileName(referenceId))
          s.overwrite(match.index, match.index + match[0].length, relative.startsWith('.') ? relative : `./${relative}`)
        }
      }
      return s ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null
    },
    generateBundle: {
      // Last: Vite drops the assets of server builds in its own generateBundle.
      order: 'post' as const,
      handler(this: { emitFile(file: { type: 'asset'; fileName: string; source: Uint8Array }): string }) {
        for (const asset of used.values()) this.emitFile({ type: 'asset', fileName: asset.fileName, source: asset.source })
      },
    },
  }

  return {
    name: 'cli-optimizer:assets',
    enforce: 'pre',
    buildStart() {
      used.clear()
      esbuildEntries.reset()
      contextChunks.length = 0
    },
    transform: {
      filter: { id: { include: JS_MODULE, exclude: [/^\0/] }, code: MENTIONS_MODULE_LOCATION },
      async handler(code, id) {
        let program
        try {
          program = parseModule(code, id, ctx.displayId(id)).program
        } catch {
          return undefined // the core plugin reports syntax errors with their location
        }
        const importer = ctx.displayId(id)
        const { references, computed, handOffs, resolves, mainReads, contexts, packageFiles } = findFileReads(program, id, code)
        const packageRoot = installedPackageRoot(id)
        for (const read of computed) {
          const reason = `a path computed at runtime (${read.text.slice(0, 80)}) cannot be resolved at build time; the file may be missing after bundling`
          ctx.transforms.push({ kind: 'asset', applied: false, reason, importer, line: read.line, column: read.column })
          this.warn(`[cli-optimizer] CLI_OPTIMIZER_ASSET_COMPUTED: ${importer}:${read.line}:${read.column}: ${reason}`)
        }
        const relocated = packageRoot === undefined ? [] : handOffs
        if (references.length === 0 && relocated.length === 0 && resolves.length === 0 && mainReads.length === 0 && contexts.length === 0 && packageFiles.length === 0) return undefined
        const s = new MagicString(code)
        for (const context of contexts) {
          const emitChunk = (file: string): string => {
            if (ctx.bundler === 'esbuild') return esbuildEntries.placeholder(file)
            const emit = (this as unknown as { emitFile(file: { type: 'chunk'; id: string; importer: string; name: string }): string }).emitFile
            contextChunks.push(emit.call(this, { type: 'chunk', id: file, importer: id, name: path.basename(file).replace(JS_MODULE, '') }))
            return `./__cli_optimizer_ctx_chunk_${contextChunks.length - 1}__.js`
          }
          const done = await bundleContext(context, id, s, emitChunk, (file, source) => JSON.parse(registry.placeholder(file, source, 'r')) as string)
          const record = { kind: 'context-module', importer, line: context.line, column: context.column, file: ctx.displayId(context.folder) }
          if (done === undefined) {
            const reason = `a path computed at runtime (${context.text.slice(0, 80)}) below ${ctx.displayId(context.folder)}: no matching file, or more than ${CONTEXT_MAX_FILES}; the file may be missing after bundling: keep this package external`
            ctx.transforms.push({ ...record, applied: false, reason })
            this.warn(`[cli-optimizer] CLI_OPTIMIZER_ASSET_COMPUTED: ${importer}:${context.line}:${context.column}: ${reason}`)
            continue
          }
          ctx.transforms.push({
            ...record,
            applied: true,
            files: done.map((f) => ctx.displayId(f)),
            reason: `a path computed at runtime below ${ctx.displayId(context.folder)}: the ${done.length} file(s) it can name are bundled (modules as chunks of their own, other files copied) and the path is looked up among them`,
          })
        }
        // `(__dirname + "/assets/…")`: the chunk's own folder (node-compat defines it) joined to
        // the copy, an absolute path as require.resolve and require.main give.
        const besideChunk = (placeholder: string, esm: boolean): string => `(${esm ? 'import.meta.dirname' : '__dirname'} + ${placeholder})`
        for (const call of resolves) {
          const file = resolveFrom(id, call.specifier)
          const record = { kind: 'asset', importer, line: call.line, column: call.column, form: 'resolve' }
          if (file === undefined) continue // a builtin, or not installed: Node's own error at run time, as before
          const root = installedPackageRoot(file)
          if (root !== undefined && file === path.join(root, 'package.json')) {
            // A package's manifest found by name (`dirname(require.resolve('x/package.json'))` for
            // its root): the relocated copy, so the folder it names is the package's stand-in.
            s.overwrite(call.start, call.end, besideChunk(registry.manifestPlaceholder(file, await readFile(file), 'package.json', 's'), call.esm))
            ctx.transforms.push({ ...record, applied: true, action: 'manifest', file: ctx.displayId(file), reason: `require.resolve("${call.specifier}") names the package's manifest: it resolves to a copy in ${options.dir}/` })
          } else if (JS_MODULE.test(file) || file.endsWith('.node')) {
            const reason = 'require.resolve() of a module: its path is used at run time (spawned, loaded by path); keep that package external'
            ctx.transforms.push({ ...record, applied: false, file: ctx.displayId(file), reason })
            this.warn(`[cli-optimizer] CLI_OPTIMIZER_ASSET_UNRESOLVED: ${importer}:${call.line}:${call.column}: ${ctx.displayId(file)}: ${reason}`)
          } else {
            s.overwrite(call.start, call.end, besideChunk(registry.placeholder(file, await readFile(file), 's'), call.esm))
            ctx.transforms.push({ ...record, applied: true, action: 'copied', file: ctx.displayId(file), reason: `require.resolve("${call.specifier}") of a data file: copied to ${options.dir}/; the call gives the copy's path` })
          }
        }
        for (const use of packageFiles) {
          // No rewrite: the root variable already names the relocated folder; the files it
          // reads are copied into that folder at their own paths.
          const manifestFile = resolveFrom(id, use.specifier)
          if (manifestFile === undefined || !resolves.some((call) => call.specifier === use.specifier)) continue
          const target = path.resolve(path.dirname(manifestFile), ...use.parts)
          const files = await filesUnder(target)
          const record = { kind: 'asset', importer, line: use.line, column: use.column, file: ctx.displayId(target), form: 'package-root' }
          if (files === undefined) {
            const reason = `a file of the package's root folder that does not exist at build time, or a folder of more than ${CONTEXT_MAX_FILES} files; not copied`
            ctx.transforms.push({ ...record, applied: false, reason })
            this.warn(`[cli-optimizer] CLI_OPTIMIZER_ASSET_UNRESOLVED: ${importer}:${use.line}:${use.column}: ${record.file}: ${reason}`)
            continue
          }
          const manifest = await readFile(manifestFile)
          for (const file of files) {
            registry.companion(manifestFile, manifest, path.relative(path.dirname(manifestFile), file).split(path.sep).join('/'), file, await readFile(file))
          }
          ctx.transforms.push({ ...record, applied: true, action: 'copied', reason: `read from the package's root (found by its manifest): ${files.length} file(s) copied into the relocated package folder in ${options.dir}/` })
        }
        if (mainReads.length > 0) {
          // The main module is the entry the published bin was; with several, the one in this
          // module's own package (a CLI reading require.main finds its own bin's folder).
          const installed = entries.filter((entry) => installedPackageRoot(entry) !== undefined)
          const own = installed.filter((entry) => installedPackageRoot(entry) === packageRoot)
          const candidates = new Set((own.length > 0 ? own : installed).map((entry) => entry))
          const main = candidates.size === 1 ? [...candidates][0]! : undefined
          for (const read of mainReads) {
            const record = { kind: 'asset', importer, line: read.line, column: read.column, form: 'main' }
            if (main === undefined) {
              const reason = `require.main.${read.property} is undefined in ESM output and the build has ${candidates.size === 0 ? 'no entry inside an installed package' : 'several entries'} to stand for it; left as is`
              ctx.transforms.push({ ...record, applied: false, reason })
              this.warn(`[cli-optimizer] CLI_OPTIMIZER_MAIN_MODULE: ${importer}:${read.line}:${read.column}: ${reason}`)
              continue
            }
            const mainRoot = installedPackageRoot(main)!
            const manifestFile = path.join(mainRoot, 'package.json')
            const inside = path.relative(mainRoot, read.property === 'filename' ? main : path.dirname(main)).split(path.sep).join('/')
            s.overwrite(read.start, read.end, besideChunk(registry.manifestPlaceholder(manifestFile, await readFile(manifestFile), inside, 's'), false))
            ctx.transforms.push({
              ...record,
              applied: true,
              action: 'manifest',
              file: ctx.displayId(main),
              reason: `require.main is undefined in ESM output: require.main.${read.property} is the entry ${ctx.displayId(main)} at the same depth below a copy of its package's manifest in ${options.dir}/`,
            })
          }
        }
        if (relocated.length > 0) {
          const manifestFile = path.join(packageRoot!, 'package.json')
          const manifest = await readFile(manifestFile)
          const inside = path.relative(packageRoot!, id).split(path.sep).join('/')
          for (const handOff of relocated) {
            // The same folder depth below a copy of the package's manifest: walking up from
            // there finds it, whatever the chunk's own depth in the published package.
            if (handOff.form === 'import-meta') {
              const url = `new URL(${registry.manifestPlaceholder(manifestFile, manifest, inside, 'r')}, import.meta.url).href`
              s.overwrite(handOff.start, handOff.end, `{ ...import.meta, url: ${url} }`)
            } else {
              const dir = path.posix.dirname(inside)
              s.appendRight(handOff.end, ` + ${registry.manifestPlaceholder(manifestFile, manifest, dir === '.' ? '' : dir, 's')}`)
              s.prependLeft(handOff.start, '(')
              s.appendRight(handOff.end, ')')
            }
            ctx.transforms.push({
              kind: 'asset',
              applied: true,
              action: 'manifest',
              importer,
              line: handOff.line,
              column: handOff.column,
              file: ctx.displayId(manifestFile),
              form: handOff.form,
              reason: `the module's location is handed to code that finds its package root by walking up: it is given the same depth below a copy of the package's manifest in ${options.dir}/`,
            })
          }
        }
        for (const ref of references) {
          const decision = await decide(ref, options.inlineLimit, packageRoot)
          const record = { kind: 'asset', importer, line: ref.line, column: ref.column, file: ctx.displayId(ref.file), form: ref.form }
          if (decision.action === 'refuse') {
            ctx.transforms.push({ ...record, applied: false, reason: decision.reason })
            this.warn(`[cli-optimizer] CLI_OPTIMIZER_ASSET_UNRESOLVED: ${importer}:${ref.line}:${ref.column}: ${record.file}: ${decision.reason}`)
          } else if (decision.action === 'root') {
            s.overwrite(ref.start, ref.end, registry.manifestPlaceholder(path.join(ref.file, 'package.json'), decision.manifest, '', 'r'))
            ctx.transforms.push({ ...record, applied: true, action: 'manifest', reason: `the package's root folder: it becomes a folder in ${options.dir}/ holding a copy of the package's manifest` })
          } else if (decision.action === 'inline') {
            const value = JSON.stringify(decision.text)
            s.overwrite(ref.inline!.start, ref.inline!.end, ref.inline!.as === 'json' ? `JSON.parse(${value})` : value)
            ctx.transforms.push({ ...record, applied: true, action: 'inlined', reason: `read synchronously with a static path and at most ${options.inlineLimit} bytes: inlined` })
          } else {
            s.overwrite(ref.start, ref.end, registry.placeholder(ref.file, decision.source, ref.form === 'concat' ? 's' : 'r'))
            ctx.transforms.push({ ...record, applied: true, action: 'copied', reason: `copied next to the output as ${options.dir}/; the reference resolves relative to the chunk` })
          }
        }
        if (!s.hasChanged()) return undefined
        return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
      },
    },
    rollup: outputHooks,
    rolldown: outputHooks,
    vite: outputHooks,
    esbuild: {
      setup(build) {
        entries = entryFiles(build.initialOptions.entryPoints, build.initialOptions.absWorkingDir ?? process.cwd())
        build.onEnd(async (result) => {
          if (result.errors.length > 0) return
          await esbuildEntries.finish(build, result, async () => {
            const { default: plugin } = await import('../esbuild.js')
            // Report, bootstrap and command manifest belong to the CLI's entries, not its context modules.
            return [plugin({ ...rawOptions, root: ctx.options.root, report: false, runtime: false, commands: false, budgets: false, baseline: undefined })]
          })
          await rewriteEsbuildChunks(build, result, (code, fileName) => {
            const resolved = registry.resolveIn(code, fileName)
            if (!resolved) return undefined
            for (const asset of resolved.used) used.set(asset.fileName, asset)
            return applyEdits(code, resolved.edits)
          })
          const outDir = esbuildOutputDir(build)
          for (const asset of used.values()) {
            const target = path.join(outDir, asset.fileName)
            if (result.outputFiles) {
              const bytes = new Uint8Array(asset.source)
              result.outputFiles.push({ path: target, contents: bytes, hash: '', text: asset.source.toString('utf8') })
              continue
            }
            await mkdir(path.dirname(target), { recursive: true })
            await writeFile(target, asset.source)
          }
        })
      },
    },
  }
}

/**
 * Rewrites one context: the module-folder argument becomes a virtual folder, and the computed
 * path is looked up in a table from virtual paths to the emitted files (relative to the chunk);
 * a path outside the table resolves against the chunk's folder, as a missing file would have.
 * Returns the files bundled, or undefined when the context has no candidates within bounds.
 */
async function bundleContext(
  context: FileReads['contexts'][number],
  id: string,
  s: MagicString,
  emitChunk: (file: string) => string,
  copyAsset: (file: string, source: Buffer) => string,
): Promise<string[] | undefined> {
  const candidates = contextCandidates(context)
  if (!candidates) return undefined
  const moduleDir = path.dirname(id)
  let common = moduleDir
  while (path.relative(common, context.folder).startsWith('..')) common = path.dirname(common)
  const root = `/__cli_optimizer_ctx_${createHash('sha256').update(context.folder).digest('hex').slice(0, 8)}__`
  const virtual = (file: string): string => path.posix.join(root, path.relative(common, file).split(path.sep).join('/'))
  const table: Record<string, string> = {}
  const files: string[] = []
  for (const relative of candidates) {
    const file = path.join(context.folder, relative)
    files.push(file)
    table[virtual(file)] = JS_MODULE.test(file) ? emitChunk(file) : copyAsset(file, await readFile(file))
  }
  s.overwrite(context.dirStart, context.dirEnd, JSON.stringify(virtual(moduleDir)))
  const base = context.base
  s.prependLeft(
    context.start,
    `((p, m) => { const k = String(p).split("\\\\").join("/"); const i = k.indexOf(${JSON.stringify(root)}); const key = i < 0 ? k : k.slice(i); return ${base} + "/" + (Object.hasOwn(m, key) ? m[key] : key.slice(${root.length + 1})); })(`,
  )
  s.appendRight(context.end, `, ${JSON.stringify(table)})`)
  return files
}

/** A file, or the files of a folder (recursively, bounded); undefined when missing or too many. */
async function filesUnder(target: string): Promise<string[] | undefined> {
  const info = await stat(target).catch(() => undefined)
  if (!info) return undefined
  if (info.isFile()) return [target]
  const { readdir } = await import('node:fs/promises')
  const files = (await readdir(target, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
  return files.length <= CONTEXT_MAX_FILES ? files.sort() : undefined
}
