/**
 * A run result packed for the way from the engine to the page (issue 16): the two big parts, the
 * events and the timeline's spans, as typed columns (./records.ts: grouped by shape, numbers as
 * Int32 or Float64, every other value an index into its column's table of interned values), and the rest
 * of the result (scenario, layout, metrics, checks, details, the tracks without their spans) as
 * one JSON text. The columns are whole typed arrays over their own buffers, so a worker can post
 * them with a transfer list (moved, not copied) and a carrier can write them as bytes
 * (./frame.ts) without a JSON text of the run.
 *
 * Invariant: `JSON.stringify(unpackRun(packRun(r)))` equals `JSON.stringify(r)` for every run
 * result: the same keys in the same order, the same values, nulls and arrays (test/unit/packed).
 */
import type { RunResult } from '../result'
import {
  columnType,
  indexColumn,
  packRecords,
  unpackRecords,
  type Column,
  type ColumnType,
  type PackedRecords,
  type Packer,
} from './records'
import { attachSpanTable, packSpanTable, readSpanTable, type PackedSpanTable } from './spanTable'

export const PACKED_FORMAT = 'vcpu-lab/packed-run'
export const PACKED_VERSION = 2

/** The small part of a packed run: what the columns mean, and the rest of the result. */
export interface PackedHead {
  format: typeof PACKED_FORMAT
  version: typeof PACKED_VERSION
  /** The result as JSON text, with `events` and each track's `spans` null (in their places). */
  rest: string
  events: PackedRecords
  /** Every track's spans in track order, as a table of fixed columns (./spanTable.ts), or as
   * records when a span does not fit one (the other is null); `spansPerTrack` is the column of
   * counts. */
  spanTable: PackedSpanTable | null
  spans: PackedRecords | null
  spansPerTrack: number
  /** Each column's type and length, in order. */
  columns: { type: ColumnType; length: number }[]
  /** The byte order of the numbers in the columns (typed arrays use the machine's). */
  littleEndian: boolean
}

export interface PackedRun {
  head: PackedHead
  columns: Column[]
}

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export function packRun(result: RunResult): PackedRun {
  const p: Packer = { columns: [] }
  const events = packRecords(p, result.events)
  const tracks = result.timeline.tracks
  const counts = Uint32Array.from(tracks, (t) => t.spans.length)
  const spanTable = packSpanTable(p, tracks)
  const spans = spanTable
    ? null
    : packRecords(
        p,
        tracks.flatMap((t) => t.spans),
      )
  p.columns.push(counts)
  const spansPerTrack = p.columns.length - 1
  const rest = JSON.stringify({
    ...result,
    timeline: { ...result.timeline, tracks: tracks.map((t) => ({ ...t, spans: null })) },
    events: null,
  })
  const head: PackedHead = {
    format: PACKED_FORMAT,
    version: PACKED_VERSION,
    rest,
    events,
    spanTable,
    spans,
    spansPerTrack,
    columns: p.columns.map((c) => ({ type: columnType(c), length: c.length })),
    littleEndian: LITTLE_ENDIAN,
  }
  return { head, columns: p.columns }
}

/** The buffers to list for postMessage's transfer: each column's, once. */
export function transferList(p: PackedRun): ArrayBuffer[] {
  return [...new Set(p.columns.map((c) => c.buffer as ArrayBuffer))]
}

/** The bytes the columns hold, without the head. */
export function columnBytes(p: PackedRun): number {
  return p.columns.reduce((n, c) => n + c.byteLength, 0)
}

/**
 * The result again, as a plain object (the form `lab run` writes and the views read). Spans that
 * came as a table stay columns until a track's `spans` is read (./spanTable.ts: the timeline
 * draws from the columns, `trackSpans`).
 */
export function unpackRun(p: PackedRun): RunResult {
  checkHead(p)
  const h = p.head
  const result = JSON.parse(h.rest) as RunResult
  result.events = unpackRecords(h.events, p.columns) as unknown as RunResult['events']
  const counts = p.columns[h.spansPerTrack] as Column
  const tracks = result.timeline.tracks
  if (h.spanTable) {
    attachSpanTable(tracks, readSpanTable(h.spanTable, p.columns), counts)
    return result
  }
  const spans = unpackRecords(h.spans as PackedRecords, p.columns)
  let at = 0
  tracks.forEach((t, i) => {
    const n = counts[i] as number
    t.spans = spans.slice(at, at + n) as unknown as typeof t.spans
    at += n
  })
  return result
}

/** The result without its events and spans (both empty): metrics, checks, layout, details. */
export function restOf(p: PackedRun): RunResult {
  checkHead(p)
  const result = JSON.parse(p.head.rest) as RunResult
  result.events = []
  for (const t of result.timeline.tracks) t.spans = []
  return result
}

function checkHead(p: PackedRun): void {
  const h = p.head
  if (h?.format !== PACKED_FORMAT || h.version !== PACKED_VERSION || !(h.spanTable || h.spans)) {
    throw new Error(`not a packed run of version ${PACKED_VERSION}`)
  }
  if (h.littleEndian !== LITTLE_ENDIAN) throw new Error('a packed run of the other byte order')
  if (p.columns.length !== h.columns.length) {
    throw new Error(
      `a packed run with ${p.columns.length} columns; its head lists ${h.columns.length}`,
    )
  }
}

export { indexColumn, type Column, type ColumnType }
