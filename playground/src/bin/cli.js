#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import chalk from 'chalk'
import * as bump from '../commands/bump.js'
import * as convert from '../commands/convert.js'
import * as csvSummary from '../commands/csv-summary.js'
import * as dates from '../commands/dates.js'
import * as dedupe from '../commands/dedupe.js'
import * as diff from '../commands/diff.js'
import * as hash from '../commands/hash.js'
import * as init from '../commands/init.js'
import * as ls from '../commands/ls.js'
import * as query from '../commands/query.js'
import * as render from '../commands/render.js'
import * as table from '../commands/table.js'
import * as validate from '../commands/validate.js'
import * as versions from '../commands/versions.js'
import * as wordcount from '../commands/wordcount.js'
import { DevkitError } from '../lib/errors.js'

const COMMANDS = [bump, convert, csvSummary, dates, dedupe, diff, hash, init, ls, query, render, table, validate, versions, wordcount]
const byName = new Map(COMMANDS.map((command) => [command.meta.name, command]))

function readVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  return pkg.version
}

function mainHelp() {
  const width = Math.max(...COMMANDS.map((c) => c.meta.name.length)) + 2
  const lines = [
    `${chalk.bold('devkit')} ${readVersion()}: a toolkit for config, data and text files`,
    '',
    `Usage: devkit <command> [arguments] [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${chalk.cyan(c.meta.name.padEnd(width))}${c.meta.description}`),
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

function commandHelp(meta) {
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

/** Maps argv onto the command's declared arguments and options. */
function parseCommandArgs(meta, argv) {
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

async function main(argv) {
  const io = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }
  const [first, ...rest] = argv
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${readVersion()}\n`)
    return 0
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' ? byName.get(rest[0]) : undefined
    io.stdout.write(target ? commandHelp(target.meta) : mainHelp())
    return 0
  }
  const command = byName.get(first)
  if (!command) {
    throw new DevkitError(`unknown command "${first}". Run "devkit --help" to see the commands.`)
  }
  const parsed = parseCommandArgs(command.meta, rest)
  if (parsed.help) {
    io.stdout.write(commandHelp(command.meta))
    return 0
  }
  return (await command.run(parsed.values, io)) ?? 0
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const message = error instanceof DevkitError ? error.message : `unexpected error: ${error?.message ?? error}`
  process.stderr.write(`${chalk.red('devkit:')} ${message}\n`)
  process.exitCode = error?.exitCode ?? 1
}
