/** The layouts at a tick: who ran where and who napped then, which CPUs were up by then. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  doorbellsIn,
  eventsBy,
  powerLayoutAt,
  xenLayoutAt,
} from '../../../src/shared/charts/layoutAtTick'
import { LIGHT } from '../../../src/shared/charts/palette'
import { powerLayoutOption } from '../../../src/shared/charts/powerLayoutOption'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import { xenGeometry } from '../../../src/shared/charts/xenLayoutOption'
import type { Book3sRunResult, XenRunResult } from '../../../src/shared/result'
import { ARM_REGRESSION, book3sRun, xenRun } from '../../support/presetRuns'

const thread = (l: Book3sRunResult['layout'], cpu: number) =>
  l.cores.flatMap((c) => c.subcores.flatMap((s) => s.threads)).find((t) => t.cpu === cpu)!

describe('powerLayoutAt', () => {
  const r = book3sRun('book3s-power8-thread0-latecomer')
  const p = prepareTimeline(r)

  it('has thread 0 napping with no vcpu before vcpu 8 came, and running it after', () => {
    const early = powerLayoutAt(r.layout, p, 100)
    expect(thread(early, 0)).toMatchObject({ vcpu: null, role: 'no-vcpu-nap', switchesMmu: true })
    expect(thread(early, 1)).toMatchObject({ vcpu: 9, role: 'guest' })
    expect(early.cores[0]!.subcores[0]!.vcore).toBe(1)
    const late = powerLayoutAt(r.layout, p, 500)
    expect(thread(late, 0)).toMatchObject({ vcpu: 8, role: 'guest' })
    // The end of the run, as the engine left it.
    expect(thread(r.layout, 0).vcpu).toBe(8)
  })

  it('has no vcore on the core before the run started (tick 0)', () => {
    const before = powerLayoutAt(r.layout, p, 0)
    expect(before.cores[0]!.subcores[0]!.vcore).toBeNull()
    expect(before.vcores.every((v) => v.placedOn === null)).toBe(true)
  })
})

describe('xenLayoutAt', () => {
  const r = xenRun(ARM_REGRESSION) as XenRunResult
  const p = prepareTimeline(r)

  it('has cpu 1 not up yet before its failed call, then failed with that call', () => {
    const early = xenLayoutAt(r.layout, r.events, p, 4)
    expect(early.cpus.map((c) => c.state)).toEqual(['online', 'offline'])
    expect(early.cpus[1]!.reason).toBe('not up yet at tick 4')
    expect(early.cpus[1]!.failedCall).toBeNull()
    // Its failed call was made at tick 4; at 3 there was none yet.
    const g3 = xenGeometry({
      layout: xenLayoutAt(r.layout, r.events, p, 3),
      events: eventsBy(r.events, 3),
    })
    expect(g3.cpus[1]!.failed).toEqual([])
    const g4 = xenGeometry({ layout: early, events: eventsBy(r.events, 4) })
    expect(g4.cpus[1]!.failed.map((h) => h.at)).toEqual([4])
    const late = xenLayoutAt(r.layout, r.events, p, 5)
    expect(late.cpus[1]).toMatchObject({
      state: 'failed',
      failedCall: r.layout.cpus[1]!.failedCall,
    })
    expect(late.vcpus[1]!.up).toBe(false)
  })
})

describe('doorbellsIn', () => {
  it('picks those astray first, in time order, and counts the window’s', () => {
    const r = book3sRun('book3s-power8-random-doorbells')
    const all = r.events.filter((e) => e.kind === 'doorbell')
    const pick = doorbellsIn(r.events, 0, r.timeline.end, 6)
    expect(pick.total).toBe(all.length)
    expect(pick.indices).toHaveLength(6)
    const picked = pick.indices.map((i) => r.events[i]!)
    expect(picked.every((e) => e.kind === 'doorbell' && e.outcome !== 'delivered')).toBe(true)
    expect(picked.map((e) => e.at)).toEqual([...picked.map((e) => e.at)].sort((a, b) => a - b))
    const some = doorbellsIn(r.events, 5000, 5200, 6)
    const inside = all.filter((e) => e.at >= 5000 && e.at <= 5200)
    expect(some.total).toBe(inside.length)
  })

  // The pick as first written: a pass over every event, astray then delivered, by time.
  function everyEvent(
    events: readonly { kind: string; at: number; outcome?: unknown }[],
    from: number,
    to: number,
    limit: number,
  ) {
    const astray: number[] = []
    const delivered: number[] = []
    events.forEach((e, i) => {
      if (e.kind !== 'doorbell' || e.at < from || e.at > to) return
      ;(e.outcome === 'delivered' ? delivered : astray).push(i)
    })
    const indices = [...astray, ...delivered]
      .slice(0, limit)
      .sort((a, b) => events[a]!.at - events[b]!.at || a - b)
    return { indices, total: astray.length + delivered.length }
  }

  it('picks what a pass over every event picks, in every window of random runs', () => {
    const event = fc.record({
      kind: fc.constantFrom('doorbell', 'doorbell', 'exit'),
      at: fc.integer({ min: 0, max: 300 }),
      outcome: fc.constantFrom('delivered', 'misdelivered', 'lost', 'ignored'),
    })
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 120 }),
        fc.integer({ min: -10, max: 310 }),
        fc.integer({ min: 0, max: 320 }),
        fc.integer({ min: 1, max: 8 }),
        (raw, from, width, limit) => {
          const events = [...raw].sort((a, b) => a.at - b.at)
          const got = doorbellsIn(events, from, from + width, limit)
          expect(got).toEqual(everyEvent(events, from, from + width, limit))
        },
      ),
      { seed: 20261208, numRuns: 400 },
    )
  })
})

describe('the POWER layout’s vcore labels', () => {
  it('are drawn over the doorbell arrows, on the background', () => {
    const r = book3sRun('book3s-power8-doorbell-first-come')
    const option = powerLayoutOption({
      layout: r.layout,
      smtMode: 8,
      title: 't',
      subtitle: 's',
      palette: LIGHT,
      doorbells: [{ fromCpu: 0, toCpu: 1, intendedCpu: null, bad: true, label: 'x' }],
    })
    const arrows = (option.series as { name: string; z: number }[]).find(
      (s) => s.name === 'doorbells',
    )!
    const label = (
      option.graphic as { style?: { text?: string; backgroundColor?: string }; z?: number }[]
    ).find((g) => g.style?.text?.startsWith('vcore 1'))!
    expect(label.z).toBeGreaterThan(arrows.z)
    expect(label.style!.backgroundColor).toBe(LIGHT.background)
  })
})
