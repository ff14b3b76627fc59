import { createHash, getHashes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import fg from 'fast-glob'
import { describeFsError, DevkitError } from '../lib/errors.js'

export const meta = {
  name: 'hash',
  description: 'Compute checksums of files (sha256, sha1, md5, sha512)',
  arguments: [{ name: 'files', description: 'Files or glob patterns', required: true, variadic: true }],
  options: {
    algorithm: { type: 'string', short: 'a', valueName: 'name', description: 'Hash algorithm', default: 'sha256' },
    encoding: { type: 'string', short: 'e', valueName: 'enc', description: 'hex, base64 or base64url', default: 'hex', choices: ['hex', 'base64', 'base64url'] },
    sri: { type: 'boolean', description: 'Print Subresource Integrity strings (algorithm-base64)' },
  },
  examples: ['devkit hash dist/*.js --algorithm sha512 --sri'],
}

async function hashFile(file, algorithm, encoding) {
  const hash = createHash(algorithm)
  try {
    await pipeline(createReadStream(file), hash)
  } catch (error) {
    throw describeFsError(error, file)
  }
  return hash.digest(encoding)
}

export async function run(args, io) {
  const algorithm = args.algorithm.toLowerCase()
  if (!getHashes().includes(algorithm)) throw new DevkitError(`unknown hash algorithm "${args.algorithm}"`)
  const files = []
  for (const pattern of args.files) {
    if (fg.isDynamicPattern(pattern)) {
      const matches = (await fg(pattern, { cwd: io.cwd, onlyFiles: true })).sort()
      if (matches.length === 0) throw new DevkitError(`no files match ${pattern}`)
      files.push(...matches)
    } else {
      files.push(pattern)
    }
  }
  const encoding = args.sri ? 'base64' : args.encoding
  for (const file of files) {
    const digest = await hashFile(path.resolve(io.cwd, file), algorithm, encoding)
    io.stdout.write(args.sri ? `${algorithm}-${digest}  ${file}\n` : `${digest}  ${file}\n`)
  }
}
