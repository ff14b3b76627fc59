import path from 'node:path'
import MagicString from 'magic-string'
import type { UnpluginOptions } from 'unplugin'
import { EsbuildWorkerEntries } from '../adapters/esbuild-worker-entries.js'
import { parseModule } from '../core/ast/parse-module.js'
import type { CliOptimizerContext } from '../core/context.js'
import type { Options } from '../core/options.js'
import { findWorkerEntries } from './find-worker-entries.js'

/**
 * Packages that start their own worker file by path (piscina: `resolve(__dirname, 'worker.js')`;
 * tinypool and BullMQ's sandboxed processors likewise): bundled, that path points into the
 * output folder, where no such file is. They stay runtime imports, resolved from node_modules.
 */
const LOADS_OWN_FILES = /^(?:piscina|tinypool|bullmq)(?:\/|$)/
/** BullMQ takes ioredis connections from the scale service: both must be the same copy. */
const SHARED_WITH_EXTERNAL = /^ioredis(?:\/|$)/
const SCALE_SERVICE = /[\\/]runtime[\\/](?:dist|src)[\\/]scale[\\/]/

const JS_MODULE = /\.[cm]?[jt]sx?$/

/** `new URL('./w.js', import.meta.url)` run in a worker becomes an entry of the build. */
export function workersPlugin(ctx: CliOptimizerContext, enabled: boolean, rawOptions: Options | undefined): UnpluginOptions | undefined {
  if (!enabled) return undefined
  const esbuildEntries = new EsbuildWorkerEntries()
  const externalReported = new Set<string>()
  /** Reference ids of the worker chunks emitted this build (Rollup, Rolldown, Vite), by placeholder index. */
  const references: string[] = []

  const outputHooks = {
    renderChunk(this: { getFileName(referenceId: string): string }, code: string, chunk: { fileName: string }) {
      if (!code.includes('__cli_optimizer_chunk_')) return null
      const from = path.posix.dirname(chunk.fileName)
      const s = new MagicString(code)
      for (const match of code.matchAll(/\.\/__cli_optimizer_chunk_(\d+)__\.js/g)) {
        const referenceId = references[Number(match[1])]
        if (referenceId === undefined) continue
        const relative = path.posix.relative(from, this.getFileName(referenceId))
        s.overwrite(match.index, match.index + match[0].length, relative.startsWith('.') ? relative : `./${relative}`)
      }
      return { code: s.toString(), map: s.generateMap({ hires: true }) }
    },
  }

  return {
    name: 'cli-optimizer:workers',
    enforce: 'pre',
    buildStart() {
      esbuildEntries.reset()
      externalReported.clear()
      references.length = 0
    },
    resolveId: {
      filter: { id: /^(?:piscina|tinypool|bullmq|ioredis)(?:\/|$)/ },
      handler(source, importer) {
        const own = LOADS_OWN_FILES.test(source)
        if (!own && !(SHARED_WITH_EXTERNAL.test(source) && importer && SCALE_SERVICE.test(importer))) return null
        const name = source.split('/')[0]!
        if (!externalReported.has(name)) {
          externalReported.add(name)
          ctx.transforms.push({
            kind: 'worker-external',
            applied: true,
            importer: importer ? ctx.displayId(importer) : undefined,
            source: name,
            reason: own
              ? `${name} starts its own worker file by path, which bundling would break; kept as a runtime import (ship node_modules/${name})`
              : `${name} connections are handed to an external package; kept as a runtime import so both use one copy`,
          })
        }
        return { id: source, external: true }
      },
    },
    transform: {
      filter: { id: { include: JS_MODULE, exclude: [/^\0/] }, code: /new\s+URL\s*\(/ },
      handler(code, id) {
        if (!code.includes('import.meta.url')) return undefined
        let program
        try {
          program = parseModule(code, id, ctx.displayId(id)).program
        } catch {
          return undefined // the core plugin reports syntax errors with their location
        }
        const found = findWorkerEntries(program, id)
        if (found.length === 0) return undefined
        const s = new MagicString(code)
        for (const ref of found) {
          ctx.workerEntryFiles.add(ref.file)
          let replacement: string
          if (ctx.bundler === 'esbuild') {
            replacement = `new URL(${JSON.stringify(esbuildEntries.placeholder(ref.file))}, import.meta.url)`
          } else {
            const emit = (this as unknown as { emitFile(file: { type: 'chunk'; id: string; importer: string; name: string }): string }).emitFile
            // The importer keeps the runtime's entry shim off the worker: it is not a CLI entry.
            const referenceId = emit({ type: 'chunk', id: ref.file, importer: id, name: path.basename(ref.file).replace(JS_MODULE, '') })
            // Not import.meta.ROLLUP_FILE_URL_: Vite renders that from its `base` ('/x.js'), a
            // web path; the placeholder becomes a path relative to the chunk in renderChunk.
            references.push(referenceId)
            replacement = `new URL(${JSON.stringify(`./__cli_optimizer_chunk_${references.length - 1}__.js`)}, import.meta.url)`
          }
          s.overwrite(ref.start, ref.end, replacement)
          ctx.transforms.push({
            kind: 'worker-entry',
            applied: true,
            importer: ctx.displayId(id),
            line: ref.line,
            column: ref.column,
            file: ctx.displayId(ref.file),
            reason: `run in a ${ref.site === 'worker' ? 'worker thread' : ref.site === 'work' ? 'queue worker' : 'pool thread'} by URL: emitted as an entry of its own (bundled, with node-compat); the URL points at the emitted file`,
          })
        }
        return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
      },
    },
    rollup: outputHooks,
    rolldown: outputHooks,
    vite: outputHooks,
    esbuild: {
      setup(build) {
        build.onEnd(async (result) => {
          if (result.errors.length > 0) return
          await esbuildEntries.finish(build, result, async () => {
            const { default: plugin } = await import('../esbuild.js')
            // Report, bootstrap and command manifest belong to the CLI's entries, not its workers.
            return [plugin({ ...rawOptions, root: ctx.options.root, report: false, runtime: false, commands: false, budgets: false, baseline: undefined })]
          })
        })
      },
    },
  }
}
