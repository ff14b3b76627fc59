// Pool task for the scale tests: one input shape per behaviour under test.
import { setTimeout as sleep } from 'node:timers/promises'
import { threadId } from 'node:worker_threads'

export default async function task(input) {
  switch (input.kind) {
    case 'double':
      return input.value * 2
    case 'sleep':
      await sleep(input.ms)
      return { value: input.value, threadId }
    case 'spin': {
      const end = Date.now() + input.ms
      while (Date.now() < end);
      return { value: input.value, threadId }
    }
    case 'throw':
      throw new TypeError(`task failed on purpose: ${input.value}`)
    case 'exit':
      process.exit(input.code)
    case 'forever':
      for (;;);
    case 'sum': {
      const bytes = new Uint8Array(input.buffer)
      let total = 0
      for (const b of bytes) total += b
      return total
    }
    default:
      throw new Error(`unknown kind ${input.kind}`)
  }
}
