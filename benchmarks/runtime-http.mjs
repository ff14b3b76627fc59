// Throughput and p99 of @cli-optimizer/runtime/http against raw undici (same connections), node:http
// without keep-alive, and the built-in fetch, on one loopback server, in interleaved rounds (each
// round runs every contender once, so machine noise hits all alike). Ratios are computed per round
// and the median is reported. Also: cold import time of the module vs `import('undici')`, and the
// deadline's precision vs undici's headersTimeout.
//   node benchmarks/runtime-http.mjs [--rounds 5] [--requests 2000] [--inflight 64]
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runtimeDir = path.join(root, 'packages/runtime')
const require = createRequire(path.join(runtimeDir, 'package.json'))
const undici = require('undici')
const { createHttp } = await import(path.join(runtimeDir, 'dist/http/index.js'))

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const ROUNDS = arg('rounds', 5)
const REQUESTS = arg('requests', 2000)
const INFLIGHT = arg('inflight', 64)
const CONNECTIONS = 16

const payload = JSON.stringify({ name: 'pkg', versions: Array.from({ length: 20 }, (_, i) => `1.${i}.0`) })
const server = http.createServer((_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(payload)
})
server.keepAliveTimeout = 60_000
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}/pkg`

async function run(one) {
  const latencies = []
  let next = 0
  const start = performance.now()
  await Promise.all(Array.from({ length: INFLIGHT }, async () => {
    while (next++ < REQUESTS) {
      const t = performance.now()
      await one()
      latencies.push(performance.now() - t)
    }
  }))
  const seconds = (performance.now() - start) / 1000
  latencies.sort((a, b) => a - b)
  return { rps: REQUESTS / seconds, p99: latencies[Math.floor(latencies.length * 0.99)] }
}

const pooled = createHttp({ connections: CONNECTIONS, retry: false })
const raw = new undici.Agent({ connections: CONNECTIONS })
const noKeepAlive = new http.Agent({ keepAlive: false })
const contenders = {
  'runtime request': async () => (await pooled.request(url)).body.text(),
  'undici request': async () => (await undici.request(url, { dispatcher: raw })).body.text(),
  'node:http (no keep-alive)': () => new Promise((resolve, reject) => {
    http.get(url, { agent: noKeepAlive }, (res) => {
      res.resume()
      res.on('end', resolve)
    }).on('error', reject)
  }),
  'runtime fetch': async () => (await pooled.fetch(url)).text(),
  'built-in fetch': async () => (await fetch(url)).text(),
}

// Warm-up: JIT and sockets.
for (const one of Object.values(contenders)) await run(one)
const rounds = []
for (let r = 0; r < ROUNDS; r++) {
  const round = {}
  for (const [name, one] of Object.entries(contenders)) round[name] = await run(one)
  rounds.push(round)
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ratio = (a, b, key = 'rps') => median(rounds.map((round) => round[a][key] / round[b][key]))
const results = {
  node: process.version,
  rounds: ROUNDS,
  requests: REQUESTS,
  inflight: INFLIGHT,
  connections: CONNECTIONS,
  medianRps: Object.fromEntries(Object.keys(contenders).map((name) => [name, Math.round(median(rounds.map((round) => round[name].rps)))])),
  medianP99Ms: Object.fromEntries(Object.keys(contenders).map((name) => [name, +median(rounds.map((round) => round[name].p99)).toFixed(2)])),
  ratios: {
    'request / undici request (target >= 0.9)': +ratio('runtime request', 'undici request').toFixed(2),
    'request / node:http no keep-alive (target >= 3)': +ratio('runtime request', 'node:http (no keep-alive)').toFixed(2),
    'request p99 / undici p99 (target <= 1.1)': +ratio('runtime request', 'undici request', 'p99').toFixed(2),
    'fetch / built-in fetch (target >= 1.3)': +ratio('runtime fetch', 'built-in fetch').toFixed(2),
  },
}
await pooled.close()
await raw.close()

// Cold import, each in a fresh process, interleaved.
const coldImport = (specifier) => Number(execFileSync(process.execPath, ['--input-type=module', '-e',
  `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t)`], { cwd: runtimeDir }).toString())
const cold = { runtime: [], undici: [] }
for (let i = 0; i < 7; i++) {
  cold.runtime.push(coldImport('@cli-optimizer/runtime/http'))
  cold.undici.push(coldImport('undici'))
}
results.coldImportMs = { 'runtime/http': +median(cold.runtime).toFixed(1), undici: +median(cold.undici).toFixed(1) }

// Deadline precision: a server that never answers; own 500 ms deadline vs undici's 500 ms headersTimeout.
const stall = http.createServer(() => undefined)
await new Promise((resolve) => stall.listen(0, '127.0.0.1', resolve))
const stallUrl = `http://127.0.0.1:${stall.address().port}/`
const own = []
const undiciTimer = []
for (let i = 0; i < 3; i++) {
  const client = createHttp({ timeout: 500, retry: false })
  let t = performance.now()
  await client.request(stallUrl).catch(() => undefined)
  own.push(performance.now() - t)
  await client.close()
  const agent = new undici.Agent({ headersTimeout: 500 })
  t = performance.now()
  await undici.request(stallUrl, { dispatcher: agent }).catch(() => undefined)
  undiciTimer.push(performance.now() - t)
  await agent.destroy()
}
stall.closeAllConnections()
stall.close()
results.deadline500Ms = { 'runtime timeout': +median(own).toFixed(0), 'undici headersTimeout': +median(undiciTimer).toFixed(0) }
server.closeAllConnections()
server.close()

