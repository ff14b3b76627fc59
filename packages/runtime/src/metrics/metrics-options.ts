import { checkKeys, describe, fail, isPlainObject } from '../option-checks.js'
/** Push to a Prometheus Pushgateway at exit. */
export interface PushOptions {
  /** The Pushgateway's base URL; credentials in it become Basic auth and never appear in messages. */
  url: string
  /**
   * The `instance` label of the grouping key. `{hostname}` and `{pid}` are replaced. With the
   * default, each host's last run of a job replaces that host's previous one; use
   * `'{hostname}-{pid}'` to keep concurrent runs apart (their groups then stay until deleted).
   * @default '{hostname}'
   */
  instance?: string
  /** More grouping-key labels (`{ branch: 'main' }`); values may contain `/`. @default {} */
  groupingLabels?: Record<string, string>
  /**
   * `'put'` replaces every series of the group (job + instance + grouping labels) with this run's;
   * `'post'` replaces only the metrics this run pushes and keeps the group's other metrics.
   * @default 'put'
   */
  method?: 'put' | 'post'
  /** Longest time the push may add to the exit, in milliseconds, startup of the sender included. @default 1000 */
  timeoutMs?: number
}

/** Serve `GET /metrics` for long-running commands (the server never keeps the process alive). */
export interface ServeOptions {
  /** TCP port; `0` picks a free one. */
  port: number
  /** Address to bind; anything but loopback must be given explicitly. @default '127.0.0.1' */
  host?: string
}

/** A warning the metrics service emits instead of failing (each code once per process). */
export interface MetricsWarning {
  code: string
  message: string
}

/** Options of `runtime.metrics` and of `startMetrics()`. */
export interface MetricsOptions {
  /** Prefix of the ready metrics' names. @default 'cli_' */
  prefix?: string
  /** The Pushgateway job, and the `job` label of the file and endpoint. @default the program's file name without extension */
  job?: string
  /** The running command's name. @default `process.argv[2]` when it does not start with `-` */
  command?: string
  /**
   * Known command names: any other value of the `command` label becomes `'other'`, so typos
   * and arguments never create series. Without a list, names must look like `[A-Za-z][\w:-]{0,31}`.
   * @default undefined
   */
  commands?: string[]
  /** Most label combinations per metric; later ones are counted under `'other'` values. @default 100 */
  maxSeriesPerMetric?: number
  /** Buckets of the command duration histogram, in seconds. @default [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] */
  durationBuckets?: number[]
  /** Also collect prom-client's default process metrics (their GC and event-loop observers cost latency). @default false */
  defaultMetrics?: boolean
  /** Push at exit; a string is the URL. Also `CLI_OPTIMIZER_PUSHGATEWAY_URL`. @default undefined */
  push?: PushOptions | string
  /** Serve `/metrics`; a number is the port. Also `CLI_OPTIMIZER_METRICS_PORT`. @default undefined */
  serve?: ServeOptions | number
  /** Write the OpenMetrics text to this file at exit (temp file + rename). Also `CLI_OPTIMIZER_METRICS_FILE`. @default undefined */
  file?: string
  /** Receives warnings instead of stderr. @default process warnings with `CLI_OPTIMIZER_METRICS_*` codes */
  onWarning?: (warning: MetricsWarning) => void
}

export interface ResolvedPushOptions {
  url: string
  instance: string
  groupingLabels: Record<string, string>
  method: 'put' | 'post'
  timeoutMs: number
}

export interface ResolvedMetricsOptions {
  prefix: string
  job: string
  command: string | undefined
  commands: string[] | undefined
  maxSeriesPerMetric: number
  durationBuckets: number[]
  defaultMetrics: boolean
  push: ResolvedPushOptions | undefined
  serve: { port: number; host: string } | undefined
  file: string | undefined
  onWarning: ((warning: MetricsWarning) => void) | undefined
}

const KNOWN = ['prefix', 'job', 'command', 'commands', 'maxSeriesPerMetric', 'durationBuckets', 'defaultMetrics', 'push', 'serve', 'file', 'onWarning']
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

function httpUrl(path: string, value: unknown): string {
  if (typeof value === 'string') {
    try {
      const u = new URL(value)
      if (u.protocol === 'http:' || u.protocol === 'https:') return value
    } catch {}
  }
  // Never echo the value: it may carry credentials.
  throw new TypeError(`[cli-optimizer] ${path} must be an http:// or https:// URL, got ${typeof value === 'string' ? 'a string that is not one' : describe(value)}`)
}

function port(path: string, value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) fail(path, 'a port number from 0 to 65535', value)
  return n
}

function programName(): string {
  const file = process.argv[1]
  const base = file ? file.split(/[\\/]/).pop()!.replace(/\.[cm]?[jt]s$/, '') : ''
  return base || 'cli'
}

/**
 * Validates metrics options and fills defaults; the environment variables fill what the options
 * leave unset (`CLI_OPTIMIZER_METRICS=0` turns every exporter off). `path` prefixes option
 * names in errors.
 */
