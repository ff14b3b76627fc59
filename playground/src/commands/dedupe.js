import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { uniqBy } from 'lodash-es'
import { formatOf, parseText, readText, serialize } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'dedupe',
  description: 'Remove duplicate lines or records (CSV, JSON, YAML or plain text)',
  arguments: [{ name: 'file', description: 'Input file', required: true }],
  options: {
    key: { type: 'string', short: 'k', valueName: 'fields', description: 'Comma-separated fields that identify a record (default: the whole record)' },
    'ignore-case': { type: 'boolean', short: 'i', description: 'Compare case-insensitively' },
    keep: { type: 'string', valueName: 'which', description: 'Keep the first or last occurrence', default: 'first', choices: ['first', 'last'] },
    out: { type: 'string', short: 'o', valueName: 'file', description: 'Write the result to a file' },
  },
  examples: ['devkit dedupe contacts.csv --key email -i', 'devkit dedupe words.txt'],
}

function identity(record, fields, ignoreCase) {
  const value = fields ? fields.map((f) => record?.[f]) : record
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return ignoreCase ? text.toLowerCase() : text
}

export async function run(args, io) {
  const text = await readText(args.file, io.cwd)
  const structured = /\.(csv|tsv|json|ya?ml)$/i.test(args.file)
  const format = structured ? formatOf(args.file) : 'text'
  const records = structured ? parseText(text, format, args.file) : text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1)
  if (!Array.isArray(records)) throw new DevkitError(`${args.file} must hold a list of records`)
  const fields = args.key ? args.key.split(',').map((f) => f.trim()) : undefined
  if (fields && !structured) throw new DevkitError('--key needs a CSV, JSON or YAML file')
  const ordered = args.keep === 'last' ? [...records].reverse() : records
  let kept = uniqBy(ordered, (record) => identity(record, fields, args['ignore-case']))
  if (args.keep === 'last') kept = kept.reverse()
  const output = structured ? serialize(kept, format) : `${kept.join('\n')}\n`
  if (args.out) await writeFile(path.resolve(io.cwd, args.out), output)
  else io.stdout.write(output)
  io.stderr.write(`${records.length - kept.length} duplicate${records.length - kept.length === 1 ? '' : 's'} removed, ${kept.length} kept\n`)
}
