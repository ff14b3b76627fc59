import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadData, serialize } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'convert',
  description: 'Convert a data file between JSON, YAML, TOML and CSV',
  arguments: [{ name: 'file', description: 'Input file (.json, .yaml, .yml, .toml, .csv)', required: true }],
  options: {
    to: { type: 'string', short: 't', valueName: 'format', description: 'Output format: json, yaml, toml or csv', default: 'json', choices: ['json', 'yaml', 'toml', 'csv'] },
    from: { type: 'string', short: 'f', valueName: 'format', description: 'Input format (default: from the file extension)' },
    out: { type: 'string', short: 'o', valueName: 'file', description: 'Write to a file instead of stdout' },
    'sort-keys': { type: 'boolean', description: 'Sort object keys recursively' },
  },
  examples: ['devkit convert config.yaml --to toml', 'devkit convert data.csv --to json -o data.json'],
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]))
  }
  return value
}

export async function run(args, io) {
  const { format, data } = await loadData(args.file, io.cwd, args.from)
  if (format === args.to && !args['sort-keys']) throw new DevkitError(`${args.file} is already ${args.to.toUpperCase()}`)
  const text = serialize(args['sort-keys'] ? sortKeys(data) : data, args.to)
  if (args.out) {
    await writeFile(path.resolve(io.cwd, args.out), text)
    io.stdout.write(`wrote ${args.out} (${Buffer.byteLength(text)} bytes, ${format} → ${args.to})\n`)
  } else {
    io.stdout.write(text)
  }
}
