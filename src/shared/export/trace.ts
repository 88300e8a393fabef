/**
 * A run as Chrome trace-event JSON (`{"traceEvents": [...]}`), which Perfetto and chrome://tracing
 * open: a process per track group (a core, the vcores, a vCPU ...), a thread per timeline track,
 * a complete event ("X") per span, and every instant event as a short slice on its track with flow
 * arrows ("s" → "f") to the tracks it points at (doorbells, IPIs, hypercalls, exit pokes).
 *
 * Format: the Trace Event Format document (Google, "JSON Array/Object Format"); timestamps are in
 * microseconds. Where the run gives no tick length, a tick is exported as 1 µs and the trace's
 * metadata says so.
 */
import { eventTracks } from '../events'
import type { LabEvent, RunResult } from '../result'

export interface TraceEvent {
  name: string
  ph: 'X' | 'M' | 's' | 'f'
  pid: number
  tid: number
  ts?: number
  dur?: number
  cat?: string
  id?: number
  bp?: 'e'
  args?: Record<string, unknown>
}

export interface TraceFile {
  traceEvents: TraceEvent[]
  displayTimeUnit: 'ns'
  otherData: Record<string, string>
}

/** Fields every event has that need not be repeated in a trace slice's args. */
const PLUMBING = new Set(['kind', 'at', 'track', 'toTracks'])

export function toTrace(result: RunResult): TraceFile {
  const tickUs = (result.timeline.tickNs ?? 1000) / 1000
  const out: TraceEvent[] = []
  const groups = new Map<string, number>()
  const tids = new Map<string, { pid: number; tid: number }>()
  let tid = 0
  for (const track of result.timeline.tracks) {
    let pid = groups.get(track.group)
    if (pid === undefined) {
      pid = groups.size + 1
      groups.set(track.group, pid)
      out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: track.group } })
      out.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } })
    }
    tid++
    tids.set(track.id, { pid, tid })
    out.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: track.label } })
    out.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } })
    for (const span of track.spans) {
      const e: TraceEvent = {
        name: span.label ? `${span.state} ${span.label}` : span.state,
        cat: span.state,
        ph: 'X',
        pid,
        tid,
        ts: span.start * tickUs,
        dur: (span.end - span.start) * tickUs,
      }
      if (span.ref) e.args = { ref: span.ref }
      out.push(e)
    }
  }
  // Instant events: a slice one tick long on the event's track (a kind the lab does not know that
  // names none: a track of its own kind), and a
  // flow arrow to each track it points at, landing on a one-tick slice there.
  let flow = 0
  const fallback = (kind: string) => {
    const key = `events:${kind}`
    let at = tids.get(key)
    if (!at) {
      let pid = groups.get('events')
      if (pid === undefined) {
        pid = groups.size + 1
        groups.set('events', pid)
        out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: 'events' } })
      }
      at = { pid, tid: ++tid }
      tids.set(key, at)
      out.push({ name: 'thread_name', ph: 'M', pid, tid: at.tid, args: { name: kind } })
    }
    return at
  }
  result.events.forEach((event: LabEvent, index) => {
    const placed = eventTracks(event)
    const from = (placed.track && tids.get(placed.track)) || fallback(event.kind)
    const ts = event.at * tickUs
    const args: Record<string, unknown> = { index }
    for (const [k, v] of Object.entries(event)) if (!PLUMBING.has(k) && v !== undefined) args[k] = v
    out.push({
      name: event.kind,
      cat: 'event',
      ph: 'X',
      pid: from.pid,
      tid: from.tid,
      ts,
      dur: tickUs,
      args,
    })
    for (const target of placed.toTracks) {
      const to = tids.get(target)
      if (!to) continue
      flow++
      out.push({
        name: event.kind,
        cat: 'arrow',
        ph: 's',
        id: flow,
        pid: from.pid,
        tid: from.tid,
        ts,
      })
      out.push({
        name: event.kind,
        cat: 'arrow',
        ph: 'X',
        pid: to.pid,
        tid: to.tid,
        ts,
        dur: tickUs,
        args: { from: placed.track ?? null, index },
      })
      out.push({
        name: event.kind,
        cat: 'arrow',
        ph: 'f',
        bp: 'e',
        id: flow,
        pid: to.pid,
        tid: to.tid,
        ts,
      })
    }
  })
  return {
    traceEvents: out,
    displayTimeUnit: 'ns',
    otherData: {
      scenario: result.scenario.name,
      engine: `${result.engine} (${result.engineVersion})`,
      design: result.design,
      tickUnit: result.timeline.tickUnit,
      timestamps:
        result.timeline.tickNs === undefined
          ? '1 tick exported as 1 µs'
          : `${result.timeline.tickNs} ns per tick`,
    },
  }
}
