import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

export interface CompressedSizes {
  gzipBytes: number
  brotliBytes: number
}

/**
 * Quality 11 costs about 25 times as long as 9 for sizes within a few percent, and measuring
 * every chunk at 11 more than doubled the build time of a 5,000-module project
 * (benchmarks/report-5000.mjs); 9 keeps the report cheap enough to leave on.
 */
export const BROTLI_QUALITY = 9

/**
 * gzip at level 9 and brotli at quality 9. The async zlib calls run on libuv's thread pool, so
 * chunks compress in parallel with each other.
 */
export async function compressedSizes(contents: Uint8Array): Promise<CompressedSizes> {
  const [gz, br] = await Promise.all([
    gzipAsync(contents, { level: 9 }),
    brotliAsync(contents, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
      },
    }),
  ])
  return { gzipBytes: gz.byteLength, brotliBytes: br.byteLength }
}
