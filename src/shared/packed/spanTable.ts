/**
 * A run's spans as five fixed columns, every track's in track order (issue 16, item 2): where each
 * starts and ends (Int32, or Float64 once a tick is not a 32-bit integer), its state as an index
 * into `states`, and its label and ref as indices into `texts` (0: the span has none). The page
 * reads the columns as they came (the timeline draws from them: ../charts/timelineModel.ts) and
 * makes a track's span objects only when something asks for that track's `spans`.
 *
 * Spans fit the table when each is `{start, end, state, label?, ref?}` in that key order, with
 * finite numbers and strings (every engine's spans are); a run whose spans do not is packed as
 * records (./records.ts) instead, so the round trip stays exact for any result.
 *
 * Invariant: a track read back from the table gives the same JSON text as the track packed.
 */
import type { Span, Track } from '../result'
import {
  AtomTable,
  ColumnBuilder,
  indexColumn,
  type Column,
  type PackedColumn,
  type Packer,
} from './records'

/** The head's part for the table: the columns' places in the packed run, and the tables. */
export interface PackedSpanTable {
  count: number
  start: PackedColumn
  end: PackedColumn
  state: number
  label: number
  ref: number
  states: string[]
  /** Labels and refs; index 0 stands for none (null here, as JSON carries it). */
  texts: (string | null)[]
}

const KEYS = ['start', 'end', 'state', 'label', 'ref'] as const

/**
 * The spans of `tracks` as a table, its columns added to `p`; null (nothing added) when a span
 * does not fit it.
 */
export function packSpanTable(p: Packer, tracks: readonly Track[]): PackedSpanTable | null {
  let count = 0
  for (const t of tracks) count += t.spans.length
  const start = new ColumnBuilder(count)
  const end = new ColumnBuilder(count)
  const state = new Uint32Array(count)
  const label = new Uint32Array(count)
  const ref = new Uint32Array(count)
  const states = new AtomTable()
  // Index 0 of the texts is none: null, interned first.
  const texts = new AtomTable()
  texts.of(null)
  let i = 0
  for (const t of tracks) {
    for (const s of t.spans) {
      if (!fits(s)) return null
      start.push(s.start)
      end.push(s.end)
      state[i] = states.of(s.state)
      label[i] = s.label === undefined ? 0 : texts.of(s.label)
      ref[i] = s.ref === undefined ? 0 : texts.of(s.ref)
      i++
    }
  }
  const add = (c: Column) => p.columns.push(c) - 1
  return {
    count,
    start: start.done(p),
    end: end.done(p),
    state: add(indexColumn(state, states.values.length)),
    label: add(indexColumn(label, texts.values.length)),
    ref: add(indexColumn(ref, texts.values.length)),
    states: states.values as string[],
    texts: texts.values as (string | null)[],
  }
}

/** Whether the span is `{start, end, state, label?, ref?}` in that key order (as JSON sees it). */
function fits(s: Span): boolean {
  if (!Number.isFinite(s.start) || !Number.isFinite(s.end) || typeof s.state !== 'string') {
    return false
  }
  let j = 0
  for (const k in s) {
    const v = (s as unknown as Record<string, unknown>)[k]
    if (v === undefined) continue
    // label may be left out before ref; start, end and state may not.
    while (j === 3 && k !== KEYS[j]) j++
    if (k !== KEYS[j] || (j >= 3 && typeof v !== 'string')) return false
    j++
  }
  return j >= 3
}

/** The table as the page reads it: Float64 ticks and Uint16 states for the timeline's fold. */
export interface SpanTable {
  start: Float64Array
  end: Float64Array
  state: Uint16Array
  label: Column
  ref: Column
  states: readonly string[]
  texts: readonly (string | null)[]
}

export function readSpanTable(h: PackedSpanTable, columns: readonly Column[]): SpanTable {
  const f64 = (c: Column) => (c instanceof Float64Array ? c : Float64Array.from(c))
  const state = columns[h.state] as Column
  return {
    start: f64(columns[h.start.column] as Column),
    end: f64(columns[h.end.column] as Column),
    state: state instanceof Uint16Array ? state : Uint16Array.from(state),
    label: columns[h.label] as Column,
    ref: columns[h.ref] as Column,
    states: h.states,
    texts: h.texts,
  }
}

/** One track's spans in a table: `n` rows from `offset`. */
export interface TrackSpans {
  table: SpanTable
  offset: number
  n: number
}

/** The span at row `i` of the table, as the engine made it (label and ref only when it had them). */
export function spanAt(t: SpanTable, i: number): Span {
  const state = t.states[t.state[i] as number] as string
  const s: Span = { start: t.start[i] as number, end: t.end[i] as number, state }
  const label = t.label[i] as number
  if (label !== 0) s.label = t.texts[label] as string
  const ref = t.ref[i] as number
  if (ref !== 0) s.ref = t.texts[ref] as string
  return s
}

const tableOf = new WeakMap<Track, TrackSpans>()

/** The track's spans in a table, when it came with one and its spans were not replaced since. */
export function trackSpans(track: Track): TrackSpans | undefined {
  return tableOf.get(track)
}

/** How many spans the track has, without making them. */
export function spanCountOf(track: Track): number {
  return tableOf.get(track)?.n ?? track.spans.length
}

/**
 * Gives each track its spans from the table: `spans` is made from the columns the first time it
 * is read (and kept), and `trackSpans` finds the columns without making it. The spans are the
 * table's as long as nobody sets `spans`; changing the array in place is not seen by the table
 * (no view does: a run's result is read, never edited).
 */
export function attachSpanTable(tracks: readonly Track[], table: SpanTable, counts: Column): void {
  let offset = 0
  tracks.forEach((track, k) => {
    const n = counts[k] as number
    const at: TrackSpans = { table, offset, n }
    offset += n
    tableOf.set(track, at)
    let made: Span[] | null = null
    Object.defineProperty(track, 'spans', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (made) return made
        made = new Array<Span>(n)
        for (let i = 0; i < n; i++) made[i] = spanAt(table, at.offset + i)
        return made
      },
      // Spans set anew are the track's own: the table no longer speaks for it.
      set: (spans: Span[]) => {
        tableOf.delete(track)
        made = spans
      },
    })
  })
}
