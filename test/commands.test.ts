import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUNDLERS, buildFixture } from './harness/index.js'

const COMMANDS = { commands: { dir: 'commands', registry: 'commands/index.js' } }

describe.each(BUNDLERS)('command manifest (%s)', (bundler) => {
  it('#3 behaves like the source for help, every command, and an unknown command', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: COMMANDS })
    for (const args of [[], ['--help'], ['greet', 'ada'], ['upper', 'a', 'b'], ['bump', '1.2.3', 'minor'], ['bump', 'nope'], ['missing']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
  })

  it('#3 puts no command code in what every start loads', async () => {
    const report = (await buildFixture('commands-basic', bundler, { plugin: COMMANDS })).report!
    const [entry] = report.entries
    const initialModules = report.chunks.filter((c) => entry!.initialFiles.includes(c.file)).flatMap((c) => c.modules.map((m) => m.id))
    for (const command of ['greet.js', 'upper.js', 'bump.js']) {
      expect(initialModules).not.toContain(`commands/${command}`)
      expect(report.chunks.some((c) => c.modules.some((m) => m.id === `commands/${command}`))).toBe(true)
    }
    expect(initialModules.some((id) => id.includes('node_modules/semver'))).toBe(false)
    const manifest = report.transforms.filter((t) => t.kind === 'command-manifest')
    expect(manifest.map((t) => t.command)).toEqual(['upper', 'greet', 'bump'])
    expect(manifest.every((t) => t.applied)).toBe(true)
  })

  it('#3 starts loading the named command from the bootstrap, in parallel with the program', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: COMMANDS })
    const report = built.report!
    const entryChunk = report.chunks.find((c) => c.file === report.entries[0]!.file)!
    const code = await readFile(path.join(built.outDir, entryChunk.file), 'utf8')
    // The preload only runs when the first argument can be a command name.
    expect(code).toMatch(/\/\^\[\^-\]\/\.test\(process\.argv\[2\] \?\? ['"]-['"]\) && import\(/)
    const byFile = new Map(report.chunks.map((c) => [c.file, c]))
    const reachesManifest = (file: string, seen = new Set<string>()): boolean => {
      if (seen.has(file)) return false
      seen.add(file)
      const chunk = byFile.get(file)
      if (!chunk) return false
      return chunk.modules.some((m) => m.id === 'commands/index.js') || chunk.imports.some((f) => reachesManifest(f, seen))
    }
    expect(entryChunk.dynamicImports.some((f) => reachesManifest(f))).toBe(true)
  })

  it('#4 ships each meta literal once, shared by the manifest and the command, with the source\'s values and identities', async () => {
    const built = await buildFixture('commands-shared-meta', bundler, { plugin: COMMANDS })
    for (const args of [[], ['show'], ['count']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    const files = (await readdir(built.outDir, { recursive: true })).filter((file) => file.endsWith('.js'))
    const code = (await Promise.all(files.map((file) => readFile(path.join(built.outDir, file), 'utf8')))).join('\n')
    for (const marker of ['shared-meta-fixture-show', 'shared-meta-fixture-count']) {
      expect(code.split(marker).length - 1, marker).toBe(1)
    }
    // The shared module is generated, not on disk: the registry import still defers.
    const registryImport = built.report!.transforms.find((t) => t.kind === 'lazy-import' && t.source === './commands/index.js')
    expect(registryImport, JSON.stringify(registryImport)).toMatchObject({ applied: true })
    const shared = built.report!.transforms.filter((t) => t.kind === 'command-meta')
    expect(shared.map((t) => [t.importer, t.applied]).sort()).toEqual([['commands/count.js', true], ['commands/show.js', true]])
  })

  it('#3 serves virtual:cli-optimizer/commands without a registry', async () => {
    const built = await buildFixture('commands-virtual', bundler, { plugin: { commands: { dir: 'commands' } } })
    expect((await built.run([])).stdout).toBe('greet: Say hello to someone\nupper: Upper-case the arguments\n')
    expect((await built.run(['greet', 'bob'])).stdout).toBe('hello bob\n')
  })

  it('#3 fails the build on a meta that is not a static literal, naming file, line and column', async () => {
    await expect(buildFixture('commands-bad-meta', bundler, { plugin: COMMANDS })).rejects.toThrow(
      /CLI_OPTIMIZER_META_NOT_STATIC: commands\/bad\.js:5:3: export const meta must be a static literal, but it contains the variable description/,
    )
  })
})

describe.each(BUNDLERS)('bootstrap (%s)', (bundler) => {
  // 400 B before issue 11; the old-Node fallback of synchronous deferral adds one line
  // (`process.features.require_module||await import("./preload.js")`, ~65 B minified).
  it('#3 is at most 470 bytes minified and loads the program with a dynamic import', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: COMMANDS, minify: true })
    const report = built.report!
    const entryChunk = report.chunks.find((c) => c.file === report.entries[0]!.file)!
    expect(entryChunk.bytes).toBeLessThanOrEqual(470)
    expect(entryChunk.modules.map((m) => m.id).filter((id) => id !== '[unattributed]')).toEqual([expect.stringMatching(/main\.js\?cli-optimizer-entry$/)])
    const code = await readFile(path.join(built.outDir, entryChunk.file), 'utf8')
    expect(code).toMatch(/enableCompileCache/)
    expect(await built.run(['greet', 'x'])).toEqual(await built.runSource(['greet', 'x']))
  })

  it('#3 prints a profile to stderr only when CLI_OPTIMIZER_PROFILE=1, leaving stdout and exit code alone', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: COMMANDS })
    const plain = await built.run(['bump', '1.0.0', 'major'])
    const profiled = await built.run(['bump', '1.0.0', 'major'], { env: { CLI_OPTIMIZER_PROFILE: '1' } })
    expect(profiled.stdout).toBe(plain.stdout)
    expect(profiled.code).toBe(plain.code)
    expect(plain.stderr).toBe('')
    expect(profiled.stderr).toMatch(/^\[cli-optimizer profile\]\n/)
    expect(profiled.stderr).toMatch(/first command code at +\d+\.\d ms/)
    expect(profiled.stderr).toMatch(/in command +\d+\.\d ms/)
    expect(profiled.stderr).toMatch(/peak RSS \d+\.\d MiB, heap used \d+\.\d MiB/)
    const entryFile = built.report!.entries[0]!.file
    expect(profiled.stderr).toContain(path.join(built.outDir, entryFile))
    const bumpChunk = built.report!.chunks.find((c) => c.modules.some((m) => m.id === 'commands/bump.js'))!
    expect(profiled.stderr).toContain(path.join(built.outDir, bumpChunk.file))
  })

  it('#3 runtime: false leaves the entry as it is', async () => {
    const built = await buildFixture('commands-basic', bundler, { plugin: { ...COMMANDS, runtime: false } })
    const report = built.report!
    expect(report.transforms.some((t) => t.kind === 'bootstrap')).toBe(false)
    expect(await built.run(['--help'])).toEqual(await built.runSource(['--help']))
  })
})

