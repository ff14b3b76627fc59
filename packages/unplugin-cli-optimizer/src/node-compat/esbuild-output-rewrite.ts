import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { BuildResult, OutputFile, PluginBuild } from 'esbuild'

const JS_FILE = /\.(?:m|c)?js$/

/** A rewrite of one emitted chunk; `fileName` is relative to the output folder, POSIX. */
export type ChunkRewrite = (code: string, fileName: string) => string | undefined

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
    result.outputFiles.forEach((file, index) => {
      if (!JS_FILE.test(file.path)) return
      const code = rewrite(file.text, relative(file.path))
      if (code !== undefined) result.outputFiles![index] = textFile(file, code)
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
        const code = rewrite(await readFile(file, 'utf8'), relative(file))
        if (code !== undefined) await writeFile(file, code)
      }),
  )
}

/** Where esbuild writes, for capabilities that add files next to the chunks. */
export function esbuildOutputDir(build: PluginBuild): string {
  return outputDir(build)
}