export function resolveMetricsOptions(options: unknown, path = 'metrics', env: NodeJS.ProcessEnv = process.env): ResolvedMetricsOptions {
  if (options === undefined) options = {}
  if (!isPlainObject(options)) fail(path, 'an object', options)
  checkKeys(path, options, KNOWN)

  const prefix = options.prefix ?? 'cli_'
  if (typeof prefix !== 'string' || !/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix)) fail(`${path}.prefix`, 'a metric-name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)', prefix)
  const job = options.job ?? programName()
  if (typeof job !== 'string' || job === '') fail(`${path}.job`, 'a non-empty string', job)
  if (options.command !== undefined && (typeof options.command !== 'string' || options.command === '')) fail(`${path}.command`, 'a non-empty string', options.command)
  const commands = options.commands
  if (commands !== undefined && (!Array.isArray(commands) || !commands.every((c) => typeof c === 'string'))) fail(`${path}.commands`, 'an array of command names', commands)
  const maxSeries = options.maxSeriesPerMetric ?? 100
  if (typeof maxSeries !== 'number' || !Number.isInteger(maxSeries) || maxSeries < 1) fail(`${path}.maxSeriesPerMetric`, 'a positive integer', maxSeries)
  const buckets = options.durationBuckets ?? [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
  if (!Array.isArray(buckets) || buckets.length === 0 || !buckets.every((b, i) => typeof b === 'number' && b > 0 && Number.isFinite(b) && (i === 0 || b > buckets[i - 1]))) {
    fail(`${path}.durationBuckets`, 'a non-empty increasing array of positive numbers', buckets)
  }
  if (options.defaultMetrics !== undefined && typeof options.defaultMetrics !== 'boolean') fail(`${path}.defaultMetrics`, 'a boolean', options.defaultMetrics)
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') fail(`${path}.onWarning`, 'a function', options.onWarning)
  const exportersOff = env.CLI_OPTIMIZER_METRICS === '0'

  let push: ResolvedPushOptions | undefined
  const rawPush = options.push ?? (env.CLI_OPTIMIZER_PUSHGATEWAY_URL ? env.CLI_OPTIMIZER_PUSHGATEWAY_URL : undefined)
  if (rawPush !== undefined) {
    const p = typeof rawPush === 'string' ? { url: rawPush } : rawPush
    if (!isPlainObject(p)) fail(`${path}.push`, 'a URL string or an object { url, instance?, groupingLabels?, method?, timeoutMs? }', p)
    checkKeys(`${path}.push`, p, ['url', 'instance', 'groupingLabels', 'method', 'timeoutMs'])
    const instance = p.instance ?? '{hostname}'
    if (typeof instance !== 'string' || instance === '') fail(`${path}.push.instance`, 'a non-empty string', instance)
    const grouping = p.groupingLabels ?? {}
    if (!isPlainObject(grouping)) fail(`${path}.push.groupingLabels`, 'an object of label name to string value', grouping)
    for (const [name, v] of Object.entries(grouping)) {
      if (!LABEL_NAME.test(name) || name === 'job' || name === 'instance') fail(`${path}.push.groupingLabels`, 'label names ([a-zA-Z_][a-zA-Z0-9_]*, not job or instance)', name)
      if (typeof v !== 'string' || v === '') fail(`${path}.push.groupingLabels.${name}`, 'a non-empty string', v)
    }
    const method = p.method ?? 'put'
    if (method !== 'put' && method !== 'post') fail(`${path}.push.method`, "'put' or 'post'", method)
    const timeoutMs = p.timeoutMs ?? 1000
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > 10_000) fail(`${path}.push.timeoutMs`, 'a positive number of milliseconds up to 10000', timeoutMs)
    push = { url: httpUrl(`${path}.push.url`, p.url), instance, groupingLabels: grouping as Record<string, string>, method, timeoutMs }
  }

  let serve: { port: number; host: string } | undefined
  const rawServe = options.serve ?? (env.CLI_OPTIMIZER_METRICS_PORT ? env.CLI_OPTIMIZER_METRICS_PORT : undefined)
  if (rawServe !== undefined) {
    const s = typeof rawServe === 'number' || typeof rawServe === 'string' ? { port: rawServe } : rawServe
    if (!isPlainObject(s)) fail(`${path}.serve`, 'a port number or an object { port, host? }', s)
    checkKeys(`${path}.serve`, s, ['port', 'host'])
    const host = s.host ?? '127.0.0.1'
    if (typeof host !== 'string' || host === '') fail(`${path}.serve.host`, 'a host name or IP address', host)
    serve = { port: port(`${path}.serve.port`, s.port), host }
  }

  const file = options.file ?? (env.CLI_OPTIMIZER_METRICS_FILE || undefined)
  if (file !== undefined && (typeof file !== 'string' || file === '')) fail(`${path}.file`, 'a file path', file)

  return {
    prefix,
    job,
    command: options.command as string | undefined,
    commands: commands as string[] | undefined,
    maxSeriesPerMetric: maxSeries,
    durationBuckets: buckets as number[],
    defaultMetrics: (options.defaultMetrics as boolean | undefined) ?? false,
    push: exportersOff ? undefined : push,
    serve: exportersOff ? undefined : serve,
    file: exportersOff ? undefined : (file as string | undefined),
    onWarning: options.onWarning as ((w: MetricsWarning) => void) | undefined,
  }
}
