/** The timeline's model: preparation, events on tracks, folding to the pixel, zoom and pan. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: ECharts' own lib modules have no type declarations of their own here.
import { nice as echartsNice } from 'echarts/lib/util/number.js'
import {
  clampWindow,
  firstPast,
  formatDuration,
  formatTick,
  niceStep,
  panWindow,
  mergeTouching,
  prepareTimeline,
  trackRanges,
  visibleEvents,
  foldColumns,
  rangeColumns,
  windowAround,
  zoomWindow,
} from '../../../src/shared/charts/timelineModel'
import type { Span } from '../../../src/shared/result'
import type { EventStatus } from '../../../src/shared/events'
import type { DrawnRange, PlacedEvent } from '../../../src/shared/charts/timelineModel'
import { syntheticBook3sRun } from '../../support/syntheticRuns'
import { ARM_REGRESSION, KDUMP_RAW, xenRun } from '../../support/presetRuns'

const spans = (...xs: [number, number, string][]): Span[] =>
  xs.map(([start, end, state]) => ({ start, end, state }))

describe('prepareTimeline', () => {
  it('puts a misdelivered doorbell on the sender’s thread with an arrow to where it landed', () => {
    const run = syntheticBook3sRun({ doorbells: 2 })
    const p = prepareTimeline(run)
    const astray = p.events.find((e) => e.index === 0)!
    // vcpu 9 runs on cpu 0 (first-come thread 0); the doorbell landed on vcpu 13 (cpu 2).
    expect(p.tracks[astray.row]!.id).toBe('cpu0')
    expect(astray.toRows.map((r) => p.tracks[r]!.id)).toEqual(['cpu2'])
    expect(astray.status).toBe('bad')
    expect(p.events.find((e) => e.index === 1)!.status).toBe('ok')
  })

  it('puts a Xen hypercall on the vCPU it ran on, with an arrow to the vCPU it named', () => {
    const run = xenRun(KDUMP_RAW)
    const p = prepareTimeline(run)
    const i = run.events.findIndex(
      (e) => e.kind === 'hypercall' && e.op === 'VCPUOP_set_singleshot_timer',
    )
    const placed = p.events.find((e) => e.index === i)!
    // cpu 0 of the crash kernel runs on vCPU 2 and aims its timer at vCPU 0.
    expect(p.tracks[placed.row]!.id).toBe('vcpu2')
    expect(placed.toRows.map((r) => p.tracks[r]!.id)).toEqual(['vcpu0'])
    expect(placed.status).toBe('bad')
    expect(p.unplaced).toBe(0)
    // Events that go to no other row share one frozen empty list (large runs have 10^5 of them).
    const alone = p.events.filter((e) => e.toRows.length === 0)
    expect(alone.length).toBeGreaterThan(1)
    expect(new Set(alone.map((e) => e.toRows)).size).toBe(1)
    expect(Object.isFrozen(alone[0]!.toRows)).toBe(true)
  })

  it('places every event of the ARM regression, the failing one on the boot vCPU', () => {
    const run = xenRun(ARM_REGRESSION)
    const p = prepareTimeline(run)
    expect(p.unplaced).toBe(0)
    const failed = p.events.find((e) => e.status === 'bad' && e.kind === 'hypercall')!
    expect(p.tracks[failed.row]!.id).toBe('vcpu0')
    expect(failed.toRows).toEqual([])
  })

  it('appends states a span uses that the timeline did not declare, and sorts unsorted spans', () => {
    const run = syntheticBook3sRun()
    run.timeline.tracks[0]!.spans = spans([5, 6, 'mystery'], [0, 5, 'guest'])
    const p = prepareTimeline(run)
    expect(p.states.at(-1)).toEqual({ state: 'mystery', label: 'mystery', description: '' })
    expect(p.tracks[0]!.spans.map((s) => s.start)).toEqual([0, 5])
  })

  it('hides idle tracks on request, keeping a track an event points at', () => {
    const run = syntheticBook3sRun({ doorbells: 2 })
    run.timeline.tracks[2]!.spans = []
    run.timeline.tracks[5]!.spans = []
    const p = prepareTimeline(run, { hideIdle: true })
    // cpu2 received the misdelivered doorbell; cpu5 saw nothing.
    expect(p.tracks.map((t) => t.id)).toEqual([
      'cpu0',
      'cpu1',
      'cpu2',
      'cpu3',
      'cpu4',
      'cpu6',
      'cpu7',
    ])
    expect(p.hiddenIdle).toBe(1)
  })

  it('draws an event on the track its engine named and guesses none from its fields', () => {
    const run = xenRun(ARM_REGRESSION)
    const i = run.events.findIndex((e) => e.kind === 'cpu-state' && e.state === 'failed')
    const placed = prepareTimeline(run).events.find((e) => e.index === i)!
    expect(prepareTimeline(run).tracks[placed.row]!.id).toBe('vcpu1')
    run.events[i]!.track = 'vcpu9'
    const p = prepareTimeline(run)
    expect([p.unplaced, p.events.some((e) => e.index === i)]).toEqual([1, false])
  })

  it('places an event that names its own tracks, and counts the ones it cannot place', () => {
    const run = syntheticBook3sRun()
    ;(run.events as unknown[]).push(
      { kind: 'new-kind', at: 4, track: 'cpu1', toTrack: 'cpu0' },
      { kind: 'floating', at: 4 },
    )
    const p = prepareTimeline(run)
    const named = p.events.find((e) => e.kind === 'new-kind')!
    expect([named.row, named.toRows]).toEqual([1, [0]])
    expect(p.unplaced).toBe(1)
  })
})

// The fold of spans or ranges given as objects, as the tests write them.
const foldRanges = (items: readonly (Span | DrawnRange)[], from: number, to: number, bin: number) =>
  foldColumns(rangeColumns(items), from, to, bin)

describe('foldRanges', () => {
  const s = spans(
    [0, 10, 'a'],
    [10, 11, 'b'],
    [11, 12, 'a'],
    [12, 13, 'b'],
    [13, 14, 'b'],
    [14, 100, 'c'],
  )

  it('draws wide spans as themselves and folds narrow ones per bin by dominant state', () => {
    const out = foldRanges(s, 0, 100, 5)
    expect(out[0]).toMatchObject({ start: 0, end: 10, state: 'a', count: 1, span: 0 })
    expect(out[1]).toMatchObject({ state: 'b', count: 4, span: -1 })
    expect(out[2]).toMatchObject({ start: 14, end: 100, state: 'c', count: 1, span: 5 })
  })

  it('clips to the window and finds the first span by binary search', () => {
    const ends = Float64Array.from(s, (x) => x.end)
    expect(firstPast(ends, 0, ends.length, (e) => e > 12)).toBe(3)
    const out = foldRanges(s, 50, 60, 0.01)
    expect(out).toEqual([{ start: 50, end: 60, state: 'c', count: 1, span: 5 }])
  })

  it('keeps a frame bounded: 200,000 spans on one track fold to at most a few per bin', () => {
    const many: Span[] = Array.from({ length: 200_000 }, (_, i) => ({
      start: i * 3,
      end: i * 3 + 2,
      state: i % 3 ? 'x' : 'y',
    }))
    const t0 = performance.now()
    const out = foldRanges(many, 0, 600_000, 600_000 / 600)
    const ms = performance.now() - t0
    console.log(`[timeline] fold 200k spans to ${out.length} ranges in ${ms.toFixed(1)} ms`)
    expect(out.length).toBeLessThanOrEqual(601)
  })

  it('merges touching folded ranges of one state, never two spans drawn as themselves', () => {
    const folded = (start: number, end: number, state: string) => ({
      start,
      end,
      state,
      count: 3,
      span: -1,
    })
    expect(
      mergeTouching([
        folded(0, 2, 'a'),
        folded(2, 4, 'a'),
        { start: 4, end: 9, state: 'a', count: 1, span: 7 },
        folded(9, 10, 'b'),
      ]),
    ).toEqual([
      { start: 0, end: 4, state: 'a', count: 6, span: -1 },
      { start: 4, end: 9, state: 'a', count: 1, span: 7 },
      folded(9, 10, 'b'),
    ])
  })

  it('draws a zoomed-out frame from a level of detail with the same picture', () => {
    const run = syntheticBook3sRun({ tracks: 1, spans: 50_000 })
    const track = prepareTimeline(run).tracks[0]!
    expect(track.lods.length).toBeGreaterThan(0)
    const bin = run.timeline.end / 300
    const fromLod = trackRanges(track, 0, run.timeline.end, bin)
    const direct = mergeTouching(foldRanges(track.spans, 0, run.timeline.end, bin))
    expect(fromLod.reduce((n, r) => n + r.count, 0)).toBe(50_000)
    expect(Math.abs(fromLod.length - direct.length)).toBeLessThan(direct.length * 0.05)
  })
})

// The fold as first written (objects, a Map per bin): the columns' fold must agree with it.
function foldWithMap(
  spans: readonly (Span | DrawnRange)[],
  from: number,
  to: number,
  ticksPerBin: number,
): DrawnRange[] {
  const out: DrawnRange[] = []
  let bin = -1
  let binStart = 0
  let binEnd = 0
  let count = 0
  let items = 0
  let only = -1
  const dur = new Map<string, number>()
  const countOf = (s: Span | DrawnRange) => ('count' in s ? s.count : 1)
  const spanOf = (s: Span | DrawnRange, i: number) => ('span' in s ? s.span : i)
  const flush = () => {
    if (items === 0) return
    if (items === 1) {
      const s = spans[only]!
      out.push({
        start: Math.max(s.start, from),
        end: Math.min(s.end, to),
        state: s.state,
        count: countOf(s),
        span: spanOf(s, only),
      })
    } else {
      let best = ''
      let bestDur = -1
      for (const [state, d] of dur) {
        if (d > bestDur) {
          best = state
          bestDur = d
        }
      }
      out.push({ start: binStart, end: binEnd, state: best, count, span: -1 })
    }
    count = 0
    items = 0
    dur.clear()
  }
  let first = 0
  while (first < spans.length && spans[first]!.end <= from) first++
  for (let i = first; i < spans.length; i++) {
    const s = spans[i]!
    if (s.start >= to) break
    const a = Math.max(s.start, from)
    const b = Math.min(s.end, to)
    if (b - a >= ticksPerBin) {
      flush()
      bin = -1
      out.push({ start: a, end: b, state: s.state, count: countOf(s), span: spanOf(s, i) })
      continue
    }
    const k = Math.floor((a - from) / ticksPerBin)
    if (k !== bin) {
      flush()
      bin = k
      binStart = Math.max(from + k * ticksPerBin, a)
      binEnd = b
    }
    binEnd = Math.max(binEnd, b)
    count += countOf(s)
    items++
    only = i
    dur.set(s.state, (dur.get(s.state) ?? 0) + (b - a))
  }
  flush()
  return out
}

describe('foldRanges over columns', () => {
  it('agrees with the object fold on random tracks, windows and bins, spans and folded ranges', () => {
    const states = fc.constantFrom('a', 'b', 'c', 'd')
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }), states),
          {
            maxLength: 150,
          },
        ),
        fc.integer({ min: -50, max: 2000 }),
        fc.integer({ min: 1, max: 2500 }),
        fc.double({ min: 0.5, max: 300, noNaN: true }),
        (gaps, from, width, bin) => {
          let t = 0
          const track: Span[] = gaps.map(([gap, len, state]) => {
            const start = t + gap
            t = start + len
            return { start, end: t, state }
          })
          const to = from + width
          expect(foldRanges(track, from, to, bin)).toEqual(foldWithMap(track, from, to, bin))
          // Folded once at a coarse bin, then again: the levels of detail's path.
          const lod = foldWithMap(track, 0, t, 7)
          expect(foldRanges(lod, from, to, bin)).toEqual(foldWithMap(lod, from, to, bin))
        },
      ),
      { seed: 20261208, numRuns: 300 },
    )
  })
})

describe('visibleEvents', () => {
  it('folds events in one bin into one mark, the worst status winning', () => {
    const p = prepareTimeline(syntheticBook3sRun({ doorbells: 2 }))
    const row0 = p.eventsByRow[0]!
    const folded = visibleEvents(row0, 0, p.end, p.end)
    expect(folded).toHaveLength(1)
    expect(folded[0]).toMatchObject({ count: 2, status: 'bad' })
    expect(visibleEvents(row0, 0, p.end, 1)).toHaveLength(2)
  })

  // The fold as it was first written: a step per event. The binary-search fold must agree with it.
  const rank = (s: EventStatus) => (s === 'bad' ? 2 : s === 'neutral' ? 1 : 0)
  function stepwise(events: readonly PlacedEvent[], from: number, to: number, bin: number) {
    const out: { at: number; count: number; status: EventStatus; first: PlacedEvent }[] = []
    let k0 = Number.NaN
    for (const e of events) {
      if (e.at < from) continue
      if (e.at > to) break
      const k = Math.floor((e.at - from) / bin)
      const last = out[out.length - 1]
      if (k === k0 && last) {
        last.count++
        if (rank(e.status) > rank(last.status)) {
          last.status = e.status
          last.first = e
        }
      } else {
        k0 = k
        out.push({ at: e.at, count: 1, status: e.status, first: e })
      }
    }
    return out
  }

  it('agrees with a step-per-event fold on random rows and windows', () => {
    const status = fc.constantFrom<EventStatus>('ok', 'neutral', 'bad')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), status), { maxLength: 200 }),
        fc.integer({ min: -20, max: 400 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.3, max: 80, noNaN: true }),
        (raw, from, width, bin) => {
          const events: PlacedEvent[] = raw
            .map(([at, s], index) => ({ index, at, kind: 'x', row: 0, toRows: [], status: s }))
            .sort((a, b) => a.at - b.at || a.index - b.index)
          const got = visibleEvents(events, from, from + width, bin)
          expect(got).toEqual(stepwise(events, from, from + width, bin))
        },
      ),
      { seed: 20261208, numRuns: 400 },
    )
  })

  it('finds a bad event in a bin of thousands and counts them all', () => {
    const events: PlacedEvent[] = Array.from({ length: 30_000 }, (_, index) => ({
      index,
      at: index,
      kind: 'x',
      row: 0,
      toRows: [],
      status: index === 12_345 ? 'bad' : index % 7 === 0 ? 'neutral' : 'ok',
    }))
    const marks = visibleEvents(events, 0, 29_999, 10_000)
    expect(marks.map((m) => [m.count, m.status, m.first.index])).toEqual([
      [10_000, 'neutral', 0],
      [10_000, 'bad', 12_345],
      [10_000, 'neutral', 20_006],
    ])
  })
})

describe('zoom and pan', () => {
  it('zooms around the anchor, keeps it under the same place, and never leaves [0, end]', () => {
    const w = zoomWindow({ from: 0, to: 1000 }, 0.5, 250, 1000)
    expect(w).toEqual({ from: 125, to: 625 })
    expect(zoomWindow(w, 100, 300, 1000)).toEqual({ from: 0, to: 1000 })
    expect(
      zoomWindow({ from: 0, to: 8 }, 0.01, 4, 1000).to -
        zoomWindow({ from: 0, to: 8 }, 0.01, 4, 1000).from,
    ).toBe(4)
  })

  it('pans by a fraction of the width and stops at the ends', () => {
    expect(panWindow({ from: 100, to: 200 }, 0.5, 1000)).toEqual({ from: 150, to: 250 })
    expect(panWindow({ from: 100, to: 200 }, -5, 1000)).toEqual({ from: 0, to: 100 })
    expect(clampWindow({ from: 950, to: 1100 }, 1000)).toEqual({ from: 850, to: 1000 })
  })

  it('frames a span with margins', () => {
    expect(windowAround(400, 500, 1000)).toEqual({ from: 350, to: 550 })
  })
})

describe('formatDuration', () => {
  it('reads the tick unit: timebase ticks (512 per µs) or 10 ns', () => {
    expect(formatDuration(1024, '1 tick = 1 timebase tick (1/512 µs on POWER7 to POWER9)')).toBe(
      '1,024 ticks (2 µs)',
    )
    expect(formatDuration(7, 'steps')).toBe('7 ticks')
    expect(formatDuration(250, '1 tick = 10 ns (a model unit)')).toBe('250 ticks (2.5 µs)')
  })
})

describe('axis labels', () => {
  it('tell every tick of a narrow window far into a run apart', () => {
    // 17,282 ticks shown around tick 1.05M, ten splits wanted: a step of 2,000.
    const step = niceStep(17_282 / 10)
    expect(step).toBe(2000)
    const ticks = [1_040_000, 1_042_000, 1_044_000, 1_046_000, 1_048_000]
    const labels = ticks.map((t) => formatTick(t, step))
    expect(labels).toEqual(['1.04M', '1.042M', '1.044M', '1.046M', '1.048M'])
    // Without the step, two decimals: the labels repeat (what the axis printed before).
    expect(new Set(ticks.map((t) => formatTick(t))).size).toBeLessThan(ticks.length)
  })

  it('steps as ECharts does: 1, 2, 3, 5 or 10 times a power of ten', () => {
    expect([1.4, 1.6, 3.4, 3.6, 4.2, 7.4, 420].map(niceStep)).toEqual([1, 2, 3, 3, 5, 10, 500])
    // The same step as ECharts' own numberUtil.nice (round mode) for any span per split.
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), (x) => {
        expect(niceStep(x)).toBe(echartsNice(x, true))
      }),
      { seed: 20261208, numRuns: 2000 },
    )
    expect(formatTick(2_500, 500)).toBe('2500')
    expect(formatTick(12_500, 2_500)).toBe('12.5k')
    expect(formatTick(1_250_000_000, 50_000_000)).toBe('1.25G')
  })
})
