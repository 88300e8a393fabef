/**
 * The Perfetto protobuf trace (src/shared/export/perfetto.ts), decoded by a reader that shares no
 * code with the writer (test/support/protoDecode.ts, perfettoRead.ts) and held to the run it came
 * from and to the Chrome trace of the same run (issue 16, item 3).
 */
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { concatBytes } from '../../../src/shared/bytes'
import { eventTracks } from '../../../src/shared/events'
import { ProtoWriter, utf8 } from '../../../src/shared/export/protobuf'
import { BUNDLE_BYTES, perfettoChunks, toPerfetto } from '../../../src/shared/export/perfetto'
import { toTrace } from '../../../src/shared/export/trace'
import type { LabEvent, RunResult } from '../../../src/shared/result'
import {
  readPerfetto,
  SEQ_INCREMENTAL_STATE_CLEARED,
  type DecodedTrace,
} from '../../support/perfettoRead'
import { allPresetRuns, presetRun } from '../../support/presetRuns'
import { readFields } from '../../support/protoDecode'
import { syntheticBook3sRun } from '../../support/syntheticRuns'

describe('the protobuf encoder, read back by the test decoder', () => {
  it('writes varints at their edges, negative int64 as ten bytes, fixed64, doubles and strings', () => {
    const w = new ProtoWriter(4)
    const uints = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]
    uints.forEach((v, i) => w.uint(i + 1, v))
    w.int(20, -1)
      .int(21, -(2 ** 40))
      .fixed64(22, 2 ** 40 + 5)
      .double(23, -0.1)
      .string(24, 'héllo 🌍')
    const fields = readFields(w.view())
    expect(fields.slice(0, uints.length).map((f) => Number(f.int))).toEqual(uints)
    expect(fields.slice(0, uints.length).map((f) => f.field)).toEqual(uints.map((_, i) => i + 1))
    const [minusOne, minusBig, fixed, dbl, str] = fields.slice(uints.length)
    expect(BigInt.asIntN(64, minusOne!.int!)).toBe(-1n)
    expect(BigInt.asIntN(64, minusBig!.int!)).toBe(-(2n ** 40n))
    expect(w.view().subarray(2 * uints.length + 18).length).toBeGreaterThan(0)
    expect([fixed!.wire, Number(fixed!.int)]).toEqual([1, 2 ** 40 + 5])
    expect(new DataView(dbl!.raw!.buffer, dbl!.raw!.byteOffset).getFloat64(0, true)).toBe(-0.1)
    expect(new TextDecoder().decode(str!.bytes)).toBe('héllo 🌍')
  })

  it('encodes -1 as int64 in ten bytes, the last 0x01', () => {
    const bytes = new ProtoWriter().int(1, -1).view()
    expect([...bytes]).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
  })

  it('writes UTF-8 as TextEncoder does, a lone surrogate as U+FFFD', () => {
    for (const s of ['', 'ascii', 'µs', '→ ✓', '🌍x', 'a\ud800b', '\udc00', 'z\ud83c']) {
      expect([...utf8(s)]).toEqual([...new TextEncoder().encode(s)])
    }
  })

  it('embeds a message as its length and bytes, growing its buffer as it must', () => {
    const inner = new ProtoWriter(2).string(2, 'x'.repeat(300))
    const outer = new ProtoWriter(2).message(5, inner).uint(6, 7)
    const [msg, after] = readFields(outer.view())
    expect(msg!.field).toBe(5)
    expect(readFields(msg!.bytes!)[0]!.bytes!.length).toBe(300)
    expect(Number(after!.int)).toBe(7)
  })
})

const ns = (r: RunResult, tick: number) => Math.round(tick * (r.timeline.tickNs ?? 1000))

/** The decoded thread track of each timeline track, by track id. */
function threadsOf(r: RunResult, d: DecodedTrace): Map<string, number> {
  const byName = new Map<string, number>()
  const tracks = [...d.tracks.values()].filter((t) => t.thread)
  // Threads are declared in the order of the timeline's tracks, as the Chrome trace numbers them.
  r.timeline.tracks.forEach((t, i) => byName.set(t.id, tracks[i]!.uuid))
  return byName
}

