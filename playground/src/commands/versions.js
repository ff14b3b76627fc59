import semver from 'semver'
import { loadData, readText } from '../lib/files.js'
import { DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'versions',
  description: 'Sort the versions of a file or of a package on a registry, and check them against a semver range',
  arguments: [{ name: 'source', description: 'Text file with one version per line, or a JSON/YAML array; with --registry, a package name', required: true }],
  options: {
    range: { type: 'string', short: 'r', valueName: 'range', description: 'Keep only versions satisfying this range' },
    prerelease: { type: 'boolean', short: 'p', description: 'Let prereleases satisfy the range' },
    latest: { type: 'boolean', description: 'Print only the highest matching version' },
    registry: { type: 'string', valueName: 'url', description: 'Read the versions of package <source> from this npm-style registry (cached for 5 minutes)' },
    refresh: { type: 'boolean', description: 'With --registry, ask the registry even if the cache holds the versions' },
  },
  examples: ["devkit versions releases.txt --range '^2.0.0'", 'devkit versions semver --registry https://registry.npmjs.org --latest'],
}

async function readVersions(file, cwd) {
  if (/\.(json|ya?ml|toml)$/.test(file)) {
    const { data } = await loadData(file, cwd)
    if (!Array.isArray(data)) throw new DevkitError(`${file} must hold an array of versions`)
    return data.map(String)
  }
  return (await readText(file, cwd)).split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim()).filter(Boolean)
}

/** The registry's packument URL for `name` (a scoped name keeps its @ and encodes its slash, as npm does). */
function packumentUrl(registry, name) {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) throw new DevkitError(`invalid package name "${name}"`)
  let base
  try {
    base = new URL(registry.endsWith('/') ? registry : `${registry}/`)
  } catch {
    throw new DevkitError('--registry must be an http(s) URL')
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new DevkitError('--registry must be an http(s) URL')
  return new URL(name.replace('/', '%2f'), base)
}

/**
 * The versions a registry lists for `name`, through the global fetch (pooled by the runtime's http
 * service in an optimized build) and kept 5 minutes in the user cache (`@cli-optimizer/runtime/cache`),
 * so a second run within that time asks nothing.
 */
async function registryVersions(name, registry, refresh) {
  const url = packumentUrl(registry, name)
  const { createCache } = await import('@cli-optimizer/runtime/cache')
  const cache = createCache({ name: 'devkit', disk: true, ttl: 5 * 60 * 1000 })
  const key = `versions:${url.origin}${url.pathname}`
  try {
    const load = async () => {
      let response
      try {
        response = await fetch(url, { headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' } })
      } catch (error) {
        throw new DevkitError(`cannot reach ${url.host}`)
      }
      if (response.status === 404) throw new DevkitError(`package "${name}" not found on ${url.host}`)
      if (!response.ok) throw new DevkitError(`${url.host} answered ${response.status} for "${name}"`)
      const document = await response.json()
      if (typeof document?.versions !== 'object' || document.versions === null) throw new DevkitError(`${url.host} sent no version list for "${name}"`)
      return Object.keys(document.versions)
    }
    if (refresh) {
      const versions = await load()
      await cache.set(key, versions)
      return versions
    }
    return await cache.wrap(key, load)
  } finally {
    await cache.close()
  }
}

export async function run(args, io) {
  const all = args.registry ? await registryVersions(args.source, args.registry, args.refresh) : await readVersions(args.source, io.cwd)
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
