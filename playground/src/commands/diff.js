import chalk from 'chalk'
import { isEqual, isPlainObject, union } from 'lodash-es'
import { loadData } from '../lib/files.js'

export const meta = {
  name: 'diff',
  description: 'Show structural differences between two JSON/YAML/TOML files',
  arguments: [
    { name: 'left', description: 'Old file', required: true },
    { name: 'right', description: 'New file', required: true },
  ],
  options: {
    'exit-code': { type: 'boolean', description: 'Exit with 1 when the files differ' },
    'ignore-order': { type: 'boolean', description: 'Treat arrays as unordered sets' },
    json: { type: 'boolean', description: 'Print the changes as JSON' },
  },
  examples: ['devkit diff old.yaml new.toml', 'devkit diff a.json b.json --exit-code'],
}

function show(value) {
  return JSON.stringify(value)
}

function sortedForCompare(value) {
  return [...value].sort((a, b) => show(a).localeCompare(show(b)))
}

function compare(left, right, at, changes, ignoreOrder) {
  if (isEqual(left, right)) return
  if (isPlainObject(left) && isPlainObject(right)) {
    for (const key of union(Object.keys(left), Object.keys(right)).sort()) {
      const where = at ? `${at}.${key}` : key
      if (!(key in right)) changes.push({ op: 'remove', path: where, from: left[key] })
      else if (!(key in left)) changes.push({ op: 'add', path: where, to: right[key] })
      else compare(left[key], right[key], where, changes, ignoreOrder)
    }
    return
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    if (ignoreOrder && isEqual(sortedForCompare(left), sortedForCompare(right))) return
    const length = Math.max(left.length, right.length)
    for (let i = 0; i < length; i++) {
      const where = `${at}[${i}]`
      if (i >= right.length) changes.push({ op: 'remove', path: where, from: left[i] })
      else if (i >= left.length) changes.push({ op: 'add', path: where, to: right[i] })
      else compare(left[i], right[i], where, changes, ignoreOrder)
    }
    return
  }
  changes.push({ op: 'change', path: at || '(root)', from: left, to: right })
}

export async function run(args, io) {
  const [left, right] = await Promise.all([loadData(args.left, io.cwd), loadData(args.right, io.cwd)])
  const changes = []
  compare(left.data, right.data, '', changes, Boolean(args['ignore-order']))
  if (args.json) {
    io.stdout.write(`${JSON.stringify(changes, null, 2)}\n`)
  } else if (changes.length === 0) {
    io.stdout.write('no differences\n')
  } else {
    for (const c of changes) {
      if (c.op === 'add') io.stdout.write(chalk.green(`+ ${c.path}: ${show(c.to)}\n`))
      else if (c.op === 'remove') io.stdout.write(chalk.red(`- ${c.path}: ${show(c.from)}\n`))
      else io.stdout.write(chalk.yellow(`~ ${c.path}: ${show(c.from)} → ${show(c.to)}\n`))
    }
    const counts = ['add', 'remove', 'change'].map((op) => changes.filter((c) => c.op === op).length)
    io.stdout.write(`${changes.length} difference${changes.length === 1 ? '' : 's'} (${counts[0]} added, ${counts[1]} removed, ${counts[2]} changed)\n`)
  }
  return args['exit-code'] && changes.length > 0 ? 1 : 0
}
