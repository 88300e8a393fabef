/**
 * The timeline as the views compute it, generic over `RunResult.timeline` and `events`: tracks in
 * rows, spans sorted for binary search, each event placed on the track it happened on (and the
 * tracks it went to), and the few operations a frame needs: what is visible in a time window,
 * aggregated to the pixel when zoomed out; zoom and pan; what lies under the pointer.
 *
 * Invariants:
 * 1. A frame costs what is visible, not what the run holds: spans are found by binary search and
 *    spans narrower than a bin are folded into one range per bin (its dominant state), so a track
 *    yields at most about two ranges per bin of the plot however many spans it has.
 * 2. Every function here is pure: the same input gives the same output (so the CLI can draw the
 *    same picture headless, issue 7).
 */
import type { RunResult, Span, StateInfo, Track } from '../result'
import { spanCountOf, trackSpans } from '../packed/spanTable'
import { AtomTable, type Column } from '../packed/records'
import { eventStatus, eventTracks, type AnyEvent, type EventStatus } from '../events'

export interface TimeWindow {
  from: number
  to: number
}

export interface PreparedTrack {
  id: string
  label: string
  group: string
  /** Sorted by start; a track's spans do not overlap, so their ends are sorted too. Made from the
   * columns when first read if the run came packed (../packed/spanTable.ts): a frame, the layout
   * and the links read `columns` and `refs`, so objects are made only for a track someone opens. */
  readonly spans: readonly Span[]
  /** The spans again as columns, which a frame folds (`foldColumns`). */
  columns: RangeColumns
  /** Each span's `ref`, by the same index as `columns`. */
  refs: TextColumn
  /** The spans folded at coarser bin sizes (levels of detail), coarsest first, as ranges and as
   * columns. */
  lods: readonly { binTicks: number; ranges: readonly DrawnRange[]; columns: RangeColumns }[]
}

/** A text per item as an index into `texts`; index 0 is no text. */
export interface TextColumn {
  index: ArrayLike<number>
  texts: readonly (string | null)[]
}

export interface PlacedEvent {
  /** Index into `RunResult.events`. */
  index: number
  at: number
  kind: string
  row: number
  /** Rows the event went to (arrow heads), without its own row. */
  toRows: readonly number[]
  status: EventStatus
}

export interface PreparedTimeline {
  tickUnit: string
  /** Nanoseconds per tick (the timeline's `tickNs`, or read from its unit text), else null. */
  tickNs: number | null
  end: number
  tracks: PreparedTrack[]
  rowOf: ReadonlyMap<string, number>
  /** The declared states, then any state a span uses that was not declared. */
  states: StateInfo[]
  stateIndex: ReadonlyMap<string, number>
  spanCount: number
  /** Placed events, sorted by `at`; and per row. */
  events: PlacedEvent[]
  eventsByRow: PlacedEvent[][]
  /** Placed events whose status is bad (the screen-reader sentence counts them every frame). */
  badEvents: number
  /** Events whose track is not on the timeline (they still show in the events table). */
  unplaced: number
  /** Tracks left out because nothing happened on them (`hideIdle`). */
  hiddenIdle: number
}

export interface PrepareOptions {
  /** Leave out tracks with no span that no event names (a thread no vcore used). */
  hideIdle?: boolean
}

// ---------------------------------------------------------------------------------------------
// Preparation: once per run.

