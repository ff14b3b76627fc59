import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

export interface CompressedSizes {
  gzipBytes: number
  brotliBytes: number
}

/**
 * gzip -9 and brotli at its highest quality, as CDNs and size-limit measure them. The async
 * zlib calls run on libuv's thread pool, so chunks compress in parallel with each other.
 */
export async function compressedSizes(contents: Uint8Array): Promise<CompressedSizes> {
  const [gz, br] = await Promise.all([
    gzipAsync(contents, { level: 9 }),
    brotliAsync(contents, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
      },
    }),
  ])
  return { gzipBytes: gz.byteLength, brotliBytes: br.byteLength }
}
