/** Where the project's files are when running from a checkout (CLI, host, tests, bench). */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout's root: two levels above this file (src/services). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const PRESETS_DIR = join(PROJECT_ROOT, 'resources', 'presets')
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer')

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string
  }
  return pkg.version
}
