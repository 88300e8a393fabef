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
 * book3s-large) is never one string, nor an array of its events. Each event is written as the
 * text JSON.stringify gives for it (its keys in the order of `TraceEvent` below, which the
 * Chrome trace has always had), without building the object: the digests of every preset's
 * trace (test/unit/export/streamingWriters.test.ts) hold the text to the bytes of before.
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

/** The trace as one object: for tests and small runs (it is the text, parsed). */
export function toTrace(result: RunResult): TraceFile {
  return JSON.parse(traceJson(result)) as TraceFile
}

/** The trace's JSON text in chunks of about 1 MB. */
export function traceChunks(result: RunResult): Generator<string> {
  return inChunks(tracePieces(result))
}

/** The trace's JSON text as one string (the app's save, which hands over one string). */
export function traceJson(result: RunResult): string {
  return [...traceChunks(result)].join('')
}

function* tracePieces(result: RunResult): Generator<string> {
  yield '{"traceEvents":['
  const b = new TraceText((result.timeline.tickNs ?? 1000) / 1000)
  for (const track of result.timeline.tracks) {
    addTrack(b, track)
    yield* b.take()
  }
  for (let index = 0; index < result.events.length; index++) {
    addEvent(b, result.events[index] as LabEvent, index)
    yield* b.take()
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

/** How many texts of names `TraceText` keeps before it starts again. */
const CACHED = 1 << 16
/** Ticks below this have their timestamp's text kept in an array. */
const TICKS_KEPT = 1 << 22

/**
 * The trace as it is written: the events' texts since the last `take` (each with the comma
 * before it but the first), a process per group and a thread per track (and per kind of event
 * with no track), numbered in the order they first appear, and the last flow id.
 */
class TraceText {
  groups = new Map<string, number>()
  tids = new Map<string, { pid: number; tid: number }>()
  lastTid = 0
  lastFlow = 0
  private out: string[] = []
  private first = true
  /** JSON of names already written, and of `tick × tickUs` by tick (a fraction is slow to write). */
  private readonly names = new Map<string, string>()
  private readonly times: string[] = []

  constructor(private readonly tickUs: number) {}

  push(text: string): void {
    this.out.push(this.first ? text : `,${text}`)
    this.first = false
  }

  take(): string[] {
    const out = this.out
    this.out = []
    return out
  }

  name(text: string): string {
    let json = this.names.get(text)
    if (json === undefined) {
      if (this.names.size >= CACHED) this.names.clear()
      json = JSON.stringify(text)
      this.names.set(text, json)
    }
    return json
  }

  /** The text of `ticks × tickUs` µs, as JSON.stringify writes that product. */
  time(ticks: number): string {
    const kept = Number.isInteger(ticks) && ticks >= 0 && ticks < TICKS_KEPT
    if (!kept) return JSON.stringify(ticks * this.tickUs)
    return (this.times[ticks] ??= JSON.stringify(ticks * this.tickUs))
  }

  /** A metadata event ("M"): a process or thread's name or sort index. */
  meta(name: string, pid: number, tid: number, args: string): void {
    this.push(`{"name":"${name}","ph":"M","pid":${pid},"tid":${tid},"args":${args}}`)
  }

  /** A complete event ("X"): `at` and `ticks` long, `args` the JSON of its args (or none). */
  complete(name: string, cat: string, at: Place, start: number, ticks: number, args?: string) {
    const head = `{"name":${this.name(name)},"cat":${this.name(cat)},"ph":"X","pid":${at.pid},"tid":${at.tid}`
    const tail = args === undefined ? '}' : `,"args":${args}}`
    this.push(`${head},"ts":${this.time(start)},"dur":${this.time(ticks)}${tail}`)
  }

  /** A flow event: its start ("s") or its end ("f", bound to the enclosing slice). */
  flow(name: string, ph: 's' | 'f', id: number, at: Place, start: number): void {
    const bp = ph === 'f' ? ',"bp":"e"' : ''
    const head = `{"name":${this.name(name)},"cat":"arrow","ph":"${ph}"${bp},"id":${id}`
    this.push(`${head},"pid":${at.pid},"tid":${at.tid},"ts":${this.time(start)}}`)
  }
}

interface Place {
  pid: number
  tid: number
}

/** The process of a group, named (and, for a track group, sorted) when it first appears. */
function processOf(b: TraceText, group: string, sorted: boolean): number {
  let pid = b.groups.get(group)
  if (pid === undefined) {
    pid = b.groups.size + 1
    b.groups.set(group, pid)
    b.meta('process_name', pid, 0, `{"name":${JSON.stringify(group)}}`)
    if (sorted) b.meta('process_sort_index', pid, 0, `{"sort_index":${pid}}`)
  }
  return pid
}

/** A timeline track: a thread of its group's process, a complete event per span. */
function addTrack(b: TraceText, track: RunResult['timeline']['tracks'][number]): void {
  const pid = processOf(b, track.group, true)
  const tid = ++b.lastTid
  const at = { pid, tid }
  b.tids.set(track.id, at)
  b.meta('thread_name', pid, tid, `{"name":${JSON.stringify(track.label)}}`)
  b.meta('thread_sort_index', pid, tid, `{"sort_index":${tid}}`)
  for (const span of track.spans) {
    const name = span.label ? `${span.state} ${span.label}` : span.state
    const args = span.ref ? `{"ref":${JSON.stringify(span.ref)}}` : undefined
    b.complete(name, span.state, at, span.start, span.end - span.start, args)
  }
}

/** The thread of an event with no track: one per kind, in an "events" process. */
function kindThread(b: TraceText, kind: string): Place {
  const key = `events:${kind}`
  let at = b.tids.get(key)
  if (!at) {
    const pid = processOf(b, 'events', false)
    at = { pid, tid: ++b.lastTid }
    b.tids.set(key, at)
    b.meta('thread_name', pid, at.tid, `{"name":${JSON.stringify(kind)}}`)
  }
  return at
}

/**
 * An instant event: a slice one tick long on the event's track (a kind the lab does not know that
 * names none: a thread of its own kind), its
 * fields as args, and a flow arrow to each track it points at, landing on a one-tick slice there.
 */
function addEvent(b: TraceText, event: LabEvent, index: number): void {
  const placed = eventTracks(event)
  const from = (placed.track && b.tids.get(placed.track)) || kindThread(b, event.kind)
  const args: Record<string, unknown> = { index }
  for (const [k, v] of Object.entries(event)) if (!PLUMBING.has(k) && v !== undefined) args[k] = v
  const name = event.kind
  b.complete(name, 'event', from, event.at, 1, JSON.stringify(args))
  for (const target of placed.toTracks) {
    const to = b.tids.get(target)
    if (!to) continue
    const id = ++b.lastFlow
    b.flow(name, 's', id, from, event.at)
    const landing = JSON.stringify({ from: placed.track ?? null, index })
    b.complete(name, 'arrow', to, event.at, 1, landing)
    b.flow(name, 'f', id, to, event.at)
  }
}
