/**
 * The bound on what a run records (src/engines/kernel/recordBudget.ts): refused before the run
 * when the workload asks for too much, stopped during it at the bound, reported in progress.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_RECORDED } from '../../../src/engines'
import { runDocument, type RunProgressReport } from '../../../src/services/runDocument'
import { CHUNK_CHARS } from '../../../src/shared/jsonChunks'
import type { RunResult } from '../../../src/shared/result'
import { cli } from '../../support/cli'
import { presetDoc } from '../../support/presetRuns'

/** Events plus spans: what the bound counts. */
function recorded(r: RunResult): number {
  return r.events.length + r.timeline.tracks.reduce((n, t) => n + t.spans.length, 0)
}

/** A PVHVM guest of `vcpus` vCPUs making `calls` call-functions to every CPU. */
function callStorm(vcpus: number, calls: number): unknown {
  const everyone = Array.from({ length: vcpus }, (_, i) => i)
  return {
    schemaVersion: 1,
    name: 'call storm',
    engine: 'xen',
    xen: { version: '4.8' },
    guest: { type: 'pvhvm', maxVcpus: vcpus },
    linux: { design: 'vcpu-id-mapping' },
    workload: {
      steps: Array.from({ length: calls }, (_, i) => ({
        at: i * 20_000,
        cpu: (i * 13) % vcpus,
        do: 'call-function',
        targets: everyone,
        wait: true,
      })),
    },
  }
}

describe('the record bound', { timeout: 60_000 }, () => {
  it('is 2,000,000 events and spans', () => {
    expect(MAX_RECORDED).toBe(2_000_000)
  })

  it('refuses before the run a workload asking for more (4096 vCPUs, 490 call-functions to all)', () => {
    const out = runDocument(callStorm(4096, 490))
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.error.code).toBe('too-large')
    expect(out.error.message).toContain(
      'the workload asks for 2,011,626 actions (4,096 vCPUs to bring up, 490 steps, 2,007,040 IPIs the steps send)',
    )
    expect(out.error.message).toContain('reduce guest.maxVcpus')
  })

  for (const id of ['xen-pvhvm-normal-boot', 'book3s-power8-random-doorbells']) {
    it(`lets ${id} record exactly its own count, and stops it one below`, () => {
      const full = runDocument(presetDoc(id))
      if (!full.ok) throw new Error(full.error.message)
      const n = recorded(full.value)
      expect(n).toBeGreaterThan(20)
      expect(runDocument(presetDoc(id), undefined, { maxRecorded: n }).ok).toBe(true)
      const cut = runDocument(presetDoc(id), undefined, { maxRecorded: n - 1 })
      expect(cut.ok).toBe(false)
      if (cut.ok) return
      expect(cut.error.code).toBe('too-large')
      expect(cut.error.message).toMatch(
        new RegExp(
          `^run stopped at tick [0-9,]+: it had recorded ${(n - 1).toLocaleString('en-US')} events and spans`,
        ),
      )
    })
  }

  it('stops a book3s run whose random steps record past a small bound, naming the rates', () => {
    const doc = presetDoc('book3s-power8-random-doorbells')
    const out = runDocument(doc, undefined, { maxRecorded: 50 })
    expect(out).toMatchObject({ ok: false, error: { code: 'too-large' } })
    expect(!out.ok && out.error.message).toContain('workload.random.rates')
  })

  it('reports what the run has recorded, and the bound, in progress', () => {
    const seen: RunProgressReport[] = []
    const out = runDocument(presetDoc('book3s-power8-random-doorbells'), undefined, {
      every: 64,
      onProgress: (p) => seen.push(p),
    })
    if (!out.ok) throw new Error(out.error.message)
    expect(seen.length).toBeGreaterThan(3)
    const counts = seen.map((p) => p.recorded)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(counts.at(-1)).toBeGreaterThan(0)
    expect(counts.at(-1)).toBeLessThanOrEqual(recorded(out.value))
    expect(new Set(seen.map((p) => p.recordLimit))).toEqual(new Set([MAX_RECORDED]))
  })

  it('is the user’s to fix on the command line: exit 2, the reason, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-bound-'))
    const file = join(dir, 'storm.json')
    writeFileSync(file, JSON.stringify(callStorm(4096, 490)))
    const out = await cli('run', file, '--out', join(dir, 'result.json'))
    expect(out.code).toBe(2)
    expect(out.stderr).toMatch(/run refused: the workload asks for 2,011,626 actions/)
    expect(out.stdout).toBe('')
    expect(existsSync(join(dir, 'result.json'))).toBe(false)
  })
})

describe('a large result is written in chunks, never as one string (issue 19, item 3)', () => {
  it('lab run prints JSON.stringify’s text in pieces of about a megabyte, and --out writes the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-chunks-'))
    const file = join(dir, 'calls.json')
    writeFileSync(file, JSON.stringify(callStorm(256, 24)))
    const direct = runDocument(callStorm(256, 24))
    if (!direct.ok) throw new Error(direct.error.message)
    const text = JSON.stringify(direct.value, null, 2) + '\n'
    expect(text.length).toBeGreaterThan(3 * CHUNK_CHARS)

    const out = await cli('run', file)
    expect(out.code).toBe(0)
    expect(out.stdout).toBe(text)
    expect(out.stdoutWrites.length).toBeGreaterThan(3)
    expect(Math.max(...out.stdoutWrites)).toBeLessThan(CHUNK_CHARS + 64 * 1024)

    const written = await cli('run', file, '--out', join(dir, 'r.json'))
    expect(written.code).toBe(0)
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe(text)
  })
})
