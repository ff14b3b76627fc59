import path from 'node:path'
import type { OutputChunk, OutputGraph } from './output-graph.js'

/**
 * The part of an output bundle that Rollup, Rolldown and Vite (Rolldown inside) all provide,
 * typed structurally so one adapter serves the three whatever their type packages say.
 */
export interface RollupLikeChunk {
  type: 'chunk'
  fileName: string
  name: string
  isEntry: boolean
  imports: readonly string[]
  dynamicImports: readonly string[]
  modules: Record<string, { renderedLength: number }>
}
export type RollupLikeBundle = Record<string, RollupLikeChunk | { type: 'asset' }>
export interface RollupLikeOutputOptions {
  dir?: string | undefined
  file?: string | undefined
}

/** Builds the neutral output graph from a Rollup-style bundle in `writeBundle`. */
export function outputGraphFromRollup(
  outputOptions: RollupLikeOutputOptions,
  bundle: RollupLikeBundle,
  root: string,
): OutputGraph {
  const outDir = path.resolve(root, outputOptions.dir ?? (outputOptions.file ? path.dirname(outputOptions.file) : 'dist'))
  const chunks: OutputChunk[] = []
  for (const item of Object.values(bundle)) {
    if (item.type !== 'chunk') continue
    chunks.push({
      fileName: item.fileName,
      isEntry: item.isEntry,
      entryName: item.isEntry ? item.name : undefined,
      imports: [...item.imports],
      dynamicImports: [...item.dynamicImports],
      modules: Object.entries(item.modules).map(([id, info]) => ({ id, renderedBytes: info.renderedLength })),
      renderedBeforeMinify: true,
      contents: undefined,
    })
  }
  return { outDir, chunks }
}