/** What every preset's trace must say, read back. */
function checkRun(r: RunResult): void {
  const d = readPerfetto(toPerfetto(r))
  expect(d.problems).toEqual([])
  expect(d.firstFlags & SEQ_INCREMENTAL_STATE_CLEARED).toBe(SEQ_INCREMENTAL_STATE_CLEARED)
  checkClock(r, d)
  const threads = threadsOf(r, d)
  for (const track of r.timeline.tracks) {
    const uuid = threads.get(track.id)!
    const decl = d.tracks.get(uuid)!
    expect(decl.thread!.name).toBe(track.label)
    const proc = [...d.tracks.values()].find((t) => t.process?.pid === decl.thread!.pid)!
    expect(proc.process!.name).toBe(track.group)
    const slices = d.slices.filter((s) => s.track === uuid).sort((a, b) => a.ts - b.ts)
    expect(slices).toHaveLength(track.spans.length)
    expect(slices.map((s) => s.name)).toEqual(
      track.spans.map((s) => (s.label ? `${s.state} ${s.label}` : s.state)),
    )
    expect(slices.map((s) => s.category)).toEqual(track.spans.map((s) => s.state))
    // Every slice's begin and end, made absolute from the incremental clock's deltas.
    expect(slices.map((s) => [s.ts, s.ts + s.dur])).toEqual(
      track.spans.map((s) => [ns(r, s.start), ns(r, s.end)]),
    )
    expect(slices.map((s) => s.args)).toEqual(track.spans.map((s) => (s.ref ? { ref: s.ref } : {})))
  }
  checkEvents(r, d, threads)
  checkFlows(r, d)
}

/**
 * The sequence's default clock is its own incremental clock (id 64 to 127, sequence-scoped), at 0
 * when BOOTTIME is, counting ticks where a tick is a whole number of ns (as every preset's is).
 */
function checkClock(r: RunResult, d: DecodedTrace): void {
  const id = d.defaultClock!
  expect(id).toBeGreaterThanOrEqual(64)
  expect(id).toBeLessThanOrEqual(127)
  const clock = d.clocks.get(id)!
  const tick = r.timeline.tickNs ?? 1000
  const ticks = [
    ...r.events.map((e) => e.at),
    ...r.timeline.tracks.flatMap((t) => t.spans.flatMap((s) => [s.start, s.end])),
  ]
  const unit = Number.isInteger(tick) && ticks.every(Number.isInteger) ? tick : 1
  expect([clock.incremental, clock.unit, clock.offset]).toEqual([true, unit, 0])
}

/** One instant per event, on its track, with the Chrome trace's args for it. */
function checkEvents(r: RunResult, d: DecodedTrace, threads: Map<string, number>): void {
  const events = d.instants.filter((i) => i.category === 'event')
  expect(events).toHaveLength(r.events.length)
  const chrome = toTrace(r).traceEvents.filter((e) => e.ph === 'X' && e.cat === 'event')
  events.forEach((got, index) => {
    const e = r.events[index] as LabEvent
    expect([got.name, got.ts, got.args.index]).toEqual([e.kind, ns(r, e.at), index])
    const track = eventTracks(e).track
    if (track && threads.has(track)) expect(got.track).toBe(threads.get(track))
    expect(got.args).toEqual(chrome[index]!.args)
  })
  // Interning: each name once, each used name resolved (no problem above).
  const names = new Set([...d.slices, ...d.instants].map((s) => s.name))
  expect(d.interned.names).toBe(names.size)
}

/** Every flow begun ends once, at the same time, on a track the event points at. */
function checkFlows(r: RunResult, d: DecodedTrace): void {
  const chrome = toTrace(r).traceEvents
  const begun = d.instants.flatMap((i) => i.flows.map((id) => ({ id, at: i })))
  const ends = new Map<number, (typeof d.instants)[number][]>()
  for (const i of d.instants) for (const id of i.ends) ends.set(id, [...(ends.get(id) ?? []), i])
  expect(begun).toHaveLength(chrome.filter((e) => e.ph === 's').length)
  expect(new Set(begun.map((b) => b.id)).size).toBe(begun.length)
  expect([...ends.keys()].sort((a, b) => a - b)).toEqual(
    begun.map((b) => b.id).sort((a, b) => a - b),
  )
  const landings = chrome.filter((e) => e.ph === 'X' && e.cat === 'arrow')
  for (const { id, at } of begun) {
    const [end] = ends.get(id)!
    expect(ends.get(id)).toHaveLength(1)
    expect([end!.ts, end!.name, end!.category]).toEqual([at.ts, at.name, 'arrow'])
    const e = r.events[at.args.index as number] as LabEvent
    const target = d.tracks.get(end!.track)!.thread!.name
    const labels = eventTracks(e).toTracks.map(
      (t) => r.timeline.tracks.find((x) => x.id === t)?.label,
    )
    expect(labels).toContain(target)
    expect(end!.args).toEqual(landings[id - 1]!.args)
  }
}

