import Table from 'cli-table3'
import chalk from 'chalk'
import { orderBy } from 'lodash-es'
import { loadData, serialize } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'table',
  description: 'Print CSV or JSON rows as a table (terminal, markdown or CSV)',
  arguments: [{ name: 'file', description: 'A .csv/.tsv file or a JSON/YAML array of objects', required: true }],
  options: {
    columns: { type: 'string', short: 'c', valueName: 'list', description: 'Comma-separated columns to show, in order' },
    sort: { type: 'string', short: 's', valueName: 'column', description: 'Sort by a column; prefix with - for descending' },
    limit: { type: 'string', short: 'n', valueName: 'count', description: 'Show at most this many rows' },
    format: { type: 'string', short: 'f', valueName: 'format', description: 'Output: table, markdown or csv', default: 'table', choices: ['table', 'markdown', 'csv'] },
  },
  examples: ['devkit table sales.csv --columns region,amount --sort -amount -n 5'],
}

function cell(value) {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function markdownTable(columns, rows) {
  const escape = (s) => s.replace(/\|/g, '\\|')
  const lines = [`| ${columns.map(escape).join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`]
  for (const row of rows) lines.push(`| ${columns.map((c) => escape(cell(row[c]))).join(' | ')} |`)
  return `${lines.join('\n')}\n`
}

export async function run(args, io) {
  const { data } = await loadData(args.file, io.cwd)
  const rows = Array.isArray(data) ? data : Object.entries(data).map(([key, value]) => ({ key, value }))
  if (rows.length === 0) throw new DevkitError(`${args.file} has no rows`)
  const known = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const columns = args.columns ? args.columns.split(',').map((c) => c.trim()) : known
  const missing = columns.filter((c) => !known.includes(c))
  if (missing.length > 0) throw new DevkitError(`unknown column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (have: ${known.join(', ')})`)
  let shown = rows
  if (args.sort) {
    const descending = args.sort.startsWith('-')
    const column = descending ? args.sort.slice(1) : args.sort
    if (!known.includes(column)) throw new DevkitError(`cannot sort by unknown column ${column}`)
    shown = orderBy(rows, [column], [descending ? 'desc' : 'asc'])
  }
  if (args.limit !== undefined) {
    const limit = Number(args.limit)
    if (!Number.isInteger(limit) || limit < 1) throw new DevkitError(`--limit must be a positive integer, got "${args.limit}"`)
    shown = shown.slice(0, limit)
  }
  if (args.format === 'markdown') {
    io.stdout.write(markdownTable(columns, shown))
  } else if (args.format === 'csv') {
    io.stdout.write(serialize(shown.map((row) => Object.fromEntries(columns.map((c) => [c, row[c]]))), 'csv'))
  } else {
    const numeric = columns.map((c) => shown.every((row) => row[c] === null || row[c] === undefined || typeof row[c] === 'number'))
    const out = new Table({
      head: columns.map((c) => chalk.bold(c)),
      style: { head: [], border: [] },
      colAligns: numeric.map((isNumber) => (isNumber ? 'right' : 'left')),
    })
    for (const row of shown) out.push(columns.map((c) => cell(row[c])))
    io.stdout.write(`${out.toString()}\n`)
    if (shown.length < rows.length) io.stdout.write(chalk.dim(`${shown.length} of ${rows.length} rows\n`))
  }
}
