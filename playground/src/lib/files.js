import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml'
import Papa from 'papaparse'
import { DevkitError, describeFsError } from './errors.js'

const FORMATS = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml', '.toml': 'toml', '.csv': 'csv', '.tsv': 'tsv' }

export function formatOf(file, explicit) {
  if (explicit) {
    if (!['json', 'yaml', 'toml', 'csv', 'tsv'].includes(explicit)) throw new DevkitError(`unknown format "${explicit}" (expected json, yaml, toml, csv or tsv)`)
    return explicit
  }
  const format = FORMATS[path.extname(file).toLowerCase()]
  if (!format) throw new DevkitError(`cannot tell the format of ${file} from its extension; pass --from`)
  return format
}

export async function readText(file, cwd) {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8')
  } catch (error) {
    throw describeFsError(error, file)
  }
}

/** Parses structured text; parser errors become one-line messages that name the file. */
export function parseText(text, format, file) {
  try {
    switch (format) {
      case 'json':
        return JSON.parse(text)
      case 'yaml':
        return parseYaml(text, { prettyErrors: true })
      case 'toml':
        return parseToml(text)
      case 'csv':
      case 'tsv': {
        const result = Papa.parse(text.trim(), { header: true, delimiter: format === 'tsv' ? '\t' : ',', dynamicTyping: true, skipEmptyLines: true })
        if (result.errors.length > 0) {
          const [first] = result.errors
          throw new Error(`${first.message} (row ${first.row + 2})`)
        }
        return result.data
      }
    }
  } catch (error) {
    const message = String(error.message).split('\n')[0]
    throw new DevkitError(`${file}: invalid ${format.toUpperCase()}: ${message}`)
  }
  throw new DevkitError(`unsupported format ${format}`)
}

export async function loadData(file, cwd, explicitFormat) {
  const format = formatOf(file, explicitFormat)
  return { format, data: parseText(await readText(file, cwd), format, file) }
}

export function serialize(data, format) {
  switch (format) {
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`
    case 'yaml':
      return stringifyYaml(data, { lineWidth: 100 })
    case 'toml':
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new DevkitError('TOML needs a table (an object) at the top level')
      return `${stringifyToml(data)}\n`
    case 'csv':
    case 'tsv':
      if (!Array.isArray(data)) throw new DevkitError(`${format.toUpperCase()} output needs an array of rows`)
      return `${Papa.unparse(data, { delimiter: format === 'tsv' ? '\t' : ',' })}\n`
  }
  throw new DevkitError(`unknown output format "${format}"`)
}