describe('the Perfetto trace of every preset, decoded', () => {
  it.each(allPresetRuns())(
    '%s: tracks, slices, events, flows and names as the run has them',
    (_id, r) => {
      checkRun(r)
    },
  )
})

describe('the Perfetto trace, in detail', () => {
  it('book3s: the lost doorbell flows from cpu 0 to cpu 2 at 200 ticks of 10 ns; the misdelivered one stays on cpu 1', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const d = readPerfetto(toPerfetto(r))
    const label = (id: string) => r.timeline.tracks.find((t) => t.id === id)!.label
    const on = (track: number) => d.tracks.get(track)!.thread!.name
    const bells = d.instants.filter((i) => i.name === 'doorbell' && i.category === 'event')
    const [lost, mis] = bells
    expect([lost!.ts, lost!.args.outcome, lost!.args.deliveredTo, on(lost!.track)]).toEqual([
      2000,
      'lost',
      null,
      label('cpu0'),
    ])
    const lostEnd = d.instants.find((i) => i.ends.includes(lost!.flows[0]!))!
    expect([lostEnd.ts, on(lostEnd.track)]).toEqual([2000, label('cpu2')])
    expect([mis!.ts, mis!.args.from, mis!.args.intended, mis!.args.deliveredTo]).toEqual([
      3000, 10, 9, 10,
    ])
    const misEnd = d.instants.find((i) => i.ends.includes(mis!.flows[0]!))!
    expect([on(mis!.track), on(misEnd.track)]).toEqual([label('cpu1'), label('cpu1')])
  })

  it('xen: a tick is 1 µs; the IPI from vCPU 0 lands on vCPU 2 of the kdump guest', () => {
    const r = presetRun('xen-pvhvm-kdump-ipi-to-cpu0')
    const d = readPerfetto(toPerfetto(r))
    const ipi = d.instants.find((i) => i.name === 'ipi' && i.category === 'event')!
    const e = r.events.find((x) => x.kind === 'ipi')!
    expect(ipi.ts).toBe(e.at * 1000)
    const end = d.instants.find((i) => i.ends.includes(ipi.flows[0]!))!
    expect(end.args).toEqual({ from: 'vcpu0', index: (r.events as LabEvent[]).indexOf(e) })
    expect(d.tracks.get(end.track)!.thread!.name).toBe(
      r.timeline.tracks.find((t) => t.id === 'vcpu2')!.label,
    )
  })

  it('orders processes and threads explicitly, and no tid is also a pid', () => {
    const d = readPerfetto(toPerfetto(presetRun('book3s-power8-split-core')))
    const root = d.tracks.get(0)!
    expect(root).toBeDefined()
    const procs = [...d.tracks.values()].filter((t) => t.process)
    const threads = [...d.tracks.values()].filter((t) => t.thread)
    expect(procs.map((p) => p.rank)).toEqual(procs.map((p) => p.process!.pid))
    expect(threads.map((t) => t.rank)).toEqual(threads.map((t) => t.thread!.tid))
    const pids = new Set(procs.map((p) => p.process!.pid))
    expect(threads.some((t) => pids.has(t.thread!.tid))).toBe(false)
  })

  it('an event with no track goes to a thread of its kind in an "events" process, as in the Chrome trace', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const last = r.events[r.events.length - 1]!
    const odd = {
      kind: 'mystery',
      at: last.at,
      note: 'no track',
      list: [],
      nested: { a: [1, 2.5], b: null },
    }
    const run = { ...r, events: [...r.events, odd] } as unknown as RunResult
    const d = readPerfetto(toPerfetto(run))
    expect(d.problems).toEqual([])
    const mystery = d.instants.find((i) => i.name === 'mystery')!
    const thread = d.tracks.get(mystery.track)!.thread!
    expect(thread.name).toBe('mystery')
    expect([...d.tracks.values()].find((t) => t.process?.pid === thread.pid)!.process!.name).toBe(
      'events',
    )
    expect(mystery.args).toEqual({
      index: r.events.length,
      note: 'no track',
      list: [],
      nested: { a: [1, 2.5], b: null },
    })
  })

  it('says the run in an instant at 0 on a track "run": scenario, engine, design, tick', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const d = readPerfetto(toPerfetto(r))
    const run = d.instants.find((i) => i.category === 'run')!
    expect(d.tracks.get(run.track)!.name).toBe('run')
    expect(run.name).toBe(r.scenario.name)
    expect(run.args).toMatchObject({ design: r.design, timestamps: '10 ns per tick' })
  })
})

