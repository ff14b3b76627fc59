/**
 * Removes a content hash from an emitted file name so the same chunk matches across builds:
 * `cli-Xsw7wTqa.js` (Rollup/Vite) and `chunk-IYWUY3VA.js` (esbuild) become `cli-[hash].js` and
 * `chunk-[hash].js`. A segment counts as a hash when it has 8 to 21 characters and a digit, an
 * upper-case letter, `_` or `-` (Rollup's hashes are base64url: `smniqjt_`), or follows the
 * plugin's own chunk names for synchronously loaded graphs (`schema-fb7e4633-…`): words such as
 * `validate` are names, not hashes.
 */
export function stripContentHash(file: string): string {
  const slash = file.lastIndexOf('/')
  const dir = file.slice(0, slash + 1)
  const base = file.slice(slash + 1)
  const match = /^(.+)([-.])([A-Za-z0-9_-]{8,21})(\.[cm]?js(?:\.map)?)$/.exec(base)
  if (!match) return file
  const [, name, separator, hash, ext] = match
  if (!/[0-9A-Z_-]/.test(hash!) && !/-[0-9a-f]{8}$/.test(name!)) return file
  return `${dir}${name}${separator}[hash]${ext}`
}
