/**
 * The Chrome trace and the CSV of every preset, pinned by digest: the writers in chunks (issue 16,
 * item 3) must give the bytes the whole-string writers gave (the digests were taken from those,
 * before the change). After an intended change to a golden result,
 * `npx vitest run --project unit -u test/unit/export/streamingWriters.test.ts`.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { csvChunks } from '../../../src/shared/export/csv'
import { toTrace, traceChunks } from '../../../src/shared/export/trace'
import { CHUNK_CHARS, inChunks } from '../../../src/shared/jsonChunks'
import { allPresetRuns } from '../../support/presetRuns'
import { syntheticBook3sRun } from '../../support/syntheticRuns'

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')
const runs = allPresetRuns()

describe('the Chrome trace and the CSV of every preset', () => {
  it.each(runs)('%s: the bytes as pinned', (_id, r) => {
    const trace = [...traceChunks(r)].join('')
    expect(trace).toBe(JSON.stringify(toTrace(r)))
    const csv = [...csvChunks(r)].join('')
    expect({ trace: sha(trace), csv: sha(csv) }).toMatchSnapshot()
  })
})

describe('chunks of about 1 MB', () => {
  it('inChunks joins pieces into chunks of at least the size (the last may be shorter), none empty', () => {
    const pieces = Array.from({ length: 1000 }, (_, i) => 'x'.repeat(i % 7))
    const chunks = [...inChunks(pieces, 100)]
    expect(chunks.join('')).toBe(pieces.join(''))
    expect(chunks.slice(0, -1).every((c) => c.length >= 100 && c.length < 106)).toBe(true)
    expect(chunks.every((c) => c.length > 0)).toBe(true)
    expect([...inChunks([], 100)]).toEqual([])
  })

  it('a large run: the trace and the CSV come in several chunks of about 1 MB', () => {
    const r = syntheticBook3sRun({ tracks: 64, spans: 2000, doorbells: 40_000 })
    const trace = [...traceChunks(r)]
    expect(trace.length).toBeGreaterThan(3)
    for (const c of trace.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(CHUNK_CHARS)
      expect(c.length).toBeLessThan(CHUNK_CHARS + 4096)
    }
    expect(trace.join('')).toBe(JSON.stringify(toTrace(r)))
    const csv = [...csvChunks(r)]
    expect(csv.length).toBeGreaterThan(1)
    expect(csv.join('').split('\r\n')).toHaveLength(r.events.length + 2)
  })
})
