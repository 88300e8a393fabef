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
import type { RunResult, Span, StateInfo } from '../result'
import { eventStatus, eventTracks, type AnyEvent, type EventStatus } from '../events'

export interface TimeWindow {
  from: number
  to: number
}

export interface PreparedTrack {
  id: string
  label: string
  group: string
  /** Sorted by start; a track's spans do not overlap, so their ends are sorted too. */
  spans: readonly Span[]
  /** The spans folded at coarser bin sizes (levels of detail), coarsest first. */
  lods: readonly { binTicks: number; ranges: readonly DrawnRange[] }[]
}

export interface PlacedEvent {
  /** Index into `RunResult.events`. */
  index: number
  at: number
  kind: string
  row: number
  /** Rows the event went to (arrow heads), without its own row. */
  toRows: number[]
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
  const named = opts.hideIdle ? namedTracks(result.events as AnyEvent[]) : null
  const kept = named ? t.tracks.filter((tr) => tr.spans.length > 0 || named.has(tr.id)) : t.tracks
  const tracks: PreparedTrack[] = kept.map((tr) => {
    const spans = sortedByStart(tr.spans)
    return { id: tr.id, label: tr.label, group: tr.group, spans, lods: levelsOfDetail(spans, end) }
  })
  const rowOf = new Map(tracks.map((tr, i) => [tr.id, i]))
  const states = [...t.states]
  const stateIndex = new Map(states.map((s, i) => [s.state, i]))
  let spanCount = 0
  for (const tr of tracks) {
    spanCount += tr.spans.length
    for (const s of tr.spans) {
      if (!stateIndex.has(s.state)) {
        stateIndex.set(s.state, states.length)
        states.push({ state: s.state, label: s.state, description: '' })
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
    const toRows: number[] = []
    for (const id of toTracks) {
      const to = rowOf.get(id)
      if (to !== undefined && to !== row) toRows.push(to)
    }
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

/** Track ids events name (their own track and the tracks their arrows go to). */
function namedTracks(events: readonly AnyEvent[]): Set<string> {
  const out = new Set<string>()
  for (const e of events) {
    const { track, toTracks } = eventTracks(e)
    if (track !== undefined) out.add(track)
    for (const id of toTracks) out.add(id)
  }
  return out
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

/** Something `foldRanges` can fold: a span, or a range already folded at a finer bin size. */
type Foldable = Span | DrawnRange

/** Bins over the whole run of each level of detail, from coarse to fine. */
const LOD_BINS = [512, 2048, 8192, 32768]

/**
 * A track's spans folded at fixed bin sizes, for zoomed-out frames: a frame then folds a few
 * thousand ranges instead of every span. Only levels that save at least half are kept.
 */
function levelsOfDetail(spans: readonly Span[], end: number): PreparedTrack['lods'] {
  const out: { binTicks: number; ranges: DrawnRange[] }[] = []
  for (const bins of LOD_BINS) {
    if (spans.length < bins * 2) continue
    const binTicks = end / bins
    out.push({ binTicks, ranges: foldRanges(spans, 0, end, binTicks) })
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
  const lod = track.lods.find((l) => l.binTicks <= ticksPerBin)
  return mergeTouching(foldRanges(lod ? lod.ranges : track.spans, from, to, ticksPerBin))
}

/**
 * Neighbouring folded ranges of one state that touch become one: fewer shapes, the same picture.
 * Spans drawn as themselves stay apart (a click finds each).
 */
export function mergeTouching(ranges: DrawnRange[]): DrawnRange[] {
  const out: DrawnRange[] = []
  for (const r of ranges) {
    const last = out[out.length - 1]
    if (
      last &&
      last.span === -1 &&
      r.span === -1 &&
      last.state === r.state &&
      r.start <= last.end
    ) {
      last.end = Math.max(last.end, r.end)
      last.count += r.count
      last.span = -1
    } else out.push({ ...r })
  }
  return out
}

/** Index of the first span that ends after `t` (spans sorted, not overlapping). */
export function firstEndingAfter(spans: readonly { end: number }[], t: number): number {
  let lo = 0
  let hi = spans.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((spans[mid] as { end: number }).end <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The ranges to draw in `[from, to]` at `ticksPerBin` ticks per bin: a span (or range) at least one
 * bin wide is drawn as itself; narrower ones are folded per bin into one range coloured by the
 * state that fills most of the bin.
 */
export function foldRanges(
  spans: readonly Foldable[],
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
  // The time each state fills in the bin: a handful of states, so two short arrays beat a Map.
  const durState: string[] = []
  const durTicks: number[] = []
  const flush = () => {
    if (items === 0) return
    if (items === 1) {
      const s = spans[only] as Foldable
      out.push({
        start: Math.max(s.start, from),
        end: Math.min(s.end, to),
        state: s.state,
        count: countOf(s),
        span: spanOf(s, only),
      })
    } else {
      let best = 0
      for (let k = 1; k < durTicks.length; k++) {
        if ((durTicks[k] as number) > (durTicks[best] as number)) best = k
      }
      out.push({ start: binStart, end: binEnd, state: durState[best] as string, count, span: -1 })
    }
    count = 0
    items = 0
    durState.length = 0
    durTicks.length = 0
  }
  for (let i = firstEndingAfter(spans, from); i < spans.length; i++) {
    const s = spans[i] as Foldable
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
    const at = durState.indexOf(s.state)
    if (at < 0) {
      durState.push(s.state)
      durTicks.push(b - a)
    } else durTicks[at] = (durTicks[at] as number) + (b - a)
  }
  flush()
  return out
}

const countOf = (s: Foldable) => ('count' in s ? s.count : 1)
const spanOf = (s: Foldable, i: number) => ('span' in s ? s.span : i)

/** For each i in [0, n], the first index at or after i for which `is` holds (n when none). */
export function nextWhere(n: number, is: (i: number) => boolean): Int32Array {
  const next = new Int32Array(n + 1)
  next[n] = n
  for (let i = n - 1; i >= 0; i--) next[i] = is(i) ? i : (next[i + 1] as number)
  return next
}

/** A row's events for `visibleEvents`, built once per row (a prepared timeline never changes). */
const rowIndexes = new WeakMap<
  readonly PlacedEvent[],
  { at: Float64Array; nextBad: Int32Array; nextNeutral: Int32Array }
>()

function rowEventIndex(rowEvents: readonly PlacedEvent[]) {
  let ix = rowIndexes.get(rowEvents)
  if (!ix) {
    const n = rowEvents.length
    const status = (i: number) => (rowEvents[i] as PlacedEvent).status
    ix = {
      at: Float64Array.from(rowEvents, (e) => e.at),
      nextBad: nextWhere(n, (i) => status(i) === 'bad'),
      nextNeutral: nextWhere(n, (i) => status(i) === 'neutral'),
    }
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

/** Axis labels: 1.5k, 2M. */
export function formatTick(t: number): string {
  const a = Math.abs(t)
  if (a >= 1e9) return `${+(t / 1e9).toFixed(2)}G`
  if (a >= 1e6) return `${+(t / 1e6).toFixed(2)}M`
  if (a >= 1e4) return `${+(t / 1e3).toFixed(1)}k`
  return `${+t.toFixed(1)}`
}
