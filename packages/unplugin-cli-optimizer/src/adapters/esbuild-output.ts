import path from 'node:path'
import type { BuildOptions, BuildResult, Metafile } from 'esbuild'
import type { OutputChunk, OutputGraph } from './output-graph.js'

const JS_FILE = /\.(?:m|c)?js$/

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/** esbuild names inputs of plugin namespaces `namespace:path`; those stay virtual ids. */
function moduleId(cwd: string, metaInput: string): string {
  const namespaced = /^([a-z][\w-]+):(.+)$/i.exec(metaInput)
  if (namespaced && namespaced[1] !== 'file') return `${namespaced[1]}:${namespaced[2]}`
  return path.resolve(cwd, namespaced ? namespaced[2]! : metaInput)
}

/** A metafile entry point as the absolute path of the user's file: no plugin namespace, no query. */
function entryPointPath(cwd: string, entryPoint: string): string {
  const withoutNamespace = /^[a-z][\w:-]*:(\/.*)$/i.exec(entryPoint)?.[1] ?? entryPoint
  return path.resolve(cwd, withoutNamespace.replace(/\?.*$/, ''))
}

/** Absolute input path → entry name ('' when esbuild derives the name from the file). */
function userEntryPoints(options: BuildOptions, cwd: string): Map<string, string> {
  const names = new Map<string, string>()
  const points = options.entryPoints
  if (Array.isArray(points)) {
    for (const point of points) {
      if (typeof point === 'string') names.set(path.resolve(cwd, point), '')
      else names.set(path.resolve(cwd, point.in), point.out)
    }
  } else if (points) {
    for (const [name, input] of Object.entries(points)) names.set(path.resolve(cwd, input), name)
  }
  return names
}

/** Builds the neutral output graph from esbuild's metafile (which the plugin always enables). */
export function outputGraphFromEsbuild(options: BuildOptions, result: BuildResult, metafile: Metafile): OutputGraph {
  const cwd = options.absWorkingDir ?? process.cwd()
  const outDir = path.resolve(cwd, options.outdir ?? (options.outfile ? path.dirname(options.outfile) : '.'))
  const written = new Map<string, Uint8Array>()
  for (const file of result.outputFiles ?? []) written.set(path.resolve(file.path), file.contents)

  const entryNames = userEntryPoints(options, cwd)
  const dynamicTargets = new Set(
    Object.values(metafile.outputs).flatMap((output) => output.imports.filter((imp) => imp.kind === 'dynamic-import').map((imp) => imp.path)),
  )
  const relative = (metaPath: string): string => toPosix(path.relative(outDir, path.resolve(cwd, metaPath)))
  const chunks: OutputChunk[] = []
  for (const [metaPath, output] of Object.entries(metafile.outputs)) {
    if (!JS_FILE.test(metaPath)) continue
    const fileName = relative(metaPath)
    const internal = output.imports.filter((imp) => !imp.external && JS_FILE.test(imp.path))
    // esbuild also sets `entryPoint` on the chunks of dynamically imported modules; an entry of
    // the program is an entry point nothing imports dynamically.
    const isEntry = output.entryPoint !== undefined && !dynamicTargets.has(metaPath)
    const entryName = isEntry ? entryNames.get(entryPointPath(cwd, output.entryPoint!)) : undefined
    chunks.push({
      fileName,
      isEntry,
      entryName: isEntry ? entryName || path.posix.basename(fileName).replace(JS_FILE, '') : undefined,
      imports: internal.filter((imp) => imp.kind === 'import-statement').map((imp) => relative(imp.path)),
      dynamicImports: internal.filter((imp) => imp.kind === 'dynamic-import').map((imp) => relative(imp.path)),
      modules: Object.entries(output.inputs).map(([id, input]) => ({
        id: moduleId(cwd, id),
        renderedBytes: input.bytesInOutput,
      })),
      renderedBeforeMinify: false,
      contents: written.get(path.resolve(cwd, metaPath)),
    })
  }
  return { outDir, chunks }
}
