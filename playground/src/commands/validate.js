import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import jsYaml from 'js-yaml'
import chalk from 'chalk'
import { formatOf, readText, parseText } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'validate',
  description: 'Validate a config file against a JSON Schema',
  arguments: [{ name: 'config', description: 'Config file (.json, .yaml, .toml)', required: true }],
  options: {
    schema: { type: 'string', short: 's', valueName: 'file', description: 'JSON Schema file (JSON or YAML)' },
    'all-errors': { type: 'boolean', description: 'Report every error, not only the first per keyword' },
    strict: { type: 'boolean', description: 'Reject additional properties everywhere' },
  },
  examples: ['devkit validate devkit.yaml --schema schema.json'],
}

// Schemas are often YAML in the wild; js-yaml is what most of them were written with.
async function loadSchema(file, cwd) {
  const text = await readText(file, cwd)
  try {
    return file.endsWith('.json') ? JSON.parse(text) : jsYaml.load(text, { filename: file })
  } catch (error) {
    throw new DevkitError(`${file}: invalid schema: ${String(error.message).split('\n')[0]}`)
  }
}

function forbidAdditional(schema) {
  if (!schema || typeof schema !== 'object') return schema
  const copy = Array.isArray(schema) ? schema.map(forbidAdditional) : { ...schema }
  if (!Array.isArray(copy)) {
    for (const [key, value] of Object.entries(copy)) copy[key] = forbidAdditional(value)
    if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false
  }
  return copy
}

function describeError(error) {
  const where = error.instancePath === '' ? '(root)' : error.instancePath
  if (error.keyword === 'additionalProperties') return `${where}: unknown property "${error.params.additionalProperty}"`
  if (error.keyword === 'enum') return `${where}: must be one of ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  return `${where}: ${error.message}`
}

export async function run(args, io) {
  if (!args.schema) throw new DevkitError('validate: --schema is required')
  const schema = await loadSchema(args.schema, io.cwd)
  const format = formatOf(args.config)
  const data = parseText(await readText(args.config, io.cwd), format, args.config)
  const ajv = new Ajv({ allErrors: Boolean(args['all-errors']), strict: false })
  addFormats(ajv)
  let check
  try {
    check = ajv.compile(args.strict ? forbidAdditional(schema) : schema)
  } catch (error) {
    throw new DevkitError(`${args.schema}: ${error.message}`)
  }
  if (check(data)) {
    io.stdout.write(`${chalk.green('✔')} ${args.config} is valid against ${args.schema}\n`)
    return 0
  }
  io.stderr.write(`${chalk.red('✖')} ${args.config}: ${check.errors.length} error${check.errors.length === 1 ? '' : 's'}\n`)
  for (const error of check.errors) io.stderr.write(`  ${describeError(error)}\n`)
  return 1
}
