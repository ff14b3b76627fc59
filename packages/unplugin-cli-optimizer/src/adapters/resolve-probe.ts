import type { UnpluginOptions } from 'unplugin'
import type { ResolvedImport } from './resolve.js'

/**
 * Rollup's CommonJS plugin resolves every ES import a second time and then *loads* the result
 * (`this.load`, to see whether it is CommonJS), and a load waits for that module's transforms.
 * A hook that awaits a resolution while one of its own modules waits for it (lazy imports analyse
 * in `transform`, the command manifest is built in `load`) deadlocks as soon as two such modules
 * resolve each other: package A's transform waits for B's, B's for A's, and the build never
 * finishes. Two packages importing each other by name are enough.
 *
 * A probe answers from inside the resolution instead. Its hook is the last of this plugin's
 * (the CommonJS plugin puts its resolver before every other plugin; node-resolve's hook runs
 * `order: 'post'`, after it), so it runs after those resolvers have handed the import on, asks
 * the remaining ones (node-resolve) for the file,
 * records it for the caller and ends that one resolution there, as external, so nothing before it
 * loads anything. The caller gets the file the bundler will load, without the CommonJS plugin's
 * `?commonjs-es-import` wrapper. When a resolver before the probe settles the import itself (a
 * user's plugin listed first), the probe is not reached and the caller gets that answer.
 */
const PROBE = 'cli-optimizer:resolve-probe'

interface ProbeAnswer {
  answered: boolean
  result: ResolvedImport | null
}

export interface Probe extends ProbeAnswer {
  /** Spread into the options of Rollup's `this.resolve`. */
  readonly options: { custom: Record<string, unknown> }
}

export function createProbe(): Probe {
  const answer: ProbeAnswer = { answered: false, result: null }
  return {
    get answered() {
      return answer.answered
    },
    get result() {
      return answer.result
    },
    options: { custom: { [PROBE]: answer } },
  }
}

/** The probe's hook, for Rollup; goes last among this plugin's own. */
export function resolveProbePlugin(): UnpluginOptions {
  return {
    name: 'cli-optimizer:resolve-probe',
    rollup: {
      async resolveId(source, importer, options) {
        const answer = options.custom?.[PROBE] as ProbeAnswer | undefined
        if (!answer) return null
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
        // node-resolve resolves the file it found once more, through every plugin (the CommonJS
        // resolver included, which would load it): the probe ends that inner resolution too, and
        // its answer, the file, is the one kept.
        if (!answer.answered) {
          answer.answered = true
          answer.result = resolved ? { id: resolved.id, external: resolved.external !== false } : null
        }
        return false
      },
    },
  }
}
