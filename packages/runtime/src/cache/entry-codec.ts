import { crc32 } from 'node:zlib'

// One entry as bytes, the same on disk and in Redis:
//   0  'CLC1'            magic and format version
//   4  uint32 crc32      of every byte from offset 8 to the end
//   8  uint8 flags       FLAG_* below
//   9  3 bytes reserved
//  12  float64 createdAt  ms since epoch
//  20  float64 expiresAt  fresh until (Infinity: no TTL)
//  28  float64 staleUntil servable by wrap() until (>= expiresAt)
//  36  uint32 key length, 40 uint32 tags length
//  44  key (UTF-8), tags (JSON array, UTF-8), payload
// The key is stored so a hash collision or a file copied under another name is a miss,
// and so prefix invalidation can read it back.
const MAGIC = 0x31434c43 // 'CLC1' little-endian
const HEADER = 44

export const FLAG_COMPRESSED = 1
export const FLAG_ENCRYPTED = 2
export const FLAG_CUSTOM_SERIALIZER = 4
/** Payload is UTF-8 JSON (small plain values), not v8.serialize output. */
export const FLAG_JSON = 8

export interface EntryTimes {
  createdAt: number
  expiresAt: number
  staleUntil: number
  tags: string[] | undefined
}

export interface EntryMeta extends EntryTimes {
  flags: number
}

export interface DecodedEntry extends EntryMeta {
  key: string
  payload: Buffer
}

/** `payload` as a string is UTF-8 text (JSON) written straight into the entry. */
export function encodeEntry(key: string, flags: number, meta: EntryTimes, payload: Uint8Array | string): Buffer {
  const keyLength = Buffer.byteLength(key, 'utf8')
  const tagBytes = meta.tags && meta.tags.length > 0 ? Buffer.from(JSON.stringify(meta.tags), 'utf8') : undefined
  const tagLength = tagBytes ? tagBytes.length : 0
  const payloadLength = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length
  const out = Buffer.allocUnsafe(HEADER + keyLength + tagLength + payloadLength)
  out.writeUInt32LE(MAGIC, 0)
  out.writeUInt8(flags, 8)
  out.fill(0, 9, 12)
  out.writeDoubleLE(meta.createdAt, 12)
  out.writeDoubleLE(meta.expiresAt, 20)
  out.writeDoubleLE(meta.staleUntil, 28)
  out.writeUInt32LE(keyLength, 36)
  out.writeUInt32LE(tagLength, 40)
  out.write(key, HEADER, 'utf8')
  if (tagBytes) tagBytes.copy(out, HEADER + keyLength)
  if (typeof payload === 'string') out.write(payload, HEADER + keyLength + tagLength, 'utf8')
  else out.set(payload, HEADER + keyLength + tagLength)
  out.writeUInt32LE(crc32(out.subarray(8)), 4)
  return out
}

/**
 * Decodes and checks an entry. Returns undefined when the bytes are not a whole, intact entry
 * (torn write, bit rot, foreign file): the caller removes it and counts a miss.
 */
export function decodeEntry(bytes: Buffer): DecodedEntry | undefined {
  if (bytes.length < HEADER || bytes.readUInt32LE(0) !== MAGIC) return undefined
  if (crc32(bytes.subarray(8)) !== bytes.readUInt32LE(4)) return undefined
  const keyLength = bytes.readUInt32LE(36)
  const tagLength = bytes.readUInt32LE(40)
  if (HEADER + keyLength + tagLength > bytes.length) return undefined
  const header = readHeader(bytes, keyLength, tagLength)
  return header && { ...header, payload: bytes.subarray(HEADER + keyLength + tagLength) }
}

/** The metadata of an entry without its payload, as read by scans (prune, invalidate). */
export interface EntryHeader extends EntryMeta {
  key: string
}

/**
 * Decodes the header, key and tags from the first bytes of an entry file (no CRC check: that
 * needs the whole file, and a scan only decides what to remove). Returns the number of bytes
 * needed when `bytes` is too short, undefined when they are not an entry.
 */
