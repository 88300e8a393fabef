/** An area of the timeline summed up: time in each state per track and summed, events counted. */
import { describe, expect, it } from 'vitest'
import { areaCsv, eventOutcome, summarizeArea } from '../../../src/shared/charts/areaSummary'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import { presetRun } from '../../support/presetRuns'

const r = presetRun('book3s-power8-random-doorbells')
const p = prepareTimeline(r, { hideIdle: true })
const tracks = ['vcore0', 'cpu0', 'cpu1', 'cpu2'].map((id) => p.rowOf.get(id)!)
const area = { from: 3975, to: 11987, tracks }

describe('summarizeArea', () => {
  const s = summarizeArea(p, r, area)

  it('gives each track its time in each state, never more than the range, summed over tracks', () => {
    expect(s.rows.map((x) => x.label)).toEqual(tracks.map((t) => p.tracks[t]!.label))
    for (const row of s.rows) {
      const sum = row.ticks.reduce((a, b) => a + b, 0)
      expect(sum).toBe(row.busy)
      expect(sum).toBeLessThanOrEqual(area.to - area.from)
    }
    p.states.forEach((_, k) => {
      expect(s.total[k]).toBe(s.rows.reduce((a, x) => a + x.ticks[k]!, 0))
    })
    expect(s.states.every((k) => s.total[k]! > 0)).toBe(true)
  })

  it('matches a span-by-span count of one track', () => {
    const cpu0 = p.tracks[p.rowOf.get('cpu0')!]!
    const guest = cpu0.spans
      .filter((x) => x.state === 'guest')
      .reduce((a, x) => a + Math.max(0, Math.min(x.end, area.to) - Math.max(x.start, area.from)), 0)
    expect(s.rows[1]!.ticks[p.stateIndex.get('guest')!]).toBe(guest)
  })

  it('counts the events on those tracks in the range by kind and outcome', () => {
    const own = new Set(tracks.map((t) => p.tracks[t]!.id))
    const expected = r.events.filter(
      (e) => own.has(e.track ?? '') && e.at >= area.from && e.at <= area.to,
    )
    expect(s.eventCount).toBe(expected.length)
    expect(s.events.reduce((a, e) => a + e.count, 0)).toBe(expected.length)
    const misdelivered = expected.filter(
      (e) => e.kind === 'doorbell' && e.outcome === 'misdelivered',
    ).length
    expect(s.events.find((e) => e.kind === 'doorbell' && e.outcome === 'misdelivered')?.count).toBe(
      misdelivered,
    )
  })

  it('exports as CSV in long form, the sum first, with the time in ns', () => {
    const csv = areaCsv(p, s).trim().split('\r\n')
    expect(csv[0]).toBe('section,track,state,kind,outcome,ticks,ns,count')
    const guest = p.stateIndex.get('guest')!
    expect(csv).toContain(`time,(all tracks),guest,,,${s.total[guest]},${s.total[guest]! * 10},`)
    expect(csv.filter((l) => l.startsWith('events,')).length).toBe(s.events.length)
    expect(csv.some((l) => l.startsWith('time,cpu 0 (core 0 thread 0),guest,'))).toBe(true)
  })
})

describe('eventOutcome', () => {
  it('reads a doorbell’s outcome, a hypercall’s errno, and otherwise the status', () => {
    expect(eventOutcome({ kind: 'doorbell', at: 0, outcome: 'lost' })).toBe('lost')
    expect(eventOutcome({ kind: 'hypercall', at: 0, rc: -22, errno: 'EINVAL' })).toBe('EINVAL')
    expect(eventOutcome({ kind: 'hypercall', at: 0, rc: 0 })).toBe('ok')
    expect(['ok', 'neutral', 'bad']).toContain(eventOutcome({ kind: 'whatever', at: 0 }))
  })
})
