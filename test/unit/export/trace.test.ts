/** The Chrome trace export, checked as a trace-event consumer would read it. */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDocument } from '../../../src/services/runDocument'
import { PRESETS_DIR } from '../../../src/services/paths'
import { eventsToCsv } from '../../../src/shared/export/csv'
import { toTrace, type TraceEvent } from '../../../src/shared/export/trace'
import type { RunResult } from '../../../src/shared/result'

function preset(id: string): RunResult {
  const r = runDocument(JSON.parse(readFileSync(join(PRESETS_DIR, `${id}.json`), 'utf8')))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Complete events on one thread must nest: a slice ends before its parent does. */
function nests(events: TraceEvent[]): string[] {
  const bad: string[] = []
  const byThread = new Map<string, TraceEvent[]>()
  for (const e of events.filter((x) => x.ph === 'X')) {
    const k = `${e.pid}/${e.tid}`
    byThread.set(k, [...(byThread.get(k) ?? []), e])
  }
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!)
    const stack: TraceEvent[] = []
    for (const e of list) {
      while (
        stack.length &&
        stack[stack.length - 1]!.ts! + stack[stack.length - 1]!.dur! <= e.ts! + 1e-9
      )
        stack.pop()
      const parent = stack[stack.length - 1]
      if (parent && e.ts! + e.dur! > parent.ts! + parent.dur! + 1e-9)
        bad.push(`${k}: ${e.name}@${e.ts} crosses ${parent.name}@${parent.ts}`)
      stack.push(e)
    }
  }
  return bad
}

describe('toTrace', () => {
  const r = preset('book3s-power8-doorbell-first-come')
  const t = toTrace(r)

  it('is trace-event JSON: known phases, integer pid/tid, µs timestamps from the 10 ns tick', () => {
    expect(Array.isArray(t.traceEvents)).toBe(true)
    for (const e of t.traceEvents) {
      expect(['X', 'M', 's', 'f']).toContain(e.ph)
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true)
      if (e.ph !== 'M') expect(e.ts).toBeGreaterThanOrEqual(0)
    }
    const mmu = t.traceEvents.find((e) => e.ph === 'X' && e.cat === 'mmu-in')!
    const span = r.timeline.tracks.find((x) => x.id === 'cpu0')!.spans[0]!
    expect(mmu.ts).toBeCloseTo(span.start * 0.01)
    expect(mmu.dur).toBeCloseTo((span.end - span.start) * 0.01)
  })

  it('names a thread per track and a process per core', () => {
    const names = t.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args!.name)
    expect(names).toEqual(r.timeline.tracks.map((x) => x.label))
    expect(t.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args!.name)).toEqual(
      ['core 0', 'vcores'],
    )
  })

  it('has one complete event per span and one per instant event', () => {
    const spans = r.timeline.tracks.reduce((n, x) => n + x.spans.length, 0)
    expect(
      t.traceEvents.filter((e) => e.ph === 'X' && e.cat !== 'event' && e.cat !== 'arrow'),
    ).toHaveLength(spans)
    expect(t.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'event')).toHaveLength(
      r.events.length,
    )
  })

  it('draws a flow arrow per target: the lost doorbell from cpu 0 to cpu 2 starts and ends', () => {
    const arrows = r.events.reduce((n, e) => n + (('toTracks' in e && e.toTracks?.length) || 0), 0)
    const starts = t.traceEvents.filter((e) => e.ph === 's')
    const ends = t.traceEvents.filter((e) => e.ph === 'f')
    expect(starts).toHaveLength(arrows)
    expect(ends.map((e) => e.id)).toEqual(starts.map((e) => e.id))
    const lost = starts.find((e) => e.name === 'doorbell')!
    const land = ends.find((e) => e.id === lost.id)!
    expect([lost.tid, land.tid]).toEqual([1, 3])
  })

  it('keeps slices on every thread properly nested', () => {
    expect(nests(t.traceEvents)).toEqual([])
  })
})

describe('toTrace on every preset', () => {
  const ids = readdirSync(PRESETS_DIR)
    .filter((n: string) => n.endsWith('.json'))
    .map((n: string) => n.slice(0, -5))
  it.each(ids)('%s: slices nest and every arrow lands', (id) => {
    const t = toTrace(preset(id))
    expect(nests(t.traceEvents)).toEqual([])
    const starts = t.traceEvents.filter((e) => e.ph === 's').map((e) => e.id)
    expect(t.traceEvents.filter((e) => e.ph === 'f').map((e) => e.id)).toEqual(starts)
  })

  it('xen: the IPI from cpu 1 (vCPU 0) reaches cpu 0 on vCPU 2 in the kdump guest, as an arrow vcpu0 → vcpu2', () => {
    const r = preset('xen-pvhvm-kdump-ipi-to-cpu0')
    const ipi = r.events.find((e) => e.kind === 'ipi')!
    expect(ipi).toMatchObject({ from: 1, to: 0, boundVcpu: 2, track: 'vcpu0', toTracks: ['vcpu2'] })
  })
})

describe('eventsToCsv', () => {
  const r = preset('book3s-power8-doorbell-first-come')
  const csv = eventsToCsv(r)
  const rows = csv.trimEnd().split('\r\n')

  it('has the header and one row per event', () => {
    expect(rows[0]!.startsWith('kind,at,')).toBe(true)
    expect(rows).toHaveLength(r.events.length + 1)
  })

  it('quotes fields with commas and keeps the doorbell facts in their columns', () => {
    const header = rows[0]!.split(',')
    const misdelivered = rows.find((l) => l.includes(',misdelivered,'))!
    expect(misdelivered.startsWith('doorbell,300,')).toBe(true)
    const values = misdelivered.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((v) => v.replace(/,$/, ''))
    const col = (name: string) => values[header.indexOf(name)]
    expect([col('from'), col('tag'), col('intended'), col('deliveredTo')]).toEqual([
      '10',
      '1',
      '9',
      '10',
    ])
  })
})
