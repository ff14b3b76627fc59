// Bundle sizes of the playground per bundler and variant: file sizes on disk (gzip computed here,
// the same way for both variants) and, for optimized outputs, the plugin's report JSON v1.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ensureOutputs } from './_playground.mjs'

export default {
  name: 'sizes',
  order: 20,
  description: 'Bundle sizes of the playground per bundler and variant',
  async run(ctx) {
    const { formatBytes, markdownTable } = ctx.bench
    const { ready, errors } = await ensureOutputs(ctx)
    const metrics = []
    const rows = []
    const data = {}
    for (const output of ready) {
      let files
      let totalBytes = 0
      let gzipBytes = 0
      let entryBytes
      try {
        files = (await readdir(output.dir, { recursive: true })).filter((file) => /\.(m?js|cjs)$/.test(file))
        for (const file of files) {
          const content = await readFile(path.join(output.dir, file))
          totalBytes += content.length
          gzipBytes += gzipSync(content, { level: 9 }).length
        }
        entryBytes = (await stat(output.entry)).size
      } catch (error) {
        // Another process (a rebuild) may be replacing the directory right now.
        errors.push(`${output.key}: cannot read the output: ${error.message}`)
        continue
      }
      let report = null
      try {
        report = JSON.parse(await readFile(path.join(output.dir, 'report.json'), 'utf8'))
      } catch {
        if (output.variant === 'optimized') errors.push(`${output.key}: no report.json (the plugin writes one for optimized builds)`)
      }
      if (report && report.schemaVersion !== 1) {
        errors.push(`${output.key}: report.json has schemaVersion ${report.schemaVersion}, this suite reads v1`)
        report = null
      }
      const entry = report?.entries.find((candidate) => candidate.file === 'cli.js') ?? report?.entries[0]
      // Without a report, a single-file output loads all of itself at start.
      const initialBytes = entry ? entry.initialBytes : files.length === 1 ? totalBytes : null
      data[output.key] = { files: files.length, totalBytes, gzipBytes, entryBytes, initialBytes, reportTotalBytes: entry?.totalBytes ?? null }
      const id = `sizes.${output.key}`
      metrics.push(
        { id: `${id}.total-bytes`, label: `${output.key} JS bytes`, value: totalBytes, unit: 'bytes', better: 'lower', kind: 'size' },
        { id: `${id}.gzip-bytes`, label: `${output.key} JS gzip bytes`, value: gzipBytes, unit: 'bytes', better: 'lower', kind: 'size' },
      )
      if (initialBytes !== null) {
        metrics.push({ id: `${id}.initial-bytes`, label: `${output.key} bytes loaded at start`, value: initialBytes, unit: 'bytes', better: 'lower', kind: 'size' })
      }
      rows.push([
        output.bundler,
        output.variant,
        files.length,
        formatBytes(totalBytes),
        formatBytes(gzipBytes),
        formatBytes(entryBytes),
        initialBytes === null ? '–' : formatBytes(initialBytes),
      ])
    }
    const markdown = [
      'JS files (all folders) in `playground/dist-bench/<bundler>-<variant>/`; gzip level 9 computed by the suite; "loaded at start" from the report JSON v1 (`entries[].initialBytes`) for optimized outputs, the whole file for single-file plain outputs.',
      '',
      markdownTable(['Bundler', 'Variant', 'Files', 'JS', 'gzip', 'cli.js', 'Loaded at start'], rows),
    ].join('\n')
    return { metrics, markdown, errors, data }
  },
}
