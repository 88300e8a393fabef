/**
 * A run as Chrome trace-event JSON (`{"traceEvents": [...]}`), which Perfetto and chrome://tracing
 * open: a process per track group (a core, the vcores, a vCPU ...), a thread per timeline track,
 * a complete event ("X") per span, and every instant event as a short slice on its track with flow
 * arrows ("s" → "f") to the tracks it points at (doorbells, IPIs, hypercalls, exit pokes).
 *
 * Format: the Trace Event Format document (Google, "JSON Array/Object Format"); timestamps are in
 * microseconds. Where the run gives no tick length, a tick is exported as 1 µs and the trace's
 * metadata says so.
 *
 * The text comes in chunks of about 1 MB (`traceChunks`): a large run's trace (400 MB for
 * book3s-large) is never one string, nor an array of its events.
 */
import { eventTracks } from '../events'
import { inChunks } from '../jsonChunks'
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

/**
 * The trace as it is built: the events so far, a process per group and a thread per track (and
 * per kind of event with no track), numbered in the order they first appear, and the last flow id.
 */
interface TraceBuilder {
  out: TraceEvent[]
  groups: Map<string, number>
  tids: Map<string, { pid: number; tid: number }>
  lastTid: number
  lastFlow: number
  tickUs: number
}

/** The trace as one object (its events in one array): for tests and small runs. */
export function toTrace(result: RunResult): TraceFile {
  return {
    traceEvents: [...traceEvents(result)],
    displayTimeUnit: 'ns',
    otherData: otherData(result),
  }
}

/** The trace's JSON text, `JSON.stringify(toTrace(result))`, in chunks of about 1 MB. */
export function traceChunks(result: RunResult): Generator<string> {
  return inChunks(tracePieces(result))
}

/** The trace's JSON text as one string (the app's save, which hands over one string). */
export function traceJson(result: RunResult): string {
  return [...traceChunks(result)].join('')
}

function* tracePieces(result: RunResult): Generator<string> {
  yield '{"traceEvents":['
  const json = new EventJson()
  let first = true
  for (const e of traceEvents(result)) {
    yield first ? json.of(e) : `,${json.of(e)}`
    first = false
  }
  yield `],"displayTimeUnit":"ns","otherData":${JSON.stringify(otherData(result))}}`
}

function otherData(result: RunResult): TraceFile['otherData'] {
  return {
    scenario: result.scenario.name,
    engine: `${result.engine} (${result.engineVersion})`,
    design: result.design,
    tickUnit: result.timeline.tickUnit,
    timestamps:
      result.timeline.tickNs === undefined
        ? '1 tick exported as 1 µs'
        : `${result.timeline.tickNs} ns per tick`,
  }
}

/** The trace's events in order, a track (or an event) at a time. */
function* traceEvents(result: RunResult): Generator<TraceEvent> {
  const b: TraceBuilder = {
    out: [],
    groups: new Map(),
    tids: new Map(),
    lastTid: 0,
    lastFlow: 0,
    tickUs: (result.timeline.tickNs ?? 1000) / 1000,
  }
  for (const track of result.timeline.tracks) {
    addTrack(b, track)
    yield* b.out
    b.out = []
  }
  for (let index = 0; index < result.events.length; index++) {
    addEvent(b, result.events[index] as LabEvent, index)
    yield* b.out
    b.out = []
  }
}

/**
 * One trace event as `JSON.stringify` writes it, faster: its keys in the order every event of
 * this file is built with (name, cat, ph, bp, id, pid, tid, ts, dur, args), and the text of
 * each name and timestamp kept for the next event that repeats it. The digests of every preset's
 * trace (test/unit/export/streamingWriters.test.ts) hold it to JSON.stringify's bytes.
 */
class EventJson {
  /** JSON of names and numbers already written (a string and a number never share a key). */
  private readonly texts = new Map<string | number, string>()

