/**
 * The layering of docs/development.md (scripts/layers.ts) holds and bites: ESLint, with the
 * project's own config, refuses a forbidden import written into each folder of src/ (another
 * folder, a package, a Node built-in; static, dynamic, type-only or re-exported) and accepts what the
 * folder may reach; the real tree lints clean; and each folder's tsconfig says the same (references,
 * no Node types or DOM where none run).
 */
import { ESLint } from 'eslint'
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LAYERS, type Layer } from '../../scripts/layers'
import { PROJECT_ROOT } from '../../src/services/paths'

const eslint = new ESLint({ cwd: PROJECT_ROOT })

/** A real module of each folder, to aim imports at. */
const MODULE_OF: Record<string, string> = {
  'src/designs': 'src/designs/book3s/index.ts',
  'src/shared': 'src/shared/contract.ts',
  'src/engines': 'src/engines/index.ts',
  'src/services': 'src/services/labService.ts',
  'src/cli': 'src/cli/cli.ts',
  'src/host': 'src/host/server.ts',
  'src/main': 'src/main/ipc.ts',
  'src/preload': 'src/preload/labApi.ts',
  'src/preview': 'src/preview/labBridge.ts',
  'src/renderer': 'src/renderer/src/api/labClient.ts',
}
const PACKAGES = ['electron', 'vue', 'commander', 'zod', 'echarts']

/** A file that does not exist, deep in the folder (depth must not matter). */
const probeIn = (layer: Layer) =>
  layer.folder === 'src/renderer'
    ? 'src/renderer/src/components/editor/LayeringProbe.vue'
    : `${layer.folder}/deep/layeringProbe.ts`

/** The specifier `from` would write for `to`, without the .ts extension. */
function specifier(from: string, to: string): string {
  const rel = relative(dirname(from), to).replace(/\.ts$/, '')
  return rel.startsWith('.') ? rel : `./${rel}`
}

async function lint(file: string, code: string) {
  const text = file.endsWith('.vue') ? `<script setup lang="ts">\n${code}\n</script>\n` : code
  const [result] = await eslint.lintText(text, { filePath: join(PROJECT_ROOT, file) })
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)
}

const reaches = (layer: Layer, target: string) =>
  target.startsWith(`${layer.folder}/`) ||
  layer.mayReach.some((r) => target === r || target.startsWith(`${r}/`))

describe('the layering, by ESLint', () => {
  for (const layer of LAYERS) {
    const probe = probeIn(layer)
    const forbiddenModules = Object.values(MODULE_OF).filter((m) => !reaches(layer, m))
    const allowedModules = Object.values(MODULE_OF).filter(
      (m) => reaches(layer, m) && !m.startsWith(`${layer.folder}/`),
    )

    it(`${layer.folder} may not import ${forbiddenModules.map((m) => m.split('/')[1]).join(', ')}, nor a package outside ${JSON.stringify(layer.packages)}${layer.node ? '' : ', nor node:*'}`, async () => {
      for (const target of forbiddenModules) {
        const messages = await lint(probe, `import '${specifier(probe, target)}'`)
        expect(messages, `${probe} → ${target}`).toEqual([
          expect.stringMatching(
            /^import-x\/no-restricted-paths: .*restricted zone.*see docs\/development\.md/,
          ),
        ])
      }
      for (const pkg of PACKAGES.filter((p) => !layer.packages.includes(p))) {
        expect(await lint(probe, `import '${pkg}'`), `${probe} → ${pkg}`).toEqual([
          expect.stringMatching(/^import-x\/no-restricted-paths: .*"/),
        ])
      }
      if (!layer.node) {
        expect(await lint(probe, `import 'node:fs'`)).toEqual([
          expect.stringMatching(/^import-x\/no-nodejs-modules/),
        ])
      }
    })

    it(`${layer.folder} may import what it reaches`, async () => {
      const imports = [
        ...allowedModules.map((m) => specifier(probe, m)),
        ...layer.packages.map((p) => (p === 'tsx' ? 'tsx/esm/api' : p)),
        ...(layer.node ? ['node:fs'] : []),
      ]
      const code = imports.map((s) => `import '${s}'`).join('\n')
      expect(await lint(probe, code)).toEqual([])
    })
  }

  it('every way of writing an import counts: type-only, dynamic, re-export, an index, .ts', async () => {
    const probe = 'src/renderer/src/stores/layeringProbe.ts'
    const engines = specifier(probe, 'src/engines/index.ts')
    for (const code of [
      `import type { EngineOptions } from '${engines}'\nexport type O = EngineOptions`,
      `export const load = () => import('${engines}')`,
      `export * from '${engines}'`,
      `export { ENGINE_VERSIONS } from '${engines.replace(/\/index$/, '')}'`,
      `import '${engines}.ts'`,
      `import '../../../shared/../engines'`,
    ]) {
      expect(await lint(probe, code), code).toEqual([
        expect.stringMatching(/^import-x\/no-restricted-paths/),
      ])
    }
  })

  it('an import that resolves to nothing is an error, so no zone is skipped', async () => {
    expect(await lint('src/main/layeringProbe.ts', `import '../engine'`)).toEqual([
      expect.stringMatching(/^import-x\/no-unresolved/),
    ])
  })

  it('Node built-ins are named node:*', async () => {
    expect(await lint('src/services/layeringProbe.ts', `import 'fs'`)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*name it node:fs/),
    ])
  })

  it('the engines use neither the clock, nor Math.random, nor timers', async () => {
    const probe = 'src/engines/kernel/layeringProbe.ts'
    for (const code of [
      'export const r = Math.random()',
      'export const t = Date.now()',
      'export const p = performance.now()',
      'setTimeout(() => undefined, 1)',
    ]) {
      expect(await lint(probe, code), code).toEqual([
        expect.stringMatching(/^no-restricted-(properties|globals)/),
      ])
    }
  })

  it('the real tree keeps every rule', { timeout: 180_000 }, async () => {
    const results = await eslint.lintFiles(['src'])
    const problems = results.flatMap((r) =>
      r.messages.map(
        (m) => `${relative(PROJECT_ROOT, r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`,
      ),
    )
    expect(results.length).toBeGreaterThan(100)
    expect(problems).toEqual([])
  })
})

interface TsConfig {
  compilerOptions: { composite?: boolean; lib: string[]; types: string[] }
  include: string[]
  references?: { path: string }[]
}
const tsconfig = (file: string) =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, file), 'utf8')) as TsConfig

describe('the layering, by the tsconfigs', () => {
  for (const layer of LAYERS) {
    it(`${layer.tsconfig} holds ${layer.folder} alone and references what it may reach`, () => {
      const config = tsconfig(layer.tsconfig)
      expect(config.compilerOptions.composite).toBe(true)
      expect(config.include.every((p) => p.startsWith(`${layer.folder}/`))).toBe(true)
      const reached = LAYERS.filter(
        (l) =>
          l !== layer && layer.mayReach.some((r) => r === l.folder || r.startsWith(`${l.folder}/`)),
      ).map((l) => `./${l.tsconfig}`)
      expect((config.references ?? []).map((r) => r.path).sort()).toEqual(reached.sort())
      expect(config.compilerOptions.types.includes('node')).toBe(layer.node)
      expect(config.compilerOptions.lib.includes('DOM')).toBe(layer.dom)
    })
  }

  it('the solution builds every project', () => {
    const solution = tsconfig('tsconfig.json')
    const projects = (solution.references ?? []).map((r) => r.path)
    for (const layer of LAYERS) expect(projects).toContain(`./${layer.tsconfig}`)
  })
})
