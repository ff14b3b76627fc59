// A value that proves itself whole: its checksum covers every byte of its data.
import { createHash } from 'node:crypto'

export function makeValue(key, writer, n, size) {
  const data = Buffer.alloc(size, `${key}:${writer}:${n}:`)
  return { key, writer, n, data, sum: createHash('sha256').update(data).digest('hex') }
}

/** Throws unless `value` is undefined (a miss) or a complete value written for `key`. */
export function checkValue(key, value) {
  if (value === undefined) return false
  if (value.key !== key) throw new Error(`wrong value for ${key}: written for ${value.key}`)
  const data = Buffer.from(value.data)
  if (createHash('sha256').update(data).digest('hex') !== value.sum) throw new Error(`incomplete value for ${key}`)
  const expected = Buffer.alloc(data.length, `${key}:${value.writer}:${value.n}:`)
  if (!expected.equals(data)) throw new Error(`mixed value for ${key}`)
  return true
}
