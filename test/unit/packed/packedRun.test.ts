/**
 * The packed run (src/shared/packed): every preset's result, and both bench cases', come back
 * from their columns as the same JSON text, key for key; any list of JSON records does; the frame
 * carries the columns as bytes and refuses bytes that are not one.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CASES } from '../../../bench/cases'
import { runScenario } from '../../../src/engines'
import { framePieces, frameBytes, readFrame } from '../../../src/shared/packed/frame'
import { columnBytes, packRun, restOf, unpackRun } from '../../../src/shared/packed/packedRun'
import { packRecords, unpackRecords, type Packer } from '../../../src/shared/packed/records'
import type { RunResult, Span } from '../../../src/shared/result'
import { spanAt, trackSpans } from '../../../src/shared/packed/spanTable'
import { allPresetRuns, presetRun } from '../../support/presetRuns'

const utf8 = (text: string) => new TextEncoder().encode(text)
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const items = (r: RunResult) =>
  r.events.length + r.timeline.tracks.reduce((n, t) => n + t.spans.length, 0)

function roundTrip(records: object[]): unknown[] {
  const p: Packer = { columns: [] }
  const packed = packRecords(p, records)
  // Through JSON, as the head travels, so nothing survives only by sharing objects.
  return unpackRecords(JSON.parse(JSON.stringify(packed)), p.columns)
}

describe('packRun / unpackRun', () => {
  it.each(allPresetRuns())('%s: the same JSON text after packing and through the frame', (_, r) => {
    const packed = packRun(r)
    expect(JSON.stringify(unpackRun(packed))).toBe(JSON.stringify(r))
    const framed = readFrame(frameBytes(packed, utf8), text)
    expect(JSON.stringify(unpackRun(framed))).toBe(JSON.stringify(r))
  })

  it('keeps spans as a table: Int32 ticks, one byte per state, labels and refs interned', () => {
    const r = presetRun('book3s-power8-random-doorbells')
    const p = packRun(r)
    const table = p.head.spanTable!
    expect(p.head.spans).toBeNull()
    const start = p.columns[table.start.column]!
    const state = p.columns[table.state]!
    expect(start).toBeInstanceOf(Int32Array)
    expect(p.columns[table.end.column]).toBeInstanceOf(Int32Array)
    expect(state).toBeInstanceOf(Uint8Array)
    const row = r.timeline.tracks.findIndex((t) => t.spans.length > 0)
    const first = r.timeline.tracks[row]!.spans[0]!
    const firstIndex = r.timeline.tracks.slice(0, row).reduce((n, t) => n + t.spans.length, 0)
    expect(start[firstIndex]).toBe(first.start)
    expect(table.states[state[firstIndex]!]).toBe(first.state)
    const ref = p.columns[table.ref]![firstIndex]!
    expect(ref === 0 ? undefined : table.texts[ref]).toBe(first.ref)
    // The columns hold far less than the JSON text: under 100 bytes an event or span.
    expect(columnBytes(p) / items(r)).toBeLessThan(100)
  })

  it("makes a track's span objects only when its spans are read; the columns without them", () => {
    const r = presetRun('book3s-power8-random-doorbells')
    const back = unpackRun(packRun(r))
    const row = r.timeline.tracks.findIndex((t) => t.spans.length > 2)
    const track = back.timeline.tracks[row]!
    const cols = trackSpans(track)!
    expect(cols.n).toBe(r.timeline.tracks[row]!.spans.length)
    expect(spanAt(cols.table, cols.offset + 2)).toEqual(r.timeline.tracks[row]!.spans[2])
    // Made when read, not when unpacked: a column changed before the first read shows in them.
    const end = cols.table.end[cols.offset]!
    cols.table.end[cols.offset] = end + 0.5
    expect(track.spans[0]!.end).toBe(end + 0.5)
    cols.table.end[cols.offset] = end
    expect(track.spans[0]!.end).toBe(end + 0.5)
    expect(track.spans).toBe(track.spans)
    expect(trackSpans(track)).toBe(cols)
    // Replaced spans are the track's own: the table no longer speaks for it.
    track.spans = []
    expect(trackSpans(track)).toBeUndefined()
  })

  it.each([
    ['keys in another order', { end: 4, start: 1, state: 'x' }],
    ['a key the table has no column for', { start: 1, end: 4, state: 'x', note: 'n' }],
    ['a tick JSON writes as null', { start: 1, end: Infinity, state: 'x' }],
    ['a label that is not a string', { start: 1, end: 4, state: 'x', label: 3 }],
    ['ref before label', { start: 1, end: 4, state: 'x', ref: 'r', label: 'l' }],
  ])('packs spans as records when one does not fit the table: %s', (_, odd) => {
    const r = structuredClone(presetRun('xen-pvhvm-kdump-vcpu2-raw'))
    r.timeline.tracks[0]!.spans.push(odd as unknown as Span)
    const p = packRun(r)
    expect(p.head.spanTable).toBeNull()
    expect(JSON.stringify(unpackRun(p))).toBe(JSON.stringify(r))
  })

  it('gives the rest of the result without events and spans', () => {
    const r = presetRun('xen-pvhvm-kdump-vcpu2-raw')
    const rest = restOf(packRun(r))
    expect(rest.metrics).toEqual(r.metrics)
    expect(rest.checks).toEqual(r.checks)
    expect(rest.events).toEqual([])
    expect(rest.timeline.tracks.map((t) => t.id)).toEqual(r.timeline.tracks.map((t) => t.id))
  })

  it.each(CASES.map((c) => [c.name, c] as const))(
    'bench case %s: the same JSON text after packing, at under 100 bytes an event or span',
    { timeout: 180_000 },
    (_, c) => {
      const r = runScenario(c.build())
      const p = packRun(r)
      expect(columnBytes(p) / items(r)).toBeLessThan(100)
      expect(JSON.stringify(unpackRun(readFrame(frameBytes(p, utf8), text)))).toBe(
        JSON.stringify(r),
      )
    },
  )
})

describe('packRecords / unpackRecords', () => {
  it('gives back any list of JSON records as the same JSON text', () => {
    const value = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(null, true, false, undefined, -0, 2 ** 31, -(2 ** 31) - 1, 0.5),
      fc.string(),
      fc.jsonValue({ maxDepth: 2 }),
    )
    const key = fc.oneof(
      fc.constantFrom('kind', 'at', 'track', '__proto__', '0', '10'),
      fc.string(),
    )
    const record = fc.dictionary(key, value, { maxKeys: 6 })
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (records) => {
        expect(JSON.stringify(roundTrip(records))).toBe(JSON.stringify(records))
      }),
      { numRuns: 300 },
    )
  })

  it('shares a flat array among the records that have it (frozen), gives each its own object', () => {
    const records = [{ a: ['cpu1'] }, { a: ['cpu1'] }, { a: [{ x: 1 }] }, { a: [{ x: 1 }] }]
    const back = roundTrip(records) as { a: unknown[] }[]
    expect(back).toEqual(records)
    expect(back[0]!.a).toBe(back[1]!.a)
    expect(Object.isFrozen(back[0]!.a)).toBe(true)
    expect(() => (back[0]!.a as string[]).push('cpu2')).toThrow(TypeError)
    expect(back[1]!.a).toEqual(['cpu1'])
    expect(back[2]!.a[0]).not.toBe(back[3]!.a[0])
  })

  it('groups records by their keys in order: one shape per order, columns by value type', () => {
    const p: Packer = { columns: [] }
    const packed = packRecords(p, [
      { a: 1, b: 'x' },
      { b: 'y', a: 2 },
      { a: 3, b: 'x', c: undefined },
      { a: 1.5, b: null },
    ])
    expect(packed.shapes.map((s) => [s.keys, s.count])).toEqual([
      [['a', 'b'], 3],
      [['b', 'a'], 1],
    ])
    const [a, b] = packed.shapes[0]!.columns
    expect(p.columns[a!.column]).toEqual(new Float64Array([1, 3, 1.5]))
    expect(b!.atoms).toEqual(['x', null])
    expect([...p.columns[b!.column]!]).toEqual([0, 0, 1])
  })
})

describe('the frame', () => {
  const packed = packRun(presetRun('book3s-power8-doorbell-aligned'))

  it('is its pieces one after another, each column at a multiple of 8 bytes', () => {
    const pieces = framePieces(packed, utf8)
    const whole = frameBytes(packed, utf8)
    expect(whole.length).toBe(pieces.reduce((n, p) => n + p.length, 0))
    expect(text(whole.subarray(0, 4))).toBe('VLPR')
    const read = readFrame(whole, text)
    expect(read.columns.map((c) => c.byteOffset % 8)).toEqual(read.columns.map(() => 0))
    expect(read.columns.every((c) => c.buffer === whole.buffer)).toBe(true)
  })

  it('reads bytes that do not start at a multiple of 8 (by copying them once)', () => {
    const whole = frameBytes(packed, utf8)
    const shifted = new Uint8Array(whole.length + 3)
    shifted.set(whole, 3)
    const read = readFrame(shifted.subarray(3), text)
    expect(JSON.stringify(unpackRun(read))).toBe(JSON.stringify(unpackRun(packed)))
  })

  it('refuses bytes that are not a frame, or a frame cut short', () => {
    const whole = frameBytes(packed, utf8)
    expect(() => readFrame(utf8('{"ok":true}'), text)).toThrow('not a packed run frame')
    expect(() => readFrame(whole.subarray(0, 40), text)).toThrow('cut short in its head')
    expect(() => readFrame(whole.subarray(0, whole.length - 9), text)).toThrow(
      'cut short in its columns',
    )
  })
})
