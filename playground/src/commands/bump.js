import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import semver from 'semver'
import { DevkitError, describeFsError } from '../lib/errors.js'

export const meta = {
  name: 'bump',
  description: 'Compute the next semver version of a version string or a package.json',
  arguments: [{ name: 'target', description: 'A version (1.2.3) or a package.json path', required: true }],
  options: {
    release: { type: 'string', short: 'r', valueName: 'type', description: 'major, minor, patch, premajor, preminor, prepatch or prerelease', default: 'patch', choices: ['major', 'minor', 'patch', 'premajor', 'preminor', 'prepatch', 'prerelease'] },
    preid: { type: 'string', valueName: 'id', description: 'Prerelease identifier (alpha, beta, rc)' },
    write: { type: 'boolean', short: 'w', description: 'Write the new version back into the package.json' },
  },
  examples: ['devkit bump 1.4.2 --release minor', 'devkit bump package.json -r prerelease --preid rc'],
}

export async function run(args, io) {
  let current = args.target
  let pkg
  let file
  if (!semver.valid(args.target) && (args.target.endsWith('.json') || args.target.includes('/'))) {
    file = path.resolve(io.cwd, args.target)
    try {
      pkg = JSON.parse(await readFile(file, 'utf8'))
    } catch (error) {
      throw error instanceof SyntaxError ? new DevkitError(`${args.target}: invalid JSON: ${error.message}`) : describeFsError(error, args.target)
    }
    current = pkg.version
    if (typeof current !== 'string') throw new DevkitError(`${args.target} has no "version" field`)
  }
  const clean = semver.valid(semver.clean(current) ?? current)
  if (!clean) throw new DevkitError(`"${current}" is not a valid semver version`)
  const next = semver.inc(clean, args.release, args.preid)
  if (!next) throw new DevkitError(`cannot apply ${args.release} to ${clean}`)
  const diff = semver.diff(clean, next)
  io.stdout.write(`${clean} → ${next} (${diff})\n`)
  if (args.write) {
    if (!pkg) throw new DevkitError('--write needs a package.json target')
    pkg.version = next
    await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`)
    io.stdout.write(`updated ${args.target}\n`)
  }
}
