// Queue task for the scale tests: appends what happens to data.log (one JSON line per event),
// so a test can count runs per job across processes.
import { appendFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

function log(data, context, event) {
  if (data.log) appendFileSync(data.log, `${JSON.stringify({ event, id: context.id, attempt: context.attempt, pid: process.pid, value: data.value })}\n`)
}

export default async function task(data, context) {
  log(data, context, 'start')
  switch (data.kind) {
    case 'double':
      break
    case 'slow':
      await sleep(data.ms)
      break
    case 'progress':
      for (const p of [25, 50, 100]) await context.progress(p)
      break
    case 'fail-once':
      if (context.attempt === 1) throw new Error(`first attempt fails (${data.value})`)
      break
    case 'fail':
      throw new Error(`always fails (${data.value})`)
    default:
      throw new Error(`unknown kind ${data.kind}`)
  }
  log(data, context, 'end')
  return { value: data.value * 2, attempt: context.attempt, pid: process.pid }
}
