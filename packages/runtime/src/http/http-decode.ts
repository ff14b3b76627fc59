import { pipeline, type Readable } from 'node:stream'
import zlib from 'node:zlib'
import type { ResponseData } from './http-call.js'

export type Decoder = NodeJS.ReadWriteStream

/**
 * Decoders for a `Content-Encoding`, last coding first, with the lenient flush settings undici's
 * fetch uses (a body cut at the end of a flush still decodes). None at all when a coding is one
 * Node cannot decode: the body then stays as sent, as in the built-in fetch.
 */
export function decoders(header: string | string[] | undefined): Decoder[] {
  if (header === undefined) return []
  const codings = (Array.isArray(header) ? header.join(',') : header).toLowerCase().split(',').map((c) => c.trim()).filter(Boolean).reverse()
  const out: Decoder[] = []
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') out.push(zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }))
    else if (coding === 'deflate') out.push(zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }))
    else if (coding === 'br') out.push(zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }))
    else if (coding === 'zstd' && typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function') {
      out.push((zlib as unknown as { createZstdDecompress(): Decoder }).createZstdDecompress())
    } else return []
  }
  return out
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * `decompress: true` for `request()`: the body decoded, with undici's body methods (`text()`,
 * `json()`, `arrayBuffer()`, `bytes()`, `blob()`, `dump()`) kept, and `content-encoding` /
 * `content-length` removed from the headers since they describe the encoded bytes.
 */
export function decodeResponse(response: ResponseData): ResponseData {
  const chain = decoders(response.headers['content-encoding'])
  if (chain.length === 0) return response
  const decoded = pipeline(response.body, ...(chain as [Decoder]), () => undefined) as unknown as Readable
  const body = Object.assign(decoded, {
    text: async () => (await readAll(decoded)).toString('utf8'),
    json: async () => JSON.parse((await readAll(decoded)).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const bytes = await readAll(decoded)
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    },
    bytes: async () => new Uint8Array(await readAll(decoded)),
    blob: async () => new Blob([await readAll(decoded)]),
    dump: async () => {
      decoded.destroy()
    },
  })
  const headers = { ...response.headers }
  delete headers['content-encoding']
  delete headers['content-length']
  return { ...response, headers, body: body as unknown as ResponseData['body'] }
}
