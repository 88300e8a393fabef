/** The engine worker as electron-vite bundles it for the desktop app (`?modulePath`). */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PRESETS_DIR, PROJECT_ROOT } from '../../src/services/paths'
import { runDocument } from '../../src/services/runDocument'
import { bundledWorkerSpawner, workerRunner } from '../../src/services/runRunner'
import { unpackRun } from '../../src/shared/packed/packedRun'

const chunks = join(PROJECT_ROOT, 'out', 'main', 'chunks')
const bundled = readdirSync(chunks).find((f) => /^runWorker-.*\.js$/.test(f))
const main = readFileSync(join(PROJECT_ROOT, 'out', 'main', 'index.js'), 'utf8')
const runner = workerRunner({ spawn: bundledWorkerSpawner(join(chunks, bundled ?? 'missing')) })
afterAll(() => runner.close())

describe('the bundled engine worker', () => {
  it('is a separate chunk the main process points at', () => {
    expect(bundled).toBeDefined()
    expect(main).toContain(`./chunks/${bundled}`)
  })

  it('runs a preset to the same result as the CLI', async () => {
    const preset = JSON.parse(
      readFileSync(join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json'), 'utf8'),
    ) as unknown
    // The worker answers the result packed, its columns moved here: unpacked, the same JSON.
    const out = await runner.run({ scenario: preset, runId: 'bundled' })
    if (!out.ok) throw new Error(out.error.message)
    expect(out.value.columns.every((c) => ArrayBuffer.isView(c))).toBe(true)
    const here = runDocument(preset)
    expect(JSON.stringify(unpackRun(out.value))).toBe(JSON.stringify(here.ok && here.value))
  })
})
