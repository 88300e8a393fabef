/** Find in the timeline: what each query is read as, and what it finds in real runs. */
import { describe, expect, it } from 'vitest'
import { findInTimeline, parseFind } from '../../../src/shared/charts/timelineFind'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import type { DoorbellEvent, HypercallEvent } from '../../../src/shared/result'
import { presetRun } from '../../support/presetRuns'

describe('parseFind', () => {
  const kinds = new Set(['doorbell', 'hypercall', 'cede'])
  const errnos = new Set(['einval'])
  it('reads roles, errnos, return codes, kinds, numbers and text', () => {
    expect(parseFind('vcpu 13', kinds)).toEqual({ kind: 'role', role: 'vcpu', n: 13 })
    expect(parseFind('v13', kinds)).toEqual({ kind: 'role', role: 'vcpu', n: 13 })
    expect(parseFind('CPU:5', kinds)).toEqual({ kind: 'role', role: 'cpu', n: 5 })
    expect(parseFind('vcore 2', kinds)).toEqual({ kind: 'role', role: 'vcore', n: 2 })
    expect(parseFind('EINVAL', kinds, errnos)).toEqual({ kind: 'errno', errno: 'EINVAL' })
    expect(parseFind('errno enoent', kinds, errnos)).toEqual({ kind: 'errno', errno: 'ENOENT' })
    expect(parseFind('-22', kinds)).toEqual({ kind: 'rc', rc: -22 })
    expect(parseFind('doorbell', kinds)).toEqual({ kind: 'kind', kindName: 'doorbell' })
    expect(parseFind('kind ipi', kinds)).toEqual({ kind: 'kind', kindName: 'ipi' })
    expect(parseFind('42', kinds)).toEqual({ kind: 'number', n: 42 })
    expect(parseFind('exit', kinds, errnos)).toEqual({ kind: 'text', text: 'exit' })
    expect(parseFind('  ', kinds)).toBeNull()
  })
})

describe('findInTimeline', () => {
  it('finds the doorbells vcpu 9 sent or was meant, and the threads it ran on', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const p = prepareTimeline(r)
    const found = findInTimeline(p, r, 'vcpu 9')!
    expect(found.understood).toBe('vcpu 9')
    expect(found.tracks.map((t) => p.tracks[t.track]!.id)).toContain('cpu0')
    const bells = (r.events.filter((e) => e.kind === 'doorbell') as DoorbellEvent[]).filter((e) =>
      [e.from, e.intended, e.deliveredTo].includes(9),
    )
    expect(bells.length).toBeGreaterThan(0)
    const events = r.events as readonly unknown[]
    for (const b of bells) expect(found.events.map((e) => e.index)).toContain(events.indexOf(b))
  })

  it('finds the hypercalls that failed with an errno, on the tracks they are drawn on', () => {
    const r = presetRun('xen-pvhvm-kdump-vcpu2-raw')
    const p = prepareTimeline(r)
    const found = findInTimeline(p, r, 'einval')!
    const failed = r.events.filter(
      (e) => e.kind === 'hypercall' && (e as HypercallEvent).errno === 'EINVAL',
    )
    expect(failed.length).toBeGreaterThan(0)
    expect(found.eventTotal).toBe(failed.length)
    expect(found.events[0]!.label).toMatch(/^hypercall at tick \d+ on vCPU/)
  })

  it('counts every match and lists the first ones by time', () => {
    const r = presetRun('book3s-power8-random-doorbells')
    const p = prepareTimeline(r)
    const found = findInTimeline(p, r, 'doorbell', 10)!
    const all = r.events.filter((e) => e.kind === 'doorbell').length
    expect(found.eventTotal).toBe(all)
    expect(found.events.length).toBe(Math.min(10, all))
    const ats = found.events.map((e) => e.at)
    expect([...ats].sort((a, b) => a - b)).toEqual(ats)
  })
})