export function prepareTimeline(result: RunResult, opts: PrepareOptions = {}): PreparedTimeline {
  const t = result.timeline
  const end = Math.max(t.end, 1)
  // Only a track without spans can be idle: events are read for those, and not at all when every
  // track has spans (a large run's 684,512 events took 0.13 s to read for nothing).
  const bare = opts.hideIdle ? t.tracks.filter((tr) => spanCountOf(tr) === 0) : []
  const named = bare.length > 0 ? namedTracks(result.events as AnyEvent[], bare) : null
  const kept = named ? t.tracks.filter((tr) => spanCountOf(tr) > 0 || named.has(tr.id)) : t.tracks
  const tracks = kept.map((tr) => preparedTrack(tr, end))
  const rowOf = new Map(tracks.map((tr, i) => [tr.id, i]))
  const states = [...t.states]
  const stateIndex = new Map(states.map((s, i) => [s.state, i]))
  let spanCount = 0
  for (const tr of tracks) {
    const c = tr.columns
    spanCount += c.n
    // A span's state not declared joins the list where it first comes (tracks in order).
    const seen = new Uint8Array(c.states.length)
    for (let i = 0; i < c.n; i++) {
      const k = c.state[i] as number
      if (seen[k]) continue
      seen[k] = 1
      const state = c.states[k] as string
      if (!stateIndex.has(state)) {
        stateIndex.set(state, states.length)
        states.push({ state, label: state, description: '' })
      }
    }
  }
  const events: PlacedEvent[] = []
  let unplaced = 0
  ;(result.events as AnyEvent[]).forEach((e, index) => {
    const { track, toTracks } = eventTracks(e)
    const row = track === undefined ? undefined : rowOf.get(track)
    if (row === undefined) {
      unplaced++
      return
    }
    let rows: number[] | null = null
    for (const id of toTracks) {
      const to = rowOf.get(id)
      if (to !== undefined && to !== row) (rows ??= []).push(to)
    }
    const toRows = rows ?? NO_ROWS
    events.push({ index, at: e.at, kind: e.kind, row, toRows, status: eventStatus(e) })
  })
  events.sort((a, b) => a.at - b.at || a.index - b.index)
  const eventsByRow: PlacedEvent[][] = tracks.map(() => [])
  for (const e of events) eventsByRow[e.row]!.push(e)
  return {
    tickUnit: t.tickUnit,
    tickNs: t.tickNs ?? nanosecondsPerTick(t.tickUnit),
    end,
    tracks,
    rowOf,
    states,
    stateIndex,
    spanCount,
    events,
    eventsByRow,
    badEvents: events.reduce((n, e) => n + (e.status === 'bad' ? 1 : 0), 0),
    unplaced,
    hiddenIdle: t.tracks.length - kept.length,
  }
}

/** The rows of an event that goes nowhere else: one array for the hundreds of thousands of them
 * (half of a large run's events are cedes or hypercalls), not one each. */
const NO_ROWS: readonly number[] = Object.freeze([])

/** The ids of `among` that events name (their own track or a track their arrows go to). */
function namedTracks(events: readonly AnyEvent[], among: readonly Track[]): Set<string> {
  const wanted = new Set(among.map((tr) => tr.id))
  const out = new Set<string>()
  for (const e of events) {
    const { track, toTracks } = eventTracks(e)
    if (track !== undefined && wanted.has(track)) out.add(track)
    for (const id of toTracks) if (wanted.has(id)) out.add(id)
    if (out.size === wanted.size) break
  }
  return out
}

/**
 * A track as the timeline reads it. Spans that came as a table (unpacked from the worker's columns)
 * are read from it in place, no object made; spans as objects (the CLI, the tests) are turned into
 * columns once.
 */
function preparedTrack(tr: Track, end: number): PreparedTrack {
  const { id, label, group } = tr
  const table = trackSpans(tr)
  if (table && sortedColumn(table.table.start, table.offset, table.n)) {
    const { table: t, offset, n } = table
    const view = <T extends Float64Array | Uint16Array | Column>(c: T) =>
      c.subarray(offset, offset + n) as T
    const columns: RangeColumns = {
      n,
      start: view(t.start),
      end: view(t.end),
      state: view(t.state),
      states: t.states as string[],
      count: null,
      span: null,
    }
    return {
      id,
      label,
      group,
      get spans() {
        return tr.spans
      },
      columns,
      refs: { index: view(t.ref), texts: t.texts },
      lods: levelsOfDetail(columns, end),
    }
  }
  const spans = sortedByStart(tr.spans)
  const columns = rangeColumns(spans)
  return {
    id,
    label,
    group,
    spans,
    columns,
    refs: textColumn(spans, (s) => s.ref),
    lods: levelsOfDetail(columns, end),
  }
}

function sortedColumn(c: Float64Array, offset: number, n: number): boolean {
  for (let i = offset + 1; i < offset + n; i++)
    if ((c[i] as number) < (c[i - 1] as number)) return false
  return true
}

/** A text of each item as a `TextColumn`. */
export function textColumn<T>(items: readonly T[], text: (x: T) => string | undefined): TextColumn {
  const texts = new AtomTable()
  texts.of(null) // index 0: no text
  const index = new Uint32Array(items.length)
  items.forEach((x, i) => {
    const s = text(x)
    if (s !== undefined) index[i] = texts.of(s)
  })
  return { index, texts: texts.values as (string | null)[] }
}

