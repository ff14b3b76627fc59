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

/**
 * The sender thread: loads node:http(s) once, then sends each request it is posted and writes the
 * result into shared memory for the blocked main thread: `[state, seq]` (state = result length + 1
 * once done), then the JSON result.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http'), https = require('node:https');
const head = new Int32Array(workerData.shared, 0, 2);
const text = new Uint8Array(workerData.shared, 8);
const send = ${SEND_SOURCE};
const answer = (seq, request) => send(http, https, request, (result) => {
  const bytes = new TextEncoder().encode(JSON.stringify(result)).subarray(0, text.length);
  text.set(bytes);
  Atomics.store(head, 1, seq);
  Atomics.store(head, 0, bytes.length + 1);
  Atomics.notify(head, 0);
});
if (workerData.request) answer(1, workerData.request);
else parentPort.on('message', (m) => answer(m.seq, m.request));
`

/**
 * A sender thread started ahead of the exit. Starting a thread and loading node:http in it is what
 * a push from `process.exit()` costs (about 100 ms on a loaded 2-core machine, against a few ms for
 * the request itself); started early, it boots in the background while the program runs and the
 * exit only waits for the request. Unref'd: it never keeps the process alive.
 */
export class PushSender {
  readonly #shared = new SharedArrayBuffer(8 + 1024)
  readonly #head = new Int32Array(this.#shared, 0, 2)
  readonly #worker: Worker
  #seq = 0

  constructor() {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.#shared }, stdout: true, stderr: true })
    this.#worker.unref()
    // A sender that failed to start shows as a timed-out push; nothing to report before that.
    this.#worker.on('error', () => {})
  }

  /** Sends `request` on the sender thread, blocking this thread until the answer or `request.timeoutMs`. */
  push(request: PushRequest): PushResult {
    const started = performance.now()
    const seq = ++this.#seq
    Atomics.store(this.#head, 0, 0)
    this.#worker.postMessage({ seq, request })
    return waitForResult(this.#shared, seq, request.timeoutMs, started)
  }

  close(): Promise<number> {
    return this.#worker.terminate()
  }
}

/** Blocks until the sender wrote the result of push `seq`; a late answer to an earlier push is skipped. */
function waitForResult(shared: SharedArrayBuffer, seq: number, timeoutMs: number, started: number): PushResult {
  const head = new Int32Array(shared, 0, 2)
  for (;;) {
    const left = timeoutMs - (performance.now() - started)
    if (left <= 0 || Atomics.wait(head, 0, 0, left) === 'timed-out') return { ok: false, reason: `no answer within ${timeoutMs} ms` }
    if (Atomics.load(head, 1) === seq) break
    Atomics.store(head, 0, 0)
  }
  const length = Atomics.load(head, 0) - 1
  return JSON.parse(new TextDecoder().decode(new Uint8Array(shared, 8, length).slice())) as PushResult
}

/**
 * Pushes from an 'exit' listener, where no event loop is left (the program called
 * `process.exit()`): a worker thread sends the request while this thread blocks on
 * `Atomics.wait`, bounded by `timeoutMs` from now, worker start-up included. With a `sender`
 * started earlier ({@link PushSender}) the start-up is already paid; without one a thread is
 * started now. Node ends the worker with the process.
 */
export function pushSync(request: PushRequest, sender?: PushSender): PushResult {
  if (sender) return sender.push(request)
  const started = performance.now()
  const shared = new SharedArrayBuffer(8 + 1024)
  let worker: Worker
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, request }, stdout: true, stderr: true })
  } catch (error) {
    return { ok: false, reason: `could not start the sender: ${(error as Error).message}` }
  }
  worker.unref()
  const result = waitForResult(shared, 1, request.timeoutMs, started)
  if (!result.ok) void worker.terminate()
  return result
}
