import { createHash } from 'node:crypto'
import path from 'node:path'
import type { BuildResult, PluginBuild } from 'esbuild'
import { rewriteEsbuildChunks } from '../node-compat/esbuild-output-rewrite.js'

/**
 * esbuild cannot add an entry point once a build runs: a worker module found in a transform gets
 * a placeholder URL, is built afterwards as an entry of its own (same options, a fresh plugin
 * instance, so it gets node-compat too), and the placeholders become paths relative to each chunk.
 */
export class EsbuildWorkerEntries {
  /** placeholder file name → [absolute module path, output name without extension]. */
  readonly #entries = new Map<string, { file: string; name: string }>()

  reset(): void {
    this.#entries.clear()
  }

  /** The placeholder URL specifier standing for `file` until the worker is built. */
  placeholder(file: string): string {
    const hash = createHash('sha256').update(file).digest('hex').slice(0, 8)
    const name = `${path.basename(file).replace(/\.[cm]?[jt]sx?$/, '')}-${hash}`
    const key = `__cli_optimizer_worker_${hash}__.js`
    this.#entries.set(key, { file, name })
    return `./${key}`
  }

  /**
   * Builds the recorded workers, then points the placeholders in every chunk at them.
   * `pluginsFor()` returns the plugins of a worker build (a fresh cli-optimizer instance).
   */
  async finish(build: PluginBuild, result: BuildResult, pluginsFor: () => Promise<import('esbuild').Plugin[]>): Promise<void> {
    if (this.#entries.size === 0) return
    const { entryPoints: _entries, plugins: _plugins, metafile: _metafile, ...rest } = build.initialOptions
    const entryPoints = Object.fromEntries([...this.#entries.values()].map(({ file, name }) => [name, file]))
    const outputs = await build.esbuild.build({ ...rest, entryPoints, plugins: await pluginsFor(), metafile: true })
    if (rest.write === false && result.outputFiles && outputs.outputFiles) result.outputFiles.push(...outputs.outputFiles)
    const byKey = new Map([...this.#entries].map(([key, { name }]) => [key, `${name}.js`]))
    const pattern = /\.\/(__cli_optimizer_worker_[0-9a-f]{8}__\.js)/g
    await rewriteEsbuildChunks(build, result, (code, fileName) => {
      if (!code.includes('__cli_optimizer_worker_')) return undefined
      const from = path.posix.dirname(fileName)
      return code.replace(pattern, (whole, key: string) => {
        const target = byKey.get(key)
        if (!target) return whole
        const relative = path.posix.relative(from, target)
        return relative.startsWith('.') ? relative : `./${relative}`
      })
    })
  }
}
