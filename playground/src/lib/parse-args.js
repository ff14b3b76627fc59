import { parseArgs } from 'node:util'
import { DevkitError } from './errors.js'

/** Maps argv onto the command's declared arguments and options. */
export function parseCommandArgs(meta, argv) {
  const options = { help: { type: 'boolean', short: 'h' } }
  for (const [name, spec] of Object.entries(meta.options)) {
    options[name] = { type: spec.type, multiple: spec.multiple ?? false }
    if (spec.short) options[name].short = spec.short
  }
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new DevkitError(`${meta.name}: ${error.message.split('\n')[0]}`)
  }
  const values = { ...parsed.values }
  if (values.help) return { help: true }
  for (const [name, spec] of Object.entries(meta.options)) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default
    if (spec.choices && values[name] !== undefined && !spec.choices.includes(values[name])) {
      throw new DevkitError(`${meta.name}: --${name} must be one of ${spec.choices.join(', ')}, got "${values[name]}"`)
    }
  }
  const positionals = [...parsed.positionals]
  for (const arg of meta.arguments) {
    if (arg.variadic) {
      values[arg.name] = positionals.splice(0)
      if (arg.required && values[arg.name].length === 0) throw new DevkitError(`${meta.name}: missing argument <${arg.name}...>`)
    } else {
      values[arg.name] = positionals.shift()
      if (arg.required && values[arg.name] === undefined) throw new DevkitError(`${meta.name}: missing argument <${arg.name}>`)
    }
  }
  if (positionals.length > 0) throw new DevkitError(`${meta.name}: unexpected argument "${positionals[0]}"`)
  return { values }
}