/** The text of item `i` of a `TextColumn`, if it has one. */
export function textAt(c: TextColumn, i: number): string | undefined {
  return c.texts[c.index[i] as number] ?? undefined
}

function sortedByStart(spans: readonly Span[]): readonly Span[] {
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i] as Span).start < (spans[i - 1] as Span).start) {
      return [...spans].sort((a, b) => a.start - b.start)
    }
  }
  return spans
}

// ---------------------------------------------------------------------------------------------
// What a frame draws.

export interface DrawnRange {
  start: number
  end: number
  state: string
  /** Spans folded into this range (1: the span itself). */
  count: number
  /** Index of the span in its track when `count` is 1, else -1. */
  span: number
}

/** Something `rangeColumns` takes: a span, or a range already folded at a finer bin size. */
type Foldable = Span | DrawnRange

/** Bins over the whole run of each level of detail, from coarse to fine. */
const LOD_BINS = [512, 2048, 8192, 32768]

/**
 * A track's spans folded at fixed bin sizes, for zoomed-out frames: a frame then folds a few
 * thousand ranges instead of every span. Only levels that save at least half are kept.
 */
function levelsOfDetail(spans: RangeColumns, end: number): PreparedTrack['lods'] {
  const out: { binTicks: number; ranges: DrawnRange[]; columns: RangeColumns }[] = []
  for (const bins of LOD_BINS) {
    if (spans.n < bins * 2) continue
    const binTicks = end / bins
    const ranges = foldColumns(spans, 0, end, binTicks)
    out.push({ binTicks, ranges, columns: rangeColumns(ranges) })
  }
  return out
}

/** The ranges to draw for one track in `[from, to]`, from its coarsest level of detail that is
 * still finer than a bin of this frame. */
export function trackRanges(
  track: PreparedTrack,
  from: number,
  to: number,
  ticksPerBin: number,
): DrawnRange[] {
  return mergeTouching(foldColumns(lodColumns(track, ticksPerBin), from, to, ticksPerBin))
}

/**
 * Neighbouring folded ranges of one state that touch become one: fewer shapes, the same picture.
 * Spans drawn as themselves stay apart (a click finds each). Merges in place: the ranges are the
 * caller's to give (fresh from a fold), so a frame copies none of its thousands of ranges.
 */
export function mergeTouching(ranges: DrawnRange[]): DrawnRange[] {
  let n = 0
  for (const r of ranges) {
    const last = n > 0 ? (ranges[n - 1] as DrawnRange) : undefined
    if (
      last &&
      last.span === -1 &&
      r.span === -1 &&
      last.state === r.state &&
      r.start <= last.end
    ) {
      last.end = Math.max(last.end, r.end)
      last.count += r.count
    } else ranges[n++] = r
  }
  ranges.length = n
  return ranges
}

/**
 * Spans or ranges as columns: where each starts and ends, its state as an index into `states`,
 * and for folded ranges how many spans each stands for and which span a lone one is. A frame's
 * fold reads numbers from typed arrays, not properties from a million objects of two shapes.
 */
export interface RangeColumns {
  n: number
  start: Float64Array
  end: Float64Array
  state: Uint16Array
  states: string[]
  /** Per range: spans folded into it (absent: 1 each, they are spans). */
  count: Int32Array | null
  /** Per range: the span it is when it is one, else -1 (absent: its own index). */
  span: Int32Array | null
}

export function rangeColumns(items: readonly Foldable[]): RangeColumns {
  const n = items.length
  const folded = n > 0 && 'count' in (items[0] as Foldable)
  const c: RangeColumns = {
    n,
    start: new Float64Array(n),
    end: new Float64Array(n),
    state: new Uint16Array(n),
    states: [],
    count: folded ? new Int32Array(n) : null,
    span: folded ? new Int32Array(n) : null,
  }
  const index = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const s = items[i] as Foldable
    c.start[i] = s.start
    c.end[i] = s.end
    let k = index.get(s.state)
    if (k === undefined) {
      k = c.states.length
      c.states.push(s.state)
      index.set(s.state, k)
    }
    c.state[i] = k
    if (c.count && c.span) {
      c.count[i] = countOf(s)
      c.span[i] = spanOf(s, i)
    }
  }
  return c
}

/**
 * The ranges to draw in `[from, to]` at `ticksPerBin` ticks per bin: a span (or range) at least one
 * bin wide is drawn as itself; narrower ones are folded per bin into one range coloured by the
 * state that fills most of the bin (the first to reach the most, on a tie).
 */
