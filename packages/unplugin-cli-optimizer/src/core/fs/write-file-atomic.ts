import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import writeFileAtomicLib from 'write-file-atomic'

/**
 * Writes a file so a reader never sees half of it, and a crash never leaves a torn one: npm's
 * `write-file-atomic` writes a temp file beside the target, fsyncs it, renames it over the target
 * and removes the temp file when anything fails. The folder is created first.
 */
export async function writeFileAtomic(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeFileAtomicLib(file, typeof contents === 'string' ? contents : Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength))
}
