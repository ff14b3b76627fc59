import { homedir } from 'node:os'
import path from 'node:path'

/**
 * The user's cache directory for a CLI, by platform convention:
 * Linux and others `$XDG_CACHE_HOME/<name>` (default `~/.cache/<name>`),
 * macOS `~/Library/Caches/<name>`, Windows `%LOCALAPPDATA%\<name>\Cache`.
 */
export function userCacheDir(name: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', name)
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), name, 'Cache')
  // XDG says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), name)
}
