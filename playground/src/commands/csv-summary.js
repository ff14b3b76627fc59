import Papa from 'papaparse'
import Table from 'cli-table3'
import chalk from 'chalk'
import { countBy, groupBy, meanBy, orderBy, sumBy, uniq } from 'lodash-es'
import { readText } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'csv-summary',
  description: 'Summarize the columns of a CSV file (types, ranges, statistics)',
  arguments: [{ name: 'file', description: 'CSV file with a header row', required: true }],
  options: {
    'group-by': { type: 'string', short: 'g', valueName: 'column', description: 'Also total every numeric column per value of this column' },
    delimiter: { type: 'string', short: 'd', valueName: 'char', description: 'Field delimiter (default: detected)' },
    json: { type: 'boolean', description: 'Print the summary as JSON' },
  },
  examples: ['devkit csv-summary sales.csv --group-by region'],
}

const round = (n) => Math.round(n * 1000) / 1000

function median(sorted) {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function summarizeColumn(name, values) {
  const present = values.filter((v) => v !== null && v !== undefined && v !== '')
  const numbers = present.filter((v) => typeof v === 'number')
  const base = { column: name, count: present.length, missing: values.length - present.length, unique: uniq(present).length }
  if (numbers.length === present.length && numbers.length > 0) {
    const sorted = [...numbers].sort((a, b) => a - b)
    const mean = meanBy(numbers)
    const variance = meanBy(numbers, (n) => (n - mean) ** 2)
    return { ...base, type: 'number', min: sorted[0], max: sorted.at(-1), mean: round(mean), median: median(sorted), stddev: round(Math.sqrt(variance)), sum: round(sumBy(numbers)) }
  }
  const counts = countBy(present.map(String))
  const [top] = orderBy(Object.entries(counts), [([, n]) => n, ([value]) => value], ['desc', 'asc'])
  const isDate = present.length > 0 && present.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v))
  return { ...base, type: isDate ? 'date' : 'string', min: isDate ? [...present].sort()[0] : undefined, max: isDate ? [...present].sort().at(-1) : undefined, top: top ? `${top[0]} (${top[1]})` : undefined }
}

export async function run(args, io) {
  const text = await readText(args.file, io.cwd)
  const parsed = Papa.parse(text.trim(), { header: true, dynamicTyping: true, skipEmptyLines: true, delimiter: args.delimiter ?? '' })
  if (parsed.errors.length > 0) {
    const [first] = parsed.errors
    throw new DevkitError(`${args.file}: ${first.message} (row ${first.row + 2})`)
  }
  const rows = parsed.data
  const columns = parsed.meta.fields ?? []
  if (rows.length === 0) throw new DevkitError(`${args.file} has a header but no rows`)
  const summary = columns.map((column) => summarizeColumn(column, rows.map((row) => row[column])))
  let groups
  if (args['group-by']) {
    if (!columns.includes(args['group-by'])) throw new DevkitError(`unknown column ${args['group-by']} (have: ${columns.join(', ')})`)
    const numeric = summary.filter((s) => s.type === 'number').map((s) => s.column)
    const grouped = groupBy(rows, (row) => String(row[args['group-by']]))
    groups = Object.keys(grouped).sort().map((key) => ({ [args['group-by']]: key, rows: grouped[key].length, ...Object.fromEntries(numeric.map((c) => [c, round(sumBy(grouped[key], c))])) }))
  }
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ file: args.file, rows: rows.length, columns: summary, groups }, null, 2)}\n`)
    return
  }
  io.stdout.write(`${chalk.bold(args.file)}: ${rows.length} rows, ${columns.length} columns\n`)
  const out = new Table({ head: ['column', 'type', 'count', 'missing', 'unique', 'min', 'max', 'mean', 'median', 'top'], style: { head: [], border: [] } })
  for (const s of summary) out.push([s.column, s.type, s.count, s.missing, s.unique, s.min ?? '', s.max ?? '', s.mean ?? '', s.median ?? '', s.top ?? ''].map(String))
  io.stdout.write(`${out.toString()}\n`)
  if (groups) {
    const keys = Object.keys(groups[0])
    const grouped = new Table({ head: keys, style: { head: [], border: [] } })
    for (const group of groups) grouped.push(keys.map((k) => String(group[k])))
    io.stdout.write(`\nBy ${args['group-by']}:\n${grouped.toString()}\n`)
  }
}