export function foldColumns(
  c: RangeColumns,
  from: number,
  to: number,
  ticksPerBin: number,
): DrawnRange[] {
  const out: DrawnRange[] = []
  foldColumnsEach(c, from, to, ticksPerBin, (start, end, st, count, span) =>
    out.push({ start, end, state: c.states[st] as string, count, span }),
  )
  return out
}

/**
 * Receives each range a fold draws, in order: where it starts and ends, its state (an index into
 * the columns' `states`), how many spans it stands for, and the span when it is one (else -1).
 */
export type RangeSink = (
  start: number,
  end: number,
  state: number,
  count: number,
  span: number,
) => void

/**
 * The fold itself, handing each range to `sink` instead of making an object of it: a frame at a
 * million spans folds some 12,000 ranges, and made as objects they were most of its garbage.
 */
export function foldColumnsEach(
  c: RangeColumns,
  from: number,
  to: number,
  ticksPerBin: number,
  sink: RangeSink,
): void {
  const { start, end, state, states, count: counts, span: spanIx } = c
  let bin = -1
  let binStart = 0
  let binEnd = 0
  let count = 0
  let items = 0
  let only = -1
  // The time each state fills in the bin, and the states touched in it (in the order they came).
  const dur = new Float64Array(states.length)
  const touched: number[] = []
  const countAt = (i: number) => (counts ? (counts[i] as number) : 1)
  const spanAt = (i: number) => (spanIx ? (spanIx[i] as number) : i)
  const flush = () => {
    if (items === 0) return
    if (items === 1) {
      const a = Math.max(start[only] as number, from)
      sink(a, Math.min(end[only] as number, to), state[only] as number, countAt(only), spanAt(only))
    } else {
      let best = touched[0] as number
      for (const k of touched) if ((dur[k] as number) > (dur[best] as number)) best = k
      sink(binStart, binEnd, best, count, -1)
    }
    for (const k of touched) dur[k] = 0
    touched.length = 0
    count = 0
    items = 0
  }
  for (let i = firstPast(end, 0, c.n, (e) => e > from); i < c.n; i++) {
    const s0 = start[i] as number
    if (s0 >= to) break
    const a = Math.max(s0, from)
    const b = Math.min(end[i] as number, to)
    if (b - a >= ticksPerBin) {
      flush()
      bin = -1
      sink(a, b, state[i] as number, countAt(i), spanAt(i))
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
    count += countAt(i)
    items++
    only = i
    const st = state[i] as number
    if (dur[st] === 0 && !touched.includes(st)) touched.push(st)
    dur[st] = (dur[st] as number) + (b - a)
  }
  flush()
}

/**
 * `sink` behind `mergeTouching`'s rule: neighbouring folded ranges of one state that touch reach
 * it as one. Call the returned `end` after the fold, for the last one held back.
 */
export function mergingSink(sink: RangeSink): { sink: RangeSink; end: () => void } {
  let held = false
  let hStart = 0
  let hEnd = 0
  let hState = 0
  let hCount = 0
  const end = () => {
    if (held) sink(hStart, hEnd, hState, hCount, -1)
    held = false
  }
  return {
    sink: (start, stop, st, count, span) => {
      if (held && span === -1 && st === hState && start <= hEnd) {
        hEnd = Math.max(hEnd, stop)
        hCount += count
        return
      }
      end()
      if (span === -1) {
        held = true
        hStart = start
        hEnd = stop
        hState = st
        hCount = count
      } else sink(start, stop, st, count, span)
    },
    end,
  }
}

/** The columns a frame folds for a track: its coarsest level of detail finer than a bin. */
export function lodColumns(track: PreparedTrack, ticksPerBin: number): RangeColumns {
  return track.lods.find((l) => l.binTicks <= ticksPerBin)?.columns ?? track.columns
}

/** `foldColumnsEach`, its ranges merged as `mergeTouching` merges them (`trackRanges`' picture). */
export function foldMergedEach(
  c: RangeColumns,
  from: number,
  to: number,
  ticksPerBin: number,
  sink: RangeSink,
): void {
  const merged = mergingSink(sink)
  foldColumnsEach(c, from, to, ticksPerBin, merged.sink)
  merged.end()
}

const countOf = (s: Foldable) => ('count' in s ? s.count : 1)
const spanOf = (s: Foldable, i: number) => ('span' in s ? s.span : i)

/** `timeIndex`'s classes of an event's status: bad ones and neutral ones, each found fast. */
const STATUS_CLASS: Record<EventStatus, 0 | 1 | 2> = { ok: 0, bad: 1, neutral: 2 }

/**
 * Items in time order, indexed for folding: each one's time, and for each item the first at or
 * after it of class 1 and of class 2 (n: none), `classOf` giving 0, 1 or 2. One pass from the end:
 * a first frame indexes every row's events (684,512 on xen-large), and a typed array made `from` a
 * mapped list, with a pass of its own per class, took twice as long.
 */
export function timeIndex(
  n: number,
  atOf: (i: number) => number,
  classOf: (i: number) => number,
): { at: Float64Array; next1: Int32Array; next2: Int32Array } {
  const at = new Float64Array(n)
  const next1 = new Int32Array(n + 1)
  const next2 = new Int32Array(n + 1)
  next1[n] = n
  next2[n] = n
  for (let i = n - 1; i >= 0; i--) {
    at[i] = atOf(i)
    const c = classOf(i)
    next1[i] = c === 1 ? i : (next1[i + 1] as number)
    next2[i] = c === 2 ? i : (next2[i + 1] as number)
  }
  return { at, next1, next2 }
}

/** A row's events for `visibleEvents`, built once per row (a prepared timeline never changes). */
const rowIndexes = new WeakMap<
  readonly PlacedEvent[],
  { at: Float64Array; nextBad: Int32Array; nextNeutral: Int32Array }
>()

function rowEventIndex(rowEvents: readonly PlacedEvent[]) {
  let ix = rowIndexes.get(rowEvents)
  if (!ix) {
    const { at, next1, next2 } = timeIndex(
      rowEvents.length,
      (i) => (rowEvents[i] as PlacedEvent).at,
      (i) => STATUS_CLASS[(rowEvents[i] as PlacedEvent).status],
    )
    ix = { at, nextBad: next1, nextNeutral: next2 }
    rowIndexes.set(rowEvents, ix)
  }
  return ix
}

/** The first index in [lo, hi) whose `at` passes `past` (a predicate monotonic in `at`), else hi. */
export function firstPast(
  at: Float64Array,
  lo: number,
  hi: number,
  past: (t: number) => boolean,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (past(at[mid] as number)) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * Events of one row in the window, folded to one mark per bin: its count, the worst status in it
 * and the first event of that status. A frame costs a binary search per bin drawn, not a step per
 * event (a row of a million-span run holds tens of thousands): `rowEvents` must be sorted by `at`.
 */
export function visibleEvents(
  rowEvents: readonly PlacedEvent[],
  from: number,
  to: number,
  ticksPerBin: number,
): { at: number; count: number; status: EventStatus; first: PlacedEvent }[] {
  const out: { at: number; count: number; status: EventStatus; first: PlacedEvent }[] = []
  const { at, nextBad, nextNeutral } = rowEventIndex(rowEvents)
  const end = firstPast(at, 0, at.length, (t) => t > to)
  let i = firstPast(at, 0, end, (t) => t >= from)
  while (i < end) {
    const k = Math.floor(((at[i] as number) - from) / ticksPerBin)
    const j = firstPast(at, i + 1, end, (t) => Math.floor((t - from) / ticksPerBin) > k)
    const bad = nextBad[i] as number
    const neutral = nextNeutral[i] as number
    const worst = bad < j ? bad : neutral < j ? neutral : i
    const first = rowEvents[worst] as PlacedEvent
    out.push({ at: at[i] as number, count: j - i, status: first.status, first })
    i = j
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Zoom and pan (Perfetto's W/S and A/D; the wheel).

/** Narrowest window, in ticks. */
export const MIN_WINDOW = 4

export function fullWindow(p: Pick<PreparedTimeline, 'end'>): TimeWindow {
  return { from: 0, to: p.end }
}

/** Keeps a window inside [0, end] and at least MIN_WINDOW wide, preserving its width if it can. */
export function clampWindow(w: TimeWindow, end: number): TimeWindow {
  const width = Math.min(Math.max(w.to - w.from, Math.min(MIN_WINDOW, end)), end)
  let from = Math.max(0, Math.min(w.from, end - width))
  if (!Number.isFinite(from)) from = 0
  return { from, to: from + width }
}

/** Zooms by `factor` (< 1 zooms in) keeping the tick `anchor` under the same pixel. */
export function zoomWindow(w: TimeWindow, factor: number, anchor: number, end: number): TimeWindow {
  const width = w.to - w.from
  const next = Math.max(width * factor, Math.min(MIN_WINDOW, end))
  const ratio = width > 0 ? (anchor - w.from) / width : 0.5
  return clampWindow({ from: anchor - ratio * next, to: anchor - ratio * next + next }, end)
}

/** Pans by `fraction` of the window's width (negative: earlier). */
export function panWindow(w: TimeWindow, fraction: number, end: number): TimeWindow {
  const d = (w.to - w.from) * fraction
  return clampWindow({ from: w.from + d, to: w.to + d }, end)
}

/** A window around `[a, b]` with a margin, for "zoom to this span or event". */
export function windowAround(a: number, b: number, end: number): TimeWindow {
  const width = Math.max(b - a, MIN_WINDOW * 4)
  return clampWindow({ from: a - width * 0.5, to: b + width * 0.5 }, end)
}

// ---------------------------------------------------------------------------------------------
// Numbers for people.

/**
 * Nanoseconds per tick, read from the timeline's unit text: `1 tick = 10 ns (…)` gives 10,
 * `… (1/512 µs …)` gives 1000/512; null when the unit is not a time.
 */
export function nanosecondsPerTick(tickUnit: string): number | null {
  const direct = /1 tick = ([\d.]+)\s*(ns|µs|us|ms)\b/.exec(tickUnit)
  if (direct) {
    const scale = direct[2] === 'ns' ? 1 : direct[2] === 'ms' ? 1e6 : 1e3
    return Number(direct[1]) * scale
  }
  const fraction = /1\/(\d+)\s*µs/.exec(tickUnit)
  return fraction ? 1000 / Number(fraction[1]) : null
}

/** A time in nanoseconds as a person reads it: `850 ns`, `2 µs`, `1.25 ms`. */
export function formatNanoseconds(ns: number): string {
  const f = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: x < 10 ? 2 : 1 })
  if (ns >= 1e9) return `${f(ns / 1e9)} s`
  if (ns >= 1e6) return `${f(ns / 1e6)} ms`
  if (ns >= 1e3) return `${f(ns / 1e3)} µs`
  return `${f(ns)} ns`
}

/**
 * A duration in ticks as a person reads it: `1,024 ticks (10.24 µs)`. `unit` is the timeline's
 * `tickNs` when it has one, else its `tickUnit` text.
 */
export function formatDuration(ticks: number, unit: string | number | null | undefined): string {
  const ns = typeof unit === 'number' ? unit : unit ? nanosecondsPerTick(unit) : null
  const base = `${ticks.toLocaleString('en-US', { maximumFractionDigits: 1 })} tick${ticks === 1 ? '' : 's'}`
  return ns === null ? base : `${base} (${formatNanoseconds(ticks * ns)})`
}

/**
 * The step between axis ticks ECharts takes for a span of about `approx` per split: 1, 2, 3, 5 or
 * 10 times a power of ten (its `numberUtil.nice` in round mode, as its interval scale calls it,
 * echarts 6.1.0), so a label can know how many decimals tell it from its neighbours.
 */
export function niceStep(approx: number): number {
  if (!(approx > 0) || !Number.isFinite(approx)) return 1
  const exponent = Math.floor(Math.log10(approx))
  const f = approx / 10 ** exponent
  const step = (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * 10 ** exponent
  return exponent < 0 ? +step.toFixed(-exponent) : step
}

/**
 * Axis labels: 1.5k, 2M; with the ticks' `step`, as many decimals as tell neighbouring ticks
 * apart (1.0425M, 1.045M beside each other, where two decimals would print 1.04M, 1.05M, 1.05M).
 */
export function formatTick(t: number, step?: number): string {
  const a = Math.abs(t)
  const [div, suffix, base] =
    a >= 1e9 ? [1e9, 'G', 2] : a >= 1e6 ? [1e6, 'M', 2] : a >= 1e4 ? [1e3, 'k', 1] : [1, '', 1]
  const digits = step ? Math.max(base, decimals(step / div)) : base
  return `${+(t / div).toFixed(Math.min(digits, 9))}${suffix}`
}

/** Digits after the point that `x` needs (0.0025: 4). */
function decimals(x: number): number {
  const text = String(+x.toPrecision(6))
  const e = /e-(\d+)$/.exec(text)
  if (e) return Number(e[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0)
  return text.split('.')[1]?.length ?? 0
}
