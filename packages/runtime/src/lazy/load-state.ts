/**
 * State a deferred module reads while it evaluates, put back as it was where the module would have
 * loaded.
 *
 * Synchronous deferral (issue 11) moves a module's evaluation from the program's start to its
 * first use. A module that reads `process.env.DEBUG`, `process.cwd()` or a global at load would
 * then see what the program changed in between. The plugin imports `captureLoadState(keys)`
 * where the module's import was, so the snapshot is taken at the exact point of the load order
 * where the module would have evaluated; the deferred loader runs the module's evaluation through
 * the returned function, which puts the captured values back for that synchronous evaluation and
 * restores the current ones afterwards. Nothing else runs in between (it is synchronous), so no
 * other code can see the swap.
 *
 * Keys (`StateRead.state` in the plugin's analysis): `env:NAME`, `env`, `argv`, `cwd`,
 * `exitCode`, `title`, `global:NAME`.
 */

type Captured = [key: string, value: unknown]

function read(key: string): unknown {
  if (key.startsWith('env:')) return process.env[key.slice(4)]
  if (key.startsWith('global:')) return Object.getOwnPropertyDescriptor(globalThis, key.slice(7))
  switch (key) {
    case 'env':
      return { ...process.env }
    case 'argv':
      return process.argv.slice()
    case 'cwd':
      return process.cwd()
    case 'exitCode':
      return process.exitCode
    case 'title':
      return process.title
    default:
      throw new TypeError(`cli-optimizer: unknown load-state key ${JSON.stringify(key)}`)
  }
}

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => Object.is(item, b[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  // Environment copies and property descriptors: flat records of primitives or functions.
  return ka.length === kb.length && ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

function write(key: string, value: unknown): void {
  if (key.startsWith('env:')) {
    if (value === undefined) delete process.env[key.slice(4)]
    else process.env[key.slice(4)] = value as string
    return
  }
  if (key.startsWith('global:')) {
    const name = key.slice(7)
    // A global the program made non-configurable cannot be swapped: the module sees it as it is.
    try {
      if (value === undefined) delete (globalThis as Record<string, unknown>)[name]
      else Object.defineProperty(globalThis, name, value as PropertyDescriptor)
    } catch {}
    return
  }
  switch (key) {
    case 'env': {
      const env = value as Record<string, string>
      for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name]
      Object.assign(process.env, env)
      return
    }
    case 'argv':
      // In place: a module that kept `process.argv` keeps the same array.
      process.argv.splice(0, process.argv.length, ...(value as string[]))
      return
    case 'cwd':
      // Worker threads cannot chdir: the module then sees the current folder.
      try {
        process.chdir(value as string)
      } catch {}
      return
    case 'exitCode':
      process.exitCode = value as number | undefined
      return
    case 'title':
      process.title = value as string
  }
}

/**
 * Captures `keys` now; returns a function that runs `load` with those values back in place when
 * they changed since, then puts the current ones back (each one the load itself left alone).
 */
export function captureLoadState(keys: readonly string[]): <T>(load: () => T) => T {
  const captured: Captured[] = keys.map((key) => [key, read(key)])
  return (load) => {
    const changed = captured.filter(([key, value]) => !same(read(key), value))
    if (changed.length === 0) return load()
    const current: Captured[] = changed.map(([key]) => [key, read(key)])
    for (const [key, value] of changed) write(key, value)
    try {
      return load()
    } finally {
      for (let i = 0; i < current.length; i++) {
        const [key, value] = current[i]!
        if (same(read(key), changed[i]![1])) write(key, value)
      }
    }
  }
}
