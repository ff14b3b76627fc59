import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { ResolvedCacheOptions } from './cache-options.js'
import { FLAG_COMPRESSED, FLAG_CUSTOM_SERIALIZER, FLAG_ENCRYPTED, FLAG_JSON } from './entry-codec.js'
import { isSmallPlainJson } from './plain-json.js'

const IV = 12
const TAG = 16

/** Thrown when an encrypted entry fails authentication: someone changed it. */
export class TamperedEntryError extends Error {
  override name = 'TamperedEntryError'
}

export interface EncodedValue {
  flags: number
  /** A string is JSON text, written into the entry as UTF-8 without an intermediate buffer. */
  payload: Uint8Array | string
}

/** Value <-> payload bytes: serialize, then compress above a threshold, then encrypt. */
export class ValueCodec {
  readonly #options: ResolvedCacheOptions

  constructor(options: ResolvedCacheOptions) {
    this.#options = options
  }

  encode(key: string, value: unknown): EncodedValue {
    const { serializer, compression, encryptionKey } = this.#options
    let flags = serializer ? FLAG_CUSTOM_SERIALIZER : 0
    let payload: Uint8Array
    try {
      if (serializer) payload = serializer.serialize(value)
      else if (isSmallPlainJson(value)) {
        const json = JSON.stringify(value)
        // Small JSON is below any sensible compression threshold.
        if (!encryptionKey && !(compression && json.length >= compression.threshold)) return { flags: flags | FLAG_JSON, payload: json }
        payload = Buffer.from(json, 'utf8')
        flags |= FLAG_JSON
      } else payload = v8Serialize(value)
      if (!(payload instanceof Uint8Array)) throw new Error('serializer.serialize() did not return a Uint8Array')
    } catch (error) {
      throw new TypeError(`[cli-optimizer] cache value for key ${JSON.stringify(key)} cannot be serialized: ${(error as Error).message}`, { cause: error })
    }
    if (compression && payload.length >= compression.threshold) {
      payload = deflateRawSync(payload, { level: 1 })
      flags |= FLAG_COMPRESSED
    }
    if (encryptionKey) {
      const iv = randomBytes(IV)
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv)
      // The key is authenticated too: an entry moved under another key does not decrypt.
      cipher.setAAD(Buffer.from(key, 'utf8'))
      const body = Buffer.concat([cipher.update(payload), cipher.final()])
      payload = Buffer.concat([iv, cipher.getAuthTag(), body])
      flags |= FLAG_ENCRYPTED
    }
    return { flags, payload }
  }

  /** Throws TamperedEntryError when decryption fails, any other error when the bytes are unusable. */
  decode(key: string, flags: number, payload: Buffer): unknown {
    const { serializer, encryptionKey } = this.#options
    if (Boolean(flags & FLAG_ENCRYPTED) !== Boolean(encryptionKey)) throw new Error('entry written with another encryption setting')
    if (Boolean(flags & FLAG_CUSTOM_SERIALIZER) !== Boolean(serializer)) throw new Error('entry written with another serializer')
    let bytes: Buffer = payload
    if (encryptionKey) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, IV))
        decipher.setAAD(Buffer.from(key, 'utf8'))
        decipher.setAuthTag(bytes.subarray(IV, IV + TAG))
        bytes = Buffer.concat([decipher.update(bytes.subarray(IV + TAG)), decipher.final()])
      } catch (error) {
        throw new TamperedEntryError(`cache entry for key ${JSON.stringify(key)} failed authentication`, { cause: error })
      }
    }
    if (flags & FLAG_COMPRESSED) bytes = inflateRawSync(bytes)
    if (serializer) return serializer.deserialize(bytes)
    return flags & FLAG_JSON ? JSON.parse(bytes.toString('utf8')) : v8Deserialize(bytes)
  }

  /** Size used by the memory level's maxSize when no bytes were produced. */
  sizeOf(value: unknown): number {
    try {
      return (this.#options.serializer ? this.#options.serializer.serialize(value) : v8Serialize(value)).length || 1
    } catch {
      return 1
    }
  }
}
