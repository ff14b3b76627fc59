import { get, toPath } from 'lodash-es'
import { loadData, serialize } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'query',
  description: 'Read a value from a JSON/YAML/TOML file by path (a.b[0].c)',
  arguments: [
    { name: 'file', description: 'Data file', required: true },
    { name: 'path', description: 'Property path; omit for the whole document', required: false },
  ],
  options: {
    output: { type: 'string', short: 'o', valueName: 'format', description: 'json, yaml or raw', default: 'raw', choices: ['json', 'yaml', 'raw'] },
    keys: { type: 'boolean', short: 'k', description: 'Print only the keys of the selected object' },
  },
  examples: ['devkit query devkit.yaml tasks[0].name', 'devkit query config.toml server --output json'],
}

export async function run(args, io) {
  const { data } = await loadData(args.file, io.cwd)
  const value = args.path ? get(data, args.path) : data
  if (value === undefined) throw new DevkitError(`${args.file}: nothing at ${toPath(args.path).join(' → ')}`)
  if (args.keys) {
    if (value === null || typeof value !== 'object') throw new DevkitError(`${args.path} is not an object`)
    io.stdout.write(`${Object.keys(value).join('\n')}\n`)
    return
  }
  if (args.output === 'raw' && (value === null || typeof value !== 'object')) io.stdout.write(`${value instanceof Date ? value.toISOString() : value}\n`)
  else io.stdout.write(serialize(value, args.output === 'yaml' ? 'yaml' : 'json'))
}
