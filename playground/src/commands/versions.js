import semver from 'semver'
import { loadData, readText } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'versions',
  description: 'Sort a list of versions and check them against a semver range',
  arguments: [{ name: 'file', description: 'Text file with one version per line, or a JSON/YAML array', required: true }],
  options: {
    range: { type: 'string', short: 'r', valueName: 'range', description: 'Keep only versions satisfying this range' },
    prerelease: { type: 'boolean', short: 'p', description: 'Let prereleases satisfy the range' },
    latest: { type: 'boolean', description: 'Print only the highest matching version' },
  },
  examples: ["devkit versions releases.txt --range '^2.0.0'"],
}

async function readVersions(file, cwd) {
  if (/\.(json|ya?ml|toml)$/.test(file)) {
    const { data } = await loadData(file, cwd)
    if (!Array.isArray(data)) throw new DevkitError(`${file} must hold an array of versions`)
    return data.map(String)
  }
  return (await readText(file, cwd)).split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim()).filter(Boolean)
}

export async function run(args, io) {
  const all = await readVersions(args.file, io.cwd)
  const invalid = all.filter((v) => !semver.valid(v, { loose: true }))
  if (invalid.length > 0) io.stderr.write(`skipping ${invalid.length} invalid: ${invalid.join(', ')}\n`)
  let list = semver.sort(all.filter((v) => semver.valid(v, { loose: true })).map((v) => semver.clean(v, { loose: true })))
  if (args.range) {
    if (!semver.validRange(args.range)) throw new DevkitError(`invalid range "${args.range}"`)
    list = list.filter((v) => semver.satisfies(v, args.range, { includePrerelease: Boolean(args.prerelease) }))
  }
  if (list.length === 0) throw new DevkitError(`no version matches${args.range ? ` ${args.range}` : ''}`)
  if (args.latest) {
    io.stdout.write(`${list.at(-1)}\n`)
    return
  }
  let previous
  for (const version of list) {
    const change = previous ? semver.diff(previous, version) ?? 'same' : 'first'
    io.stdout.write(`${version.padEnd(16)}${change}\n`)
    previous = version
  }
  io.stdout.write(`${list.length} version${list.length === 1 ? '' : 's'}, latest ${list.at(-1)}\n`)
}
