/**
 * The bundler-neutral view of one build's output. Each bundler adapter fills it from the
 * bundler's own data (esbuild's metafile, Rollup/Rolldown's output bundle); everything after
 * that point is shared.
 */

export interface OutputModule {
  /** Absolute path, or a virtual id as the bundler names it. */
  id: string
  /**
   * Bytes the bundler says this module contributes to the chunk. esbuild's `bytesInOutput` is
   * exact; Rollup/Rolldown's `renderedLength` is measured before minifiers run, so it is scaled.
   */
  renderedBytes: number
}

export interface OutputChunk {
  /** POSIX path relative to `OutputGraph.outDir`. */
  fileName: string
  isEntry: boolean
  /** The entry's name as the bundler knows it (esbuild: the entry's input path). */
  entryName: string | undefined
  imports: string[]
  dynamicImports: string[]
  modules: OutputModule[]
  /** Whether `renderedBytes` may exceed the emitted size (measured before minification). */
  renderedBeforeMinify: boolean
  /** Emitted contents when the bundler did not write them to disk. */
  contents: Uint8Array | undefined
}

export interface OutputGraph {
  outDir: string
  chunks: OutputChunk[]
}
