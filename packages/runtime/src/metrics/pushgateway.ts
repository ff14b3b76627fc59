import { hostname } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ResolvedPushOptions } from './metrics-options.js'
import { basicAuth } from './redact.js'

/** One prepared push: the group URL, its headers and body. */
export interface PushRequest {
  url: string
  method: 'PUT' | 'POST'
  headers: Record<string, string>
  body: string
  timeoutMs: number
}

export type PushResult = { ok: true; status: number } | { ok: false; reason: string }

/** A grouping-key segment; values with `/` use the Pushgateway's base64url form. */
function segment(name: string, value: string): string {
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value).toString('base64url') || '='}`
  return `${name}/${encodeURIComponent(value)}`
}

/** The instance label: `{hostname}` and `{pid}` replaced. */
export function instanceLabel(template: string): string {
  return template.replaceAll('{hostname}', hostname()).replaceAll('{pid}', String(process.pid))
}

/** `<base>/metrics/job/<job>/instance/<instance>[/<label>/<value>...]`, credentials moved to a header. */
export function pushRequest(options: ResolvedPushOptions, job: string, body: string): PushRequest {
  const base = new URL(options.url)
  const auth = basicAuth(base)
  base.username = ''
  base.password = ''
  const path = [segment('job', job), segment('instance', instanceLabel(options.instance)), ...Object.entries(options.groupingLabels).map(([k, v]) => segment(k, v))].join('/')
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/metrics/${path}`
  const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }
  if (auth) headers.authorization = auth
  return { url: base.toString(), method: options.method === 'put' ? 'PUT' : 'POST', headers, body, timeoutMs: options.timeoutMs }
}

/**
 * Sends a request with node:http(s) and settles within `timeoutMs` whatever the server does
 * (refuses, answers 500, or accepts and never answers). Kept as source text so the synchronous
 * path can run the very same code in a worker thread; it must stay self-contained.
 */
const SEND_SOURCE = `(http, https, r, done) => {
  let settled = false;
  const finish = (result) => { if (!settled) { settled = true; clearTimeout(timer); done(result); } };
  const timer = setTimeout(() => { finish({ ok: false, reason: 'no answer within ' + r.timeoutMs + ' ms' }); req.destroy(); }, r.timeoutMs);
  const u = new URL(r.url);
  const req = (u.protocol === 'https:' ? https : http).request(u, { method: r.method, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) }, agent: false }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { if (text.length < 200) text += d; });
    res.on('end', () => finish(res.statusCode >= 200 && res.statusCode < 300 ? { ok: true, status: res.statusCode } : { ok: false, reason: 'HTTP ' + res.statusCode + (text ? ': ' + text.trim().slice(0, 200) : '') }));
    res.on('error', (e) => finish({ ok: false, reason: e.code || e.message }));
  });
  req.on('error', (e) => finish({ ok: false, reason: e.code || e.message }));
  req.end(r.body);
}`

type Send = (http: unknown, https: unknown, request: PushRequest, done: (result: PushResult) => void) => void

let send: Send | undefined

/** Pushes from the event loop (the program ended normally: 'beforeExit'). */
export async function push(request: PushRequest): Promise<PushResult> {
  const [http, https] = await Promise.all([import('node:http'), import('node:https')])
  // Evaluated from source once, so both paths share one implementation (see SEND_SOURCE).
  send ??= new Function(`return ${SEND_SOURCE}`)() as Send
  return new Promise((resolve) => send!(http, https, request, resolve))
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.shared, 0, 1);
const text = new Uint8Array(workerData.shared, 4);
(${SEND_SOURCE})(require('node:http'), require('node:https'), workerData.request, (result) => {
  const bytes = new TextEncoder().encode(JSON.stringify(result)).subarray(0, text.length);
  text.set(bytes);
  Atomics.store(flag, 0, bytes.length);
  Atomics.notify(flag, 0);
});
`

/**
 * Pushes from an 'exit' listener, where no event loop is left (the program called
 * `process.exit()`): a worker thread sends the request while this thread blocks on
 * `Atomics.wait`, bounded by `timeoutMs` from now, worker start-up included. Node ends the
 * worker with the process.
 */
export function pushSync(request: PushRequest): PushResult {
  const started = performance.now()
  const shared = new SharedArrayBuffer(4 + 1024)
  const flag = new Int32Array(shared, 0, 1)
  let worker: Worker
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, request }, stdout: true, stderr: true })
  } catch (error) {
    return { ok: false, reason: `could not start the sender: ${(error as Error).message}` }
  }
  worker.unref()
  const waited = Atomics.wait(flag, 0, 0, Math.max(0, request.timeoutMs - (performance.now() - started)))
  if (waited === 'timed-out') {
    void worker.terminate()
    return { ok: false, reason: `no answer within ${request.timeoutMs} ms` }
  }
  const length = Atomics.load(flag, 0)
  return JSON.parse(new TextDecoder().decode(new Uint8Array(shared, 4, length).slice())) as PushResult
}