describe.each(BUNDLERS)('command manifest refusals (%s)', (bundler) => {
  it('#3 keeps a command eager when its graph has observable top-level effects', async () => {
    const built = await buildFixture('commands-effects', bundler, { plugin: { commands: { dir: 'commands', registry: 'commands/index.js' } } })
    for (const args of [[], ['loud'], ['quiet']]) {
      expect(await built.run(args), args.join(' ')).toEqual(await built.runSource(args))
    }
    const manifest = built.report!.transforms.filter((t) => t.kind === 'command-manifest')
    const loud = manifest.find((t) => t.command === 'loud')!
    expect(loud.applied).toBe(false)
    expect(loud.reason).toMatch(/banner\.js:1:1 has an observable top-level effect \(console/)
    expect(manifest.find((t) => t.command === 'quiet')!.applied).toBe(true)
  })
})

describe('shared command meta (unit)', () => {
  it('#4 moves the literal verbatim, without TypeScript suffixes, and only when unchanged', async () => {
    const { parseModule } = await import('../packages/unplugin-cli-optimizer/src/core/ast/parse-module.js')
    const { metaInitializer, metaLiteralText, shareCommandMeta } = await import('../packages/unplugin-cli-optimizer/src/commands/shared-meta.js')
    const code = "export const meta = { name: 'x', tags: ['a', 'b'] as const, n: -0 satisfies number, big: 1e999 }\nexport function run() { return meta }\n"
    const ast = parseModule(code, '/c/x.ts')
    const text = metaLiteralText(code, metaInitializer(ast)!)
    expect(text).toBe("{ name: 'x', tags: ['a', 'b'], n: -0, big: 1e999 }")
    const shared = shareCommandMeta(code, ast, '/c/x.ts', { exportName: 'meta0', text, moduleId: '/c/__m.js' })!
    expect(shared.code).toBe('import { meta0 as __cliOptimizerMeta } from "/c/__m.js";\nexport const meta = __cliOptimizerMeta\nexport function run() { return meta }\n')
    expect(shareCommandMeta(code, ast, '/c/x.ts', { exportName: 'meta0', text: '{ name: "y" }', moduleId: '/c/__m.js' })).toBeUndefined()
  })
})