  of(e: TraceEvent): string {
    let s = `{"name":${this.json(e.name)}`
    if (e.cat !== undefined) s += `,"cat":${this.json(e.cat)}`
    s += `,"ph":"${e.ph}"`
    if (e.bp !== undefined) s += `,"bp":"${e.bp}"`
    if (e.id !== undefined) s += `,"id":${this.num(e.id)}`
    s += `,"pid":${this.num(e.pid)},"tid":${this.num(e.tid)}`
    if (e.ts !== undefined) s += `,"ts":${this.num(e.ts)}`
    if (e.dur !== undefined) s += `,"dur":${this.num(e.dur)}`
    if (e.args !== undefined) s += `,"args":${JSON.stringify(e.args)}`
    return `${s}}`
  }

  /** A small integer (a pid, a tid, a flow id) is quick to write; a fraction is not. */
  private num(n: number): string {
    return (n | 0) === n ? String(n) : this.json(n)
  }

  private json(v: string | number): string {
    let json = this.texts.get(v)
    if (json === undefined) {
      if (this.texts.size >= CACHED) this.texts.clear()
      json = JSON.stringify(v)
      this.texts.set(v, json)
    }
    return json
  }
}

/** How many texts of names and numbers `EventJson` keeps before it starts again. */
const CACHED = 1 << 16

/** The process of a group, named (and, for a track group, sorted) when it first appears. */
function processOf(b: TraceBuilder, group: string, sorted: boolean): number {
  let pid = b.groups.get(group)
  if (pid === undefined) {
    pid = b.groups.size + 1
    b.groups.set(group, pid)
    b.out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: group } })
    if (sorted)
      b.out.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } })
  }
  return pid
}

/** A timeline track: a thread of its group's process, a complete event per span. */
function addTrack(b: TraceBuilder, track: RunResult['timeline']['tracks'][number]): void {
  const pid = processOf(b, track.group, true)
  const tid = ++b.lastTid
  b.tids.set(track.id, { pid, tid })
  b.out.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: track.label } })
  b.out.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } })
  for (const span of track.spans) {
    const e: TraceEvent = {
      name: span.label ? `${span.state} ${span.label}` : span.state,
      cat: span.state,
      ph: 'X',
      pid,
      tid,
      ts: span.start * b.tickUs,
      dur: (span.end - span.start) * b.tickUs,
    }
    if (span.ref) e.args = { ref: span.ref }
    b.out.push(e)
  }
}

/** The thread of an event with no track: one per kind, in an "events" process. */
function kindThread(b: TraceBuilder, kind: string): { pid: number; tid: number } {
  const key = `events:${kind}`
  let at = b.tids.get(key)
  if (!at) {
    const pid = processOf(b, 'events', false)
    at = { pid, tid: ++b.lastTid }
    b.tids.set(key, at)
    b.out.push({ name: 'thread_name', ph: 'M', pid, tid: at.tid, args: { name: kind } })
  }
  return at
}

/**
 * An instant event: a slice one tick long on the event's track (a kind the lab does not know that
 * names none: a thread of its own kind), its
 * fields as args, and a flow arrow to each track it points at, landing on a one-tick slice there.
 */
function addEvent(b: TraceBuilder, event: LabEvent, index: number): void {
  const placed = eventTracks(event)
  const from = (placed.track && b.tids.get(placed.track)) || kindThread(b, event.kind)
  const ts = event.at * b.tickUs
  const dur = b.tickUs
  const args: Record<string, unknown> = { index }
  for (const [k, v] of Object.entries(event)) if (!PLUMBING.has(k) && v !== undefined) args[k] = v
  const name = event.kind
  b.out.push({ name, cat: 'event', ph: 'X', pid: from.pid, tid: from.tid, ts, dur, args })
  for (const target of placed.toTracks) {
    const to = b.tids.get(target)
    if (!to) continue
    const id = ++b.lastFlow
    b.out.push(
      { name, cat: 'arrow', ph: 's', id, pid: from.pid, tid: from.tid, ts },
      {
        name,
        cat: 'arrow',
        ph: 'X',
        pid: to.pid,
        tid: to.tid,
        ts,
        dur,
        args: { from: placed.track ?? null, index },
      },
      { name, cat: 'arrow', ph: 'f', bp: 'e', id, pid: to.pid, tid: to.tid, ts },
    )
  }
}
