import { stat } from 'node:fs/promises'
import path from 'node:path'
import fg from 'fast-glob'
import picomatch from 'picomatch'
import chalk from 'chalk'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'ls',
  description: 'List files matching glob patterns, with sizes and a summary',
  arguments: [{ name: 'patterns', description: 'Glob patterns (default: **/*)', variadic: true }],
  options: {
    cwd: { type: 'string', short: 'C', valueName: 'dir', description: 'Directory to search in', default: '.' },
    ignore: { type: 'string', short: 'i', valueName: 'glob', description: 'Glob to leave out (repeatable)', multiple: true },
    only: { type: 'string', valueName: 'glob', description: 'Keep only base names matching this picomatch glob' },
    long: { type: 'boolean', short: 'l', description: 'Show sizes' },
    dot: { type: 'boolean', description: 'Include dot files' },
    'by-ext': { type: 'boolean', description: 'Summarize by extension' },
  },
  examples: ["devkit ls 'src/**/*.js' --long", "devkit ls --cwd examples --only '*.{yaml,yml}'"],
}

export function humanSize(bytes) {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

export async function run(args, io) {
  const cwd = path.resolve(io.cwd, args.cwd)
  const patterns = args.patterns.length > 0 ? args.patterns : ['**/*']
  let files
  try {
    files = await fg(patterns, { cwd, ignore: ['**/node_modules/**', ...(args.ignore ?? [])], dot: Boolean(args.dot), onlyFiles: true, throwErrorOnBrokenSymbolicLink: false })
  } catch (error) {
    throw new DevkitError(`ls: ${error.message}`)
  }
  if (args.only) {
    const isMatch = picomatch(args.only, { basename: true, dot: Boolean(args.dot) })
    files = files.filter((file) => isMatch(file))
  }
  files.sort()
  if (files.length === 0) throw new DevkitError(`ls: nothing matches ${patterns.join(' ')} in ${args.cwd}`)
  const sizes = await Promise.all(files.map(async (file) => (await stat(path.join(cwd, file))).size))
  const total = sizes.reduce((a, b) => a + b, 0)
  if (args['by-ext']) {
    const groups = new Map()
    files.forEach((file, i) => {
      const ext = path.extname(file) || '(none)'
      const group = groups.get(ext) ?? { count: 0, bytes: 0 }
      group.count++
      group.bytes += sizes[i]
      groups.set(ext, group)
    })
    for (const [ext, group] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes || a[0].localeCompare(b[0]))) {
      io.stdout.write(`${ext.padEnd(10)}${String(group.count).padStart(5)} ${group.count === 1 ? ' file ' : ' files'}  ${humanSize(group.bytes).padStart(10)}\n`)
    }
  } else {
    files.forEach((file, i) => {
      io.stdout.write(args.long ? `${humanSize(sizes[i]).padStart(10)}  ${file}\n` : `${file}\n`)
    })
  }
  io.stdout.write(chalk.dim(`${files.length} file${files.length === 1 ? '' : 's'}, ${humanSize(total)}\n`))
}