describe('the Perfetto trace with ticks that are no whole number of ns', () => {
  it('counts its clock in ns, each time rounded as before: a tick of 2.5 ns', () => {
    const r = presetRun('book3s-power8-random-doorbells')
    const run = { ...r, timeline: { ...r.timeline, tickNs: 2.5 } }
    checkRun(run)
    expect(readPerfetto(toPerfetto(run)).clocks.get(64)!.unit).toBe(1)
  })

  it('refuses a time before 0, which no delta from the run instant at 0 can say', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const events = r.events.map((e, i) => (i === 0 ? { ...e, at: -1 } : e))
    expect(() => toPerfetto({ ...r, events } as RunResult)).toThrow(/a time of -10 ns after 0 ns/)
  })

  it('counts its clock in ns where a time is not a whole tick', () => {
    const r = presetRun('book3s-power8-doorbell-first-come')
    const events = r.events.map((e, i) => (i === 1 ? { ...e, at: e.at + 0.5 } : e))
    const run = { ...r, events } as RunResult
    checkRun(run)
    expect(readPerfetto(toPerfetto(run)).clocks.get(64)!.unit).toBe(1)
  })
})

const deflate = (packets: Uint8Array) => new Uint8Array(deflateSync(packets))

describe('the Perfetto trace deflated into compressed_packets', () => {
  it.each(allPresetRuns())('%s: reads back the same as the plain trace', (_id, r) => {
    const plain = readPerfetto(toPerfetto(r))
    const chunks = [...perfettoChunks(r, { deflate })]
    const packed = readPerfetto(concatBytes(chunks))
    expect(packed).toEqual({ ...plain, bundles: chunks.length })
    expect(packed.bundles).toBeGreaterThan(0)
  })

  it('a bundle per chunk, each whole and under 512 KiB, the file smaller than the plain one', () => {
    const r = syntheticBook3sRun({ tracks: 8, spans: 1000, doorbells: 2000 })
    const plain = toPerfetto(r)
    const chunks = [...perfettoChunks(r, { deflate, chunkBytes: 32_768 })]
    expect(chunks.length).toBeGreaterThan(4)
    for (const c of chunks) {
      const fields = readFields(c)
      expect(fields.map((f) => [f.field, f.wire])).toEqual([[1, 2]])
      expect(readFields(fields[0]!.bytes!).map((f) => f.field)).toEqual([50])
      expect(c.length).toBeLessThan(512 * 1024)
    }
    const packed = concatBytes(chunks)
    expect(packed.length).toBeLessThan(plain.length / 2)
    const d = readPerfetto(packed)
    expect(d.problems).toEqual([])
    expect(d).toEqual({ ...readPerfetto(plain), bundles: chunks.length })
  })

  it('bundles of at most BUNDLE_BYTES of packets, whatever chunk is asked', () => {
    const r = syntheticBook3sRun({ tracks: 16, spans: 2000, doorbells: 8000 })
    const sizes: number[] = []
    const chunks = [
      ...perfettoChunks(r, {
        chunkBytes: 1 << 24,
        deflate: (p) => (sizes.push(p.length), deflate(p)),
      }),
    ]
    expect(chunks.length).toBeGreaterThan(1)
    for (const n of sizes) expect(n).toBeLessThan(BUNDLE_BYTES + 4096)
  })
})

describe('the Perfetto trace in chunks', () => {
  it('chunks of at least the size asked, each whole packets, joined the same as one buffer', () => {
    const r = presetRun('book3s-power8-random-doorbells')
    const whole = toPerfetto(r)
    const chunks = [...perfettoChunks(r, { chunkBytes: 4096 })]
    expect(chunks.length).toBeGreaterThan(10)
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(4096)
    for (const c of chunks)
      expect(readFields(c).every((f) => f.field === 1 && f.wire === 2)).toBe(true)
    const joined = new Uint8Array(whole.length)
    let at = 0
    for (const c of chunks) {
      joined.set(c, at)
      at += c.length
    }
    expect(at).toBe(whole.length)
    // Buffer's compare: toEqual walks a large byte array slowly.
    expect(Buffer.compare(joined, whole)).toBe(0)
  })

  it('a run of many chunks decodes whole: 16,000 spans and 4,000 doorbells', () => {
    const r = syntheticBook3sRun({ tracks: 16, spans: 1000, doorbells: 4000 })
    expect([...perfettoChunks(r, { chunkBytes: 65_536 })].length).toBeGreaterThan(4)
    const d = readPerfetto(toPerfetto(r))
    expect(d.problems).toEqual([])
    expect(d.slices).toHaveLength(16_000)
    expect(d.instants.filter((i) => i.category === 'event')).toHaveLength(r.events.length)
  })
})
