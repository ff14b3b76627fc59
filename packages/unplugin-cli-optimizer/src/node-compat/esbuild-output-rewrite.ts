import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { BuildResult, OutputFile, PluginBuild } from 'esbuild'

const JS_FILE = /\.(?:m|c)?js$/

/**
 * A rewrite of one emitted chunk; `fileName` is relative to the output folder, POSIX. A rewrite
 * that inserts whole lines says where (0-based line index), so the chunk's source map is shifted.
 */
export type ChunkRewrite = (code: string, fileName: string) => string | { code: string; insertedLines: { at: number; count: number } } | undefined

/** Inserts empty line groups into a source map's mappings: the inserted lines map to nothing. */
export function shiftSourceMap(mapJson: string, at: number, count: number): string {
  const map = JSON.parse(mapJson) as { mappings: string }
  const lines = map.mappings.split(';')
  lines.splice(Math.min(at, lines.length), 0, ...Array.from({ length: count }, () => ''))
  map.mappings = lines.join(';')
  return JSON.stringify(map)
}

function normalize(result: ReturnType<ChunkRewrite>): { code: string; insertedLines?: { at: number; count: number } } | undefined {
  return typeof result === 'string' ? { code: result } : result
}

function outputDir(build: PluginBuild): string {
  const options = build.initialOptions
  const cwd = options.absWorkingDir ?? process.cwd()
  return path.resolve(cwd, options.outdir ?? (options.outfile ? path.dirname(options.outfile) : '.'))
}

function textFile(file: OutputFile, code: string): OutputFile {
  const contents = Buffer.from(code, 'utf8')
  return {
    path: file.path,
    hash: file.hash,
    contents: new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength),
    get text() {
      return code
    },
  }
}

/**
 * esbuild has no per-chunk hook: chunks are rewritten once written (or in `outputFiles` with
 * `write: false`), before the report measures them. Source maps are not adjusted.
 */
export async function rewriteEsbuildChunks(build: PluginBuild, result: BuildResult, rewrite: ChunkRewrite): Promise<void> {
  const outDir = outputDir(build)
  const relative = (file: string): string => path.relative(outDir, file).split(path.sep).join('/')
  if (result.outputFiles) {
    const files = result.outputFiles
    files.forEach((file, index) => {
      if (!JS_FILE.test(file.path)) return
      const rewritten = normalize(rewrite(file.text, relative(file.path)))
      if (!rewritten) return
      files[index] = textFile(file, rewritten.code)
      const mapIndex = files.findIndex((f) => f.path === `${file.path}.map`)
      if (rewritten.insertedLines && mapIndex !== -1) {
        const { at, count } = rewritten.insertedLines
        files[mapIndex] = textFile(files[mapIndex]!, shiftSourceMap(files[mapIndex]!.text, at, count))
      }
    })
    return
  }
  if (!result.metafile) return
  const cwd = build.initialOptions.absWorkingDir ?? process.cwd()
  await Promise.all(
    Object.keys(result.metafile.outputs)
      .filter((file) => JS_FILE.test(file))
      .map(async (metaPath) => {
        const file = path.resolve(cwd, metaPath)
        const rewritten = normalize(rewrite(await readFile(file, 'utf8'), relative(file)))
        if (!rewritten) return
        await writeFile(file, rewritten.code)
        if (!rewritten.insertedLines) return
        const mapJson = await readFile(`${file}.map`, 'utf8').catch(() => undefined)
        if (mapJson !== undefined) await writeFile(`${file}.map`, shiftSourceMap(mapJson, rewritten.insertedLines.at, rewritten.insertedLines.count))
      }),
  )
}

/** Where esbuild writes, for capabilities that add files next to the chunks. */
export function esbuildOutputDir(build: PluginBuild): string {
  return outputDir(build)
}
