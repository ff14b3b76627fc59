import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createRequire } from 'node:module'
import { initialFiles, reachableFiles, resolveChunkSpecifier, unconditionalDynamicImports, type ChunkLinks } from './initial-load.js'

// @babel/parser loads on first use: most builds never measure a chunk with dynamic imports.
const require = createRequire(import.meta.url)
const parse: typeof import('@babel/parser').parse = (code, options) => (require('@babel/parser') as typeof import('@babel/parser')).parse(code, options)

export interface OutputDirMeasure {
  initialBytes: number
  initialFiles: string[]
  totalBytes: number
  totalFiles: string[]
}

const RELATIVE = /^\.\.?\//

/** Static and dynamic relative imports of an emitted ES module. */
function moduleLinks(fileName: string, code: string): ChunkLinks {
  const imports: string[] = []
  const dynamicImports: string[] = []
  const program = parse(code, { sourceType: 'module', createImportExpressions: true, errorRecovery: true }).program
  for (const statement of program.body) {
    if (
      (statement.type === 'ImportDeclaration' || statement.type === 'ExportAllDeclaration' || statement.type === 'ExportNamedDeclaration') &&
      statement.source &&
      RELATIVE.test(statement.source.value)
    ) {
      imports.push(resolveChunkSpecifier(fileName, statement.source.value))
    }
  }
  const dynamicSpecifiers = [...code.matchAll(/\bimport\(\s*(["'`])(\.\.?\/[^"'`]+)\1\s*\)/g)].map((m) => m[2]!)
  for (const specifier of dynamicSpecifiers) dynamicImports.push(resolveChunkSpecifier(fileName, specifier))
  const eagerDynamicImports = unconditionalDynamicImports(code)
    .filter((s) => RELATIVE.test(s))
    .map((s) => resolveChunkSpecifier(fileName, s))
  return { fileName, imports, dynamicImports, eagerDynamicImports }
}

/**
 * Initial and total bytes of an already-built ESM output folder, for builds made without the
 * plugin (no bundler data): follows the emitted files' relative imports from the entry. Counts
 * the same way as the report: initial = entry + static imports + unconditional dynamic imports.
 */
export async function measureOutputDir(outDir: string, entryFile: string): Promise<OutputDirMeasure> {
  const links = new Map<string, ChunkLinks>()
  const sizes = new Map<string, number>()
  const queue = [entryFile]
  while (queue.length > 0) {
    const file = queue.shift()!
    if (links.has(file)) continue
    let contents: Buffer
    try {
      contents = await readFile(path.join(outDir, file))
    } catch {
      continue
    }
    sizes.set(file, contents.byteLength)
    const link = moduleLinks(file, contents.toString('utf8'))
    links.set(file, link)
    queue.push(...link.imports, ...link.dynamicImports)
  }
  const sum = (files: string[]): number => files.reduce((total, f) => total + (sizes.get(f) ?? 0), 0)
  const initial = initialFiles(entryFile, links)
  const total = reachableFiles(entryFile, links)
  return { initialBytes: sum(initial), initialFiles: initial, totalBytes: sum(total), totalFiles: total }
}
