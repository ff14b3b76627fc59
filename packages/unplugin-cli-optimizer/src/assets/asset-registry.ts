import { createHash } from 'node:crypto'
import path from 'node:path'

export interface RegisteredAsset {
  /** Absolute path of the file read at build time. */
  file: string
  /** Where it is written, relative to the output folder (POSIX). */
  fileName: string
  source: Buffer
}

/** `r`: a `./`-relative path (URLs, require, path.join); `s`: a `/`-led suffix (`dir + '/x'`). */
export type PlaceholderStyle = 'r' | 's'

const PLACEHOLDER = /(["'`])__CLI_OPTIMIZER_ASSET_([0-9a-f]{12})_([rs])__\1/g

/**
 * The files copied next to the chunks. Names are stable: the original base name plus a hash of
 * the content, so two different `package.json` files never overwrite each other and a rebuild
 * writes the same names. Modules carry a placeholder that each chunk resolves against its own
 * location once the bundler has placed it.
 */
export class AssetRegistry {
  readonly #dir: string
  readonly #byToken = new Map<string, RegisteredAsset>()
  /** Token → path inside the relocated package folder that the token stands for. */
  readonly #inside = new Map<string, string>()
  /** Relocated package folder → files of the package copied into it (read from its root). */
  readonly #companions = new Map<string, RegisteredAsset[]>()

  constructor(dir: string) {
    this.#dir = dir
  }

  /** Registers a file and returns the string literal (with quotes) that stands for it. */
  placeholder(file: string, source: Buffer, style: PlaceholderStyle): string {
    const token = createHash('sha256').update(file).digest('hex').slice(0, 12)
    if (!this.#byToken.has(token)) {
      const hash = createHash('sha256').update(source).digest('hex').slice(0, 8)
      const ext = path.extname(file)
      const base = path.basename(file, ext).replace(/[^\w.-]/g, '_')
      this.#byToken.set(token, { file, fileName: `${this.#dir}/${base}-${hash}${ext}`, source })
    }
    return JSON.stringify(`__CLI_OPTIMIZER_ASSET_${token}_${style}__`)
  }

  /**
   * Registers a package's manifest, copied to `<dir>/<name>-<hash>/package.json`, and returns the
   * string literal that stands for `inside` (a POSIX path relative to the package root, `''` for
   * the root itself) in that folder: code that finds its package root by walking up from its own
   * location then finds this manifest, wherever the chunk sits.
   */
  manifestPlaceholder(manifest: string, source: Buffer, inside: string, style: PlaceholderStyle): string {
    const token = createHash('sha256').update(`${manifest}\0${inside}`).digest('hex').slice(0, 12)
    if (!this.#byToken.has(token)) {
      this.#byToken.set(token, { file: manifest, fileName: `${this.#folderOf(manifest, source)}/package.json`, source })
      this.#inside.set(token, inside)
    }
    return JSON.stringify(`__CLI_OPTIMIZER_ASSET_${token}_${style}__`)
  }

  /**
   * Copies a package file into the package's relocated folder at its own path (`inside`, POSIX,
   * relative to the root): code that found the root through the relocated manifest and reads
   * `join(root, 'default-files')` then finds it. Written whenever the manifest is.
   */
  companion(manifest: string, manifestSource: Buffer, inside: string, file: string, source: Buffer): void {
    const folder = this.#folderOf(manifest, manifestSource)
    const list = this.#companions.get(folder) ?? []
    if (!list.some((asset) => asset.file === file)) list.push({ file, fileName: `${folder}/${inside}`, source })
    this.#companions.set(folder, list)
  }

  #folderOf(manifest: string, source: Buffer): string {
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 8)
    const name = path.basename(path.dirname(manifest)).replace(/[^\w.-]/g, '_')
    return `${this.#dir}/${name}-${hash}`
  }

  /**
   * The edits that replace the placeholders in one emitted chunk by paths relative to that
   * chunk, and the assets it refers to (to be written next to it).
   */
  resolveIn(code: string, chunkFileName: string): { edits: PlaceholderEdit[]; used: RegisteredAsset[] } | undefined {
    if (!code.includes('__CLI_OPTIMIZER_ASSET_')) return undefined
    const edits: PlaceholderEdit[] = []
    const used: RegisteredAsset[] = []
    const chunkDir = path.posix.dirname(chunkFileName)
    for (const match of code.matchAll(PLACEHOLDER)) {
      const asset = this.#byToken.get(match[2]!)
      if (!asset) continue
      used.push(asset)
      const inside = this.#inside.get(match[2]!)
      if (inside !== undefined) used.push(...(this.#companions.get(path.posix.dirname(asset.fileName)) ?? []))
      const target = inside === undefined ? asset.fileName : path.posix.join(path.posix.dirname(asset.fileName), inside)
      const relative = path.posix.relative(chunkDir, target) || '.'
      const value = match[3] === 's' ? `/${relative}` : relative.startsWith('../') ? relative : `./${relative}`
      edits.push({ start: match.index, end: match.index + match[0].length, text: JSON.stringify(value) })
    }
    return edits.length > 0 ? { edits, used } : undefined
  }
}

export interface PlaceholderEdit {
  start: number
  end: number
  text: string
}

/** Applies edits (sorted, non-overlapping) to a string. */
export function applyEdits(code: string, edits: readonly PlaceholderEdit[]): string {
  let out = ''
  let last = 0
  for (const edit of edits) {
    out += code.slice(last, edit.start) + edit.text
    last = edit.end
  }
  return out + code.slice(last)
}
