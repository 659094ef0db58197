import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The newest modification time under a path (0 when absent), test files left
 * out: a build older than this is stale. Plain JavaScript, so that
 * server/launch.mjs can use it before anything compiles TypeScript.
 * @param {string} path
 * @returns {number}
 */
export function newestMtime(path) {
  if (!existsSync(path))
    return 0
  const stat = statSync(path)
  if (!stat.isDirectory())
    return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (!entry.endsWith('.test.ts'))
      newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}
