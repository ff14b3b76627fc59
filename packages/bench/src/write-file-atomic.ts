import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import writeFileAtomicLib from 'write-file-atomic'

/**
 * Writes a results or baseline file so a reader never sees half of it: npm's `write-file-atomic`
 * (temp file, fsync, rename; the temp file removed on failure). The folder is created first.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFileAtomicLib(file, content)
}
