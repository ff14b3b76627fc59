import type { ReportChunk, ReportSizeMode } from './report-types.js'

export const SIZE_MODES: readonly ReportSizeMode[] = ['raw', 'gzip', 'brotli']

/** One line naming how figures in a size mode were measured; every report output states it. */
export function describeSizeMode(mode: ReportSizeMode): string {
  if (mode === 'gzip') return 'gzip -9 of each emitted file; module and package figures are estimated in proportion to their raw share of the file'
  if (mode === 'brotli') return 'brotli (quality 9) of each emitted file; module and package figures are estimated in proportion to their raw share of the file'
  return 'raw bytes of the emitted files, as written to disk'
}

/** A chunk's size in one mode: measured, never estimated. */
export function chunkSize(chunk: ReportChunk, mode: ReportSizeMode): number {
  if (mode === 'gzip') return chunk.gzipBytes
  if (mode === 'brotli') return chunk.brotliBytes
  return chunk.bytes
}

/**
 * Compressed size of part of a chunk: a module compresses with its neighbours, so the only
 * honest figure is the chunk's ratio applied to the module's raw bytes.
 */
export function shareOfChunk(rawBytes: number, chunk: ReportChunk, mode: ReportSizeMode): number {
  if (mode === 'raw' || chunk.bytes === 0) return rawBytes
  return Math.round((rawBytes * chunkSize(chunk, mode)) / chunk.bytes)
}

/** `812 B`, `4.3 KiB`, `1.25 MiB`; negative figures keep their sign. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : ''
  const abs = Math.abs(bytes)
  if (abs < 1024) return `${sign}${abs} B`
  if (abs < 1024 * 1024) return `${sign}${(abs / 1024).toFixed(1)} KiB`
  return `${sign}${(abs / 1024 / 1024).toFixed(2)} MiB`
}

/** `+1.2 KiB`, `-300 B`, `0 B`. */
export function formatDelta(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes)
}
