import chalk from 'chalk'

/** The main help screen; `commands` are the registry records (`{ name, description, … }`). */
export function mainHelp(commands, version) {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2
  const lines = [
    `${chalk.bold('devkit')} ${version}: a toolkit for config, data and text files`,
    '',
    `Usage: devkit <command> [arguments] [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${chalk.cyan(c.name.padEnd(width))}${c.description}`),
    '',
    'Global options:',
    '  -h, --help     Show help (also: devkit <command> --help)',
    '  -v, --version  Print the version',
    '',
  ]
  return lines.join('\n')
}

function argumentUsage(arg) {
  const name = arg.variadic ? `${arg.name}...` : arg.name
  return arg.required ? `<${name}>` : `[${name}]`
}

/** Help of one command, from its metadata. */
export function commandHelp(meta) {
  const usage = [`devkit ${meta.name}`, ...meta.arguments.map(argumentUsage)]
  const options = Object.entries(meta.options)
  if (options.length > 0) usage.push('[options]')
  const lines = [`Usage: ${usage.join(' ')}`, '', meta.description, '']
  if (meta.arguments.length > 0) {
    lines.push('Arguments:')
    const width = Math.max(...meta.arguments.map((a) => a.name.length)) + 2
    for (const arg of meta.arguments) lines.push(`  ${arg.name.padEnd(width)}${arg.description}`)
    lines.push('')
  }
  const flags = options.map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    '
    return [`${short}--${name}${spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : ''}`, spec]
  })
  flags.push(['-h, --help', { description: 'Show this help' }])
  const width = Math.max(...flags.map(([flag]) => flag.length)) + 2
  lines.push('Options:')
  for (const [flag, spec] of flags) {
    const extra = spec.default !== undefined ? ` (default: ${JSON.stringify(spec.default)})` : ''
    lines.push(`  ${flag.padEnd(width)}${spec.description}${extra}`)
  }
  if (meta.examples?.length) {
    lines.push('', 'Examples:', ...meta.examples.map((e) => `  $ ${e}`))
  }
  lines.push('')
  return lines.join('\n')
}
