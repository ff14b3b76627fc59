import { arch, cpus, loadavg, platform, totalmem } from 'node:os'

/** Where a measurement was taken: a baseline from another machine or Node is not comparable. */
export interface MachineInfo {
  platform: string
  arch: string
  cpuModel: string
  cpuCount: number
  totalMemoryBytes: number
  node: string
  /** 1-minute load average when the measurement started (above `cpuCount` means a busy machine). */
  loadAverage: number
}

export function machineInfo(): MachineInfo {
  const cores = cpus()
  return {
    platform: platform(),
    arch: arch(),
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    totalMemoryBytes: totalmem(),
    node: process.version,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  }
}

/**
 * A warning when the machine is busy (1-minute load average above the CPU count): every timing
 * taken now carries other programs' noise, and only large differences can be significant.
 */
export function machineLoadWarning(): string | null {
  const [oneMinute] = loadavg()
  const cores = cpus().length
  if (oneMinute === undefined || oneMinute <= cores) return null
  return `the machine is busy (load average ${oneMinute.toFixed(1)} on ${cores} CPUs): timings are noisy; rerun when it is idle for tighter intervals`
}