export function decodeEntryHeader(bytes: Buffer): EntryHeader | number | undefined {
  if (bytes.length < HEADER) return bytes.length === 0 ? undefined : HEADER
  if (bytes.readUInt32LE(0) !== MAGIC) return undefined
  const keyLength = bytes.readUInt32LE(36)
  const tagLength = bytes.readUInt32LE(40)
  if (bytes.length < HEADER + keyLength + tagLength) return HEADER + keyLength + tagLength
  return readHeader(bytes, keyLength, tagLength)
}

/** Key, tags and metadata from bytes that hold at least the header, key and tags; undefined when the tags are corrupt. */
function readHeader(bytes: Buffer, keyLength: number, tagLength: number): EntryHeader | undefined {
  let tags: string[] | undefined
  if (tagLength > 0) {
    try {
      tags = JSON.parse(bytes.toString('utf8', HEADER + keyLength, HEADER + keyLength + tagLength)) as string[]
    } catch {
      return undefined
    }
  }
  return {
    key: bytes.toString('utf8', HEADER, HEADER + keyLength),
    flags: bytes.readUInt8(8),
    createdAt: bytes.readDoubleLE(12),
    expiresAt: bytes.readDoubleLE(20),
    staleUntil: bytes.readDoubleLE(28),
    tags,
  }
}

// The Redis form of an entry: no key (it is the Redis key), no CRC (Redis and TCP keep bytes
// intact; encrypted payloads are authenticated anyway), so the hot path stays cheap:
//   0 'CLR1', 4 uint8 flags, 5 3 bytes reserved, 8 float64 createdAt, 16 float64 expiresAt,
//   24 float64 staleUntil, 32 uint32 tags length, 36 tags (JSON), payload
const REDIS_MAGIC = 0x31524c43 // 'CLR1' little-endian
const REDIS_HEADER = 36

export function encodeRedisEntry(flags: number, meta: EntryTimes, payload: Uint8Array | string): Buffer {
  const tagBytes = meta.tags && meta.tags.length > 0 ? Buffer.from(JSON.stringify(meta.tags), 'utf8') : undefined
  const tagLength = tagBytes ? tagBytes.length : 0
  const payloadLength = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length
  const out = Buffer.allocUnsafe(REDIS_HEADER + tagLength + payloadLength)
  out.writeUInt32LE(REDIS_MAGIC, 0)
  out.writeUInt32LE(flags, 4)
  out.writeDoubleLE(meta.createdAt, 8)
  out.writeDoubleLE(meta.expiresAt, 16)
  out.writeDoubleLE(meta.staleUntil, 24)
  out.writeUInt32LE(tagLength, 32)
  if (tagBytes) tagBytes.copy(out, REDIS_HEADER)
  if (typeof payload === 'string') out.write(payload, REDIS_HEADER + tagLength, 'utf8')
  else out.set(payload, REDIS_HEADER + tagLength)
  return out
}

export function decodeRedisEntry(bytes: Buffer): (EntryMeta & { payload: Buffer }) | undefined {
  if (bytes.length < REDIS_HEADER || bytes.readUInt32LE(0) !== REDIS_MAGIC) return undefined
  const tagLength = bytes.readUInt32LE(32)
  if (REDIS_HEADER + tagLength > bytes.length) return undefined
  let tags: string[] | undefined
  if (tagLength > 0) {
    try {
      tags = JSON.parse(bytes.toString('utf8', REDIS_HEADER, REDIS_HEADER + tagLength)) as string[]
    } catch {
      return undefined
    }
  }
  return {
    flags: bytes.readUInt8(4),
    createdAt: bytes.readDoubleLE(8),
    expiresAt: bytes.readDoubleLE(16),
    staleUntil: bytes.readDoubleLE(24),
    tags,
    payload: bytes.subarray(REDIS_HEADER + tagLength),
  }
}
