/** The engine worker runner: results off the main thread, progress, cancel, and a worker that dies. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PRESETS_DIR } from '../../../src/services/paths'
import { runDocument } from '../../../src/services/runDocument'
import { sourceWorkerSpawner, workerRunner, type RunRunner } from '../../../src/services/runRunner'
import type { RunProgress } from '../../../src/shared/contract'
import { restOf, unpackRun } from '../../../src/shared/packed/packedRun'

const preset = JSON.parse(
  readFileSync(join(PRESETS_DIR, 'book3s-power8-aligned-vcores.json'), 'utf8'),
) as unknown
const scripted = sourceWorkerSpawner(
  new URL('../../support/scriptedRunWorker.ts', import.meta.url).href,
)
const runners: RunRunner[] = []
afterAll(() => Promise.all(runners.map((r) => r.close())))
function make(opts: Parameters<typeof workerRunner>[0]): RunRunner {
  const r = workerRunner(opts)
  runners.push(r)
  return r
}

describe('workerRunner with the real engine worker', { timeout: 30_000 }, () => {
  it('gives the same result as a run on this thread', async () => {
    const runner = make({ spawn: sourceWorkerSpawner() })
    const out = await runner.run({ scenario: preset, runId: 'p8' })
    if (!out.ok) throw new Error(out.error.message)
    // The result came packed, its columns typed arrays whose buffers the worker moved here.
    expect(out.value.columns.length).toBeGreaterThan(3)
    expect(out.value.columns.every((c) => ArrayBuffer.isView(c))).toBe(true)
    const result = unpackRun(out.value)
    const here = runDocument(preset)
    expect(JSON.stringify(result)).toBe(JSON.stringify(here.ok && here.value))
    const vcpu13 = result.engine === 'book3s' && result.details.vcpus[10]
    expect(vcpu13).toMatchObject({ id: 13, vcore: 1, ptid: 5 })
  })

  it('answers an invalid scenario as data, and a design override like the CLI', async () => {
    const runner = make({ spawn: sourceWorkerSpawner() })
    const bad = await runner.run({ scenario: { schemaVersion: 1 }, runId: 'bad' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-scenario' } })
    const fc = await runner.run({ scenario: preset, design: 'first-come', runId: 'fc' })
    expect(fc.ok && restOf(fc.value).design).toBe('first-come')
  })

  it('gives each run the record bound the pool was made with', async () => {
    const tight = make({ spawn: sourceWorkerSpawner(), maxRecorded: 10 })
    const out = await tight.run({ scenario: preset, runId: 'tight' })
    expect(out).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(!out.ok && out.error.message).toMatch(
      /more than the 10 events and spans a run may record/,
    )
    const roomy = make({ spawn: sourceWorkerSpawner(), maxRecorded: 10_000_000 })
    expect((await roomy.run({ scenario: preset, runId: 'roomy' })).ok).toBe(true)
  })
})

describe('workerRunner mechanics (scripted worker)', { timeout: 30_000 }, () => {
  it('streams progress for its own run id, then the result', async () => {
    const runner = make({ spawn: scripted })
    const seen: RunProgress[] = []
    const out = await runner.run({ scenario: { loops: 1.5e8 }, runId: 'long' }, (p) => seen.push(p))
    expect(out.ok).toBe(true)
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.every((p) => p.runId === 'long' && p.until === 1.5e8)).toBe(true)
    expect(seen.at(-1)!.tick).toBeGreaterThan(seen[0]!.tick)
  })

  it('cancels a running run within milliseconds, and the worker serves the next run', async () => {
    const runner = make({ spawn: scripted })
    let firstProgress = 0
    const started = new Promise<void>((resolve) => {
      void runner
        .run({ scenario: { loops: 1e12 }, runId: 'forever' }, () => {
          if (!firstProgress) {
            firstProgress = performance.now()
            resolve()
          }
        })
        .then((out) => results.push(out))
    })
    const results: unknown[] = []
    await started
    const t0 = performance.now()
    expect(runner.cancel('forever')).toBe(true)
    await expect.poll(() => results.length, { interval: 1 }).toBe(1)
    const latency = performance.now() - t0
    console.log(`[runRunner] cancel latency ${latency.toFixed(1)} ms`)
    expect(latency).toBeLessThan(200)
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(runner.cancel('forever')).toBe(false)
    expect(await runner.run({ scenario: { loops: 10 }, runId: 'next' }, undefined)).toMatchObject({
      ok: true,
    })
  })

  it('cancels a queued run before it starts', async () => {
    const runner = make({ spawn: scripted, size: 1 })
    const first = runner.run({ scenario: { loops: 1e8 }, runId: 'a' })
    const second = runner.run({ scenario: { loops: 10 }, runId: 'b' })
    expect(runner.cancel('b')).toBe(true)
    expect(await second).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect((await first).ok).toBe(true)
  })

  it('terminates a worker that ignores its cancel flag, and replaces it', async () => {
    const runner = make({ spawn: scripted, hardCancelMs: 100 })
    const out = runner.run({ scenario: { loops: 1e12, honourCancel: false }, runId: 'deaf' })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = performance.now()
    runner.cancel('deaf')
    expect(await out).toMatchObject({ ok: false, error: { code: 'cancelled' } })
    expect(performance.now() - t0).toBeLessThan(1000)
    expect((await runner.run({ scenario: { loops: 10 }, runId: 'after' })).ok).toBe(true)
  })

  it('turns a worker that dies into an internal error for that run only', async () => {
    const runner = make({ spawn: scripted })
    expect(await runner.run({ scenario: { loops: 1, crash: true }, runId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'the engine worker stopped: exit code 3' },
    })
    expect((await runner.run({ scenario: { loops: 10 }, runId: 'y' })).ok).toBe(true)
  })

  it('runs two runs at once on two workers (a compare)', async () => {
    const runner = make({ spawn: scripted, size: 2 })
    let aDone = false
    let bProgressWhileA = false
    await Promise.all([
      runner.run({ scenario: { loops: 1e8 }, runId: 'a' }).then(() => (aDone = true)),
      runner.run({ scenario: { loops: 1e8 }, runId: 'b' }, () => {
        if (!aDone) bProgressWhileA = true
      }),
    ])
    expect(bProgressWhileA).toBe(true)
  })
})

describe('workerRunner never wedges', { timeout: 30_000 }, () => {
  /** An object nested `n` deep: structured clone gives up on it before the worker sees it. */
  const deep = (n: number) => {
    let v: unknown = 1
    for (let i = 0; i < n; i++) v = { v }
    return v
  }

  it('fails a job it cannot send to the worker, frees the slot, and runs the next job', async () => {
    const runner = make({ spawn: sourceWorkerSpawner(), size: 2 })
    const bad = await Promise.all([
      runner.run({ scenario: deep(200_000), runId: 'deep-1' }),
      runner.run({ scenario: deep(200_000), runId: 'deep-2' }),
    ])
    for (const b of bad) {
      expect(b).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
      expect(!b.ok && b.error.message).toMatch(/could not be handed to the engine worker/)
    }
    // Both slots were taken by the failed jobs; a run after them still gets one.
    const out = await runner.run({ scenario: preset, runId: 'after' })
    expect(out.ok).toBe(true)
  })
})

describe('workerRunner bounds a worker’s memory', { timeout: 60_000 }, () => {
  it('stops a worker that outgrows its heap with a message saying so, and serves the next run', async () => {
    const runner = make({ spawn: scripted, size: 1, heapMb: 64 })
    const out = await runner.run({ scenario: { allocate: true }, runId: 'greedy' })
    expect(out).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(!out.ok && out.error.message).toMatch(/more than the 64 MB of heap an engine worker has/)
    const next = await runner.run({ scenario: { loops: 10_000 }, runId: 'next' })
    expect(next.ok).toBe(true)
  })
})
