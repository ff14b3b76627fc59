import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { OutputChunk, OutputGraph } from '../adapters/output-graph.js'
import { compressedSizes } from './compressed-sizes.js'
import { initialFiles, reachableFiles, resolveChunkSpecifier, unconditionalDynamicImports, type ChunkLinks } from './initial-load.js'
import { packageOf } from './package-of.js'
import type { BundlerName, Report, ReportChunk, ReportEntry, ReportModule, ReportTransform } from './report-types.js'

/** Id of the module that holds the bytes no input module accounts for (wrappers, runtime helpers). */
export const UNATTRIBUTED = '[unattributed]'

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/** Module ids in the report: relative to the root for files, without Rollup's `\0` for virtual ones. */
export function reportModuleId(id: string, root: string): string {
  const clean = id.startsWith('\0') ? id.slice(1) : id
  if (!path.isAbsolute(clean)) return clean
  return toPosix(path.relative(root, clean))
}

/**
 * Splits a chunk's emitted bytes among its modules. esbuild's figures are exact; Rollup-style
 * `renderedLength` is measured before minification, so when the modules add up to more than the
 * file they are scaled down to it. Whatever is left goes to `[unattributed]`, never dropped, so
 * the modules of every chunk add up to its size.
 */
export function attributeModules(chunk: OutputChunk, bytes: number, root: string): ReportModule[] {
  const rendered = chunk.modules.filter((m) => m.renderedBytes > 0)
  const sum = rendered.reduce((total, m) => total + m.renderedBytes, 0)
  const scale = chunk.renderedBeforeMinify && sum > bytes ? bytes / sum : 1
  const modules: ReportModule[] = rendered.map((m) => ({
    id: reportModuleId(m.id, root),
    package: packageOf(m.id),
    bytes: Math.floor(m.renderedBytes * scale),
  }))
  const attributed = modules.reduce((total, m) => total + m.bytes, 0)
  if (attributed < bytes) modules.push({ id: UNATTRIBUTED, package: null, bytes: bytes - attributed })
  return modules.sort((a, b) => b.bytes - a.bytes)
}

async function chunkContents(outDir: string, chunk: OutputChunk): Promise<Uint8Array> {
  return chunk.contents ?? (await readFile(path.join(outDir, chunk.fileName)))
}

export interface BuildReportInput {
  bundler: BundlerName
  root: string
  graph: OutputGraph
  transforms: readonly ReportTransform[]
}

/** Measures the emitted files and assembles report v1. Sizes are of the files as written. */
export async function buildReport({ bundler, root, graph, transforms }: BuildReportInput): Promise<Report> {
  const measured = await Promise.all(
    graph.chunks.map(async (chunk) => {
      const contents = await chunkContents(graph.outDir, chunk)
      const code = Buffer.from(contents).toString('utf8')
      const eager = chunk.dynamicImports.length > 0 ? unconditionalDynamicImports(code) : []
      return {
        chunk,
        contents,
        eagerDynamicImports: eager.map((spec) => resolveChunkSpecifier(chunk.fileName, spec)),
        sizes: await compressedSizes(contents),
      }
    }),
  )

  const chunks: ReportChunk[] = measured.map(({ chunk, contents, sizes }) => ({
    file: chunk.fileName,
    bytes: contents.byteLength,
    gzipBytes: sizes.gzipBytes,
    brotliBytes: sizes.brotliBytes,
    isEntry: chunk.isEntry,
    imports: chunk.imports,
    dynamicImports: chunk.dynamicImports,
    modules: attributeModules(chunk, contents.byteLength, root),
  }))

  const links = new Map<string, ChunkLinks>(
    measured.map(({ chunk, eagerDynamicImports }) => [
      chunk.fileName,
      { fileName: chunk.fileName, imports: chunk.imports, dynamicImports: chunk.dynamicImports, eagerDynamicImports },
    ]),
  )
  const bytesOf = new Map(chunks.map((c) => [c.file, c.bytes]))
  const sumBytes = (files: string[]): number => files.reduce((total, f) => total + (bytesOf.get(f) ?? 0), 0)

  const entries: ReportEntry[] = graph.chunks
    .filter((chunk) => chunk.isEntry)
    .map((chunk) => {
      const initial = initialFiles(chunk.fileName, links)
      return {
        name: chunk.entryName ?? chunk.fileName,
        file: chunk.fileName,
        initialBytes: sumBytes(initial),
        initialFiles: initial,
        totalBytes: sumBytes(reachableFiles(chunk.fileName, links)),
      }
    })

  return {
    schemaVersion: 1,
    bundler,
    outDir: toPosix(path.relative(root, graph.outDir)) || '.',
    entries,
    chunks: chunks.sort((a, b) => a.file.localeCompare(b.file)),
    transforms: [...transforms],
  }
}
