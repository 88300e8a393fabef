/**
 * What an area of the timeline holds (Perfetto's area selection): a time range over some tracks,
 * summed up as the time each track spent in each state and the total over the tracks, and the
 * events on those tracks in the range counted by kind and outcome. It exports as one CSV in long
 * form (a row per track and state, and per kind and outcome), for a spreadsheet or pandas.
 *
 * Pure; it costs the spans and events in the area (binary search to the range's start).
 */
import { eventStatus, type AnyEvent } from '../events'
import type { RunResult } from '../result'
import { firstPast, type PreparedTimeline, type TimeWindow } from './timelineModel'

export interface Area extends TimeWindow {
  /** Track indices (into the prepared timeline). */
  tracks: readonly number[]
}

export interface AreaTrackRow {
  track: number
  label: string
  /** Ticks in each state, by the prepared timeline's state index. */
  ticks: number[]
  /** Ticks covered by any span (the rest of the range the track was idle). */
  busy: number
}

export interface AreaEventRow {
  kind: string
  outcome: string
  count: number
}

export interface AreaSummary {
  from: number
  to: number
  /** The states some track of the area was in, by the prepared timeline's index, in its order. */
  states: number[]
  rows: AreaTrackRow[]
  /** Ticks in each state over every track of the area. */
  total: number[]
  events: AreaEventRow[]
  eventCount: number
}

/** What an event came to, in a word: a doorbell's outcome, a hypercall's errno, else its status. */
export function eventOutcome(e: AnyEvent): string {
  const r = e as Record<string, unknown>
  if (typeof r.outcome === 'string') return r.outcome
  if (e.kind === 'hypercall' && typeof r.rc === 'number') {
    return r.rc >= 0 ? 'ok' : typeof r.errno === 'string' ? r.errno : `rc ${r.rc}`
  }
  return eventStatus(e)
}

export function summarizeArea(p: PreparedTimeline, result: RunResult, area: Area): AreaSummary {
  const { from, to } = area
  const n = p.states.length
  const total = new Array<number>(n).fill(0)
  const rows: AreaTrackRow[] = []
  for (const t of area.tracks) {
    const track = p.tracks[t]
    if (!track) continue
    const ticks = new Array<number>(n).fill(0)
    let busy = 0
    const c = track.columns
    const k = c.states.map((s) => p.stateIndex.get(s) ?? 0)
    for (let i = firstPast(c.end, 0, c.n, (e) => e > from); i < c.n; i++) {
      const start = c.start[i] as number
      if (start >= to) break
      const d = Math.min(c.end[i] as number, to) - Math.max(start, from)
      if (d <= 0) continue
      const s = k[c.state[i] as number] as number
      ticks[s]! += d
      total[s]! += d
      busy += d
    }
    rows.push({ track: t, label: track.label, ticks, busy })
  }
  const counts = new Map<string, AreaEventRow>()
  let eventCount = 0
  const events = result.events as readonly AnyEvent[]
  for (const t of area.tracks) {
    const list = p.eventsByRow[t] ?? []
    let lo = 0
    let hi = list.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (list[mid]!.at < from) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < list.length && list[i]!.at <= to; i++) {
      const e = events[list[i]!.index]!
      const outcome = eventOutcome(e)
      const key = `${e.kind}\u0000${outcome}`
      const row = counts.get(key) ?? { kind: e.kind, outcome, count: 0 }
      row.count++
      counts.set(key, row)
      eventCount++
    }
  }
  const states = total.flatMap((d, k) => (d > 0 ? [k] : []))
  return {
    from,
    to,
    states,
    rows,
    total,
    events: [...counts.values()].sort(
      (a, b) =>
        b.count - a.count || a.kind.localeCompare(b.kind) || a.outcome.localeCompare(b.outcome),
    ),
    eventCount,
  }
}

/**
 * The summary as CSV (RFC 4180), long form: `section,track,state,kind,outcome,ticks,ns,count`.
 * `time` rows give each track's ticks in each state and the sum over the tracks (`(all tracks)`),
 * `events` rows each kind and outcome's count; `ns` is empty when the tick is not a time.
 */
export function areaCsv(p: PreparedTimeline, s: AreaSummary): string {
  const ns = (ticks: number) => (p.tickNs === null ? '' : String(+(ticks * p.tickNs).toFixed(3)))
  const lines = ['section,track,state,kind,outcome,ticks,ns,count']
  const state = (k: number) => p.states[k]!.state
  const time = (track: string, k: number, ticks: number) =>
    lines.push(['time', track, state(k), '', '', String(ticks), ns(ticks), ''].map(quote).join(','))
  for (const k of s.states) time('(all tracks)', k, s.total[k]!)
  for (const r of s.rows)
    for (const k of s.states) if (r.ticks[k]! > 0) time(r.label, k, r.ticks[k]!)
  for (const e of s.events) {
    lines.push(
      ['events', '(all tracks)', '', e.kind, e.outcome, '', '', String(e.count)]
        .map(quote)
        .join(','),
    )
  }
  return lines.join('\r\n') + '\r\n'
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}