// Memory: RSS after GC before and after 10,000 requests through one client (a child with --expose-gc).
const rssScript = `
  import http from 'node:http'
  const { createHttp } = await import(${JSON.stringify(path.join(runtimeDir, 'dist/http/index.js'))})
  const server = http.createServer((_q, r) => r.end('ok'))
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const url = 'http://127.0.0.1:' + server.address().port + '/'
  const client = createHttp({ connections: 16 })
  const batch = async (n) => { for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: 100 }, async () => (await client.request(url)).body.text())) }
  await batch(1000)
  gc(); await new Promise((r) => setTimeout(r, 50)); gc()
  const before = process.memoryUsage().rss
  await batch(10000)
  gc(); await new Promise((r) => setTimeout(r, 50)); gc()
  const after = process.memoryUsage().rss
  await client.close()
  console.log(JSON.stringify({ growthMiB: (after - before) / 1048576, socketsOpenAfterClose: client.stats().socketsOpen }))
  server.close()
`
results.memory10k = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', rssScript]).toString())

const out = path.join(root, 'benchmarks/results')
mkdirSync(out, { recursive: true })
writeFileSync(path.join(out, 'runtime-http.json'), `${JSON.stringify(results, null, 2)}\n`)
const md = [
  `# runtime-http (${process.version}, loopback, ${REQUESTS} requests x ${ROUNDS} interleaved rounds, ${INFLIGHT} in flight, ${CONNECTIONS} connections)`,
  '',
  '| contender | median req/s | median p99 (ms) |',
  '| --- | ---: | ---: |',
  ...Object.keys(contenders).map((name) => `| ${name} | ${results.medianRps[name]} | ${results.medianP99Ms[name]} |`),
  '',
  '| ratio (median of per-round ratios) | value |',
  '| --- | ---: |',
  ...Object.entries(results.ratios).map(([k, v]) => `| ${k} | ${v} |`),
  '',
  `Cold import (median of 7 fresh processes): runtime/http ${results.coldImportMs['runtime/http']} ms, undici ${results.coldImportMs.undici} ms.`,
  `10,000 requests: RSS growth after GC ${results.memory10k.growthMiB.toFixed(2)} MiB; sockets open after close(): ${results.memory10k.socketsOpenAfterClose}.`,
  `500 ms deadline fired after: runtime timeout ${results.deadline500Ms['runtime timeout']} ms, undici headersTimeout ${results.deadline500Ms['undici headersTimeout']} ms.`,
  '',
  'Reproduce: `npm run build && node benchmarks/runtime-http.mjs`',
  '',
].join('\n')
writeFileSync(path.join(out, 'runtime-http.md'), md)
console.log(md)
