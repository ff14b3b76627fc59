#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import chalk from 'chalk'
import commands from '../commands/index.js'
import { DevkitError } from '../lib/errors.js'
import { commandHelp, mainHelp } from '../lib/help.js'
import { parseCommandArgs } from '../lib/parse-args.js'

function readVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  return pkg.version
}

async function main(argv) {
  const io = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }
  const [first, ...rest] = argv
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${readVersion()}\n`)
    return 0
  }
  const byName = new Map(commands.map((command) => [command.name, command]))
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' ? byName.get(rest[0]) : undefined
    io.stdout.write(target ? commandHelp(target) : mainHelp(commands, readVersion()))
    return 0
  }
  const command = byName.get(first)
  if (!command) {
    throw new DevkitError(`unknown command "${first}". Run "devkit --help" to see the commands.`)
  }
  const parsed = parseCommandArgs(command, rest)
  if (parsed.help) {
    io.stdout.write(commandHelp(command))
    return 0
  }
  const { run } = await command.load()
  return (await run(parsed.values, io)) ?? 0
}

async function fail(error) {
  const message = error instanceof DevkitError ? error.message : `unexpected error: ${error?.message ?? error}`
  process.stderr.write(`${chalk.red('devkit:')} ${message}\n`)
  return error?.exitCode ?? 1
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  process.exitCode = await fail(error)
}
