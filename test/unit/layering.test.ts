/**
 * The layering of docs/development.md, checked over the sources: engines and shared import no
 * electron, node:*, DOM or Vue; the renderer never reaches the engines. The build enforces the same
 * rules through scripts/layerGuard.ts; this test reads the files themselves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importProblem } from '../../scripts/layerGuard'
import { PROJECT_ROOT } from '../../src/services/paths'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|vue)$/.test(n) ? [p] : []
  })
}

/** Value imports only: `import type` and `export type` are erased and cannot pull code in. */
function valueImports(code: string): string[] {
  const out: string[] = []
  const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm
  for (const m of code.matchAll(re)) out.push(m[1] as string)
  return out
}

describe('layering', () => {
  for (const folder of ['src/engines', 'src/shared', 'src/renderer', 'src/preload']) {
    it(`${folder} imports only what its layer allows`, () => {
      const problems = files(join(PROJECT_ROOT, folder)).flatMap((f) =>
        valueImports(readFileSync(f, 'utf8'))
          .map((s) => importProblem(PROJECT_ROOT, f, s))
          .filter((p): p is string => p !== null),
      )
      expect(problems).toEqual([])
    })
  }

  it('the guard refuses what the rules forbid', () => {
    const at = (f: string) => join(PROJECT_ROOT, f)
    expect(importProblem(PROJECT_ROOT, at('src/engines/kernel/prng.ts'), 'node:fs')).toMatch(
      /may not import node:fs/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/engines/kernel/prng.ts'), 'electron')).toMatch(
      /may not import electron/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/shared/result.ts'), 'vue')).toMatch(
      /may not import vue/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/shared/result.ts'), '../engines/index')).toMatch(
      /may not import src\/engines/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/renderer/src/App.vue'), '../../engines')).toMatch(
      /window\.lab/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/renderer/src/App.vue'), 'fs')).toMatch(
      /may not import fs/,
    )
    expect(importProblem(PROJECT_ROOT, at('src/shared/scenario/fields.ts'), 'zod')).toBeNull()
    expect(importProblem(PROJECT_ROOT, at('src/main/index.ts'), 'electron')).toBeNull()
  })

  it('engines use neither Math.random nor Date.now nor timers', () => {
    const bad = files(join(PROJECT_ROOT, 'src/engines')).filter((f) =>
      /Math\.random|Date\.now|performance\.now|setTimeout|setInterval/.test(
        readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    )
    expect(bad.map((f) => relative(PROJECT_ROOT, f))).toEqual([])
  })
})
