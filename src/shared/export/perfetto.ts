/**
 * A run as a Perfetto trace in its native protobuf format (a `Trace` of `TracePacket`s), which
 * Perfetto's UI and trace processor load far faster than the JSON of trace.ts, with the same
 * picture: a process per track group (a core, the vcores, a vCPU ...), a thread per timeline
 * track, a slice per span, every event as an instant on its track with a flow to each track it
 * points at (doorbells, IPIs, hypercalls, exit pokes), landing on an instant there.
 *
 * Times are in nanoseconds: the run's `tickNs` per tick, or 1 µs per tick where the run gives
 * none (as trace.ts says). Packets come in time order on one sequence, and each carries its time
 * as the delta from the previous packet's on the sequence's own incremental clock, whose unit is
 * the tick where a tick is a whole number of ns (a ClockSnapshot declares it, TracePacketDefaults
 * makes it the sequence's clock): mostly a one-byte varint. Names, categories, argument names and
 * string values are interned. Given a deflate, the packets go in compressed bundles
 * (`compressed_packets`), which Perfetto's reader inflates in place.
 *
 * Field numbers are Perfetto's own, from google/perfetto at ec5d16b1 (protos/perfetto/...); each
 * message's table below names its file. The output is a series of chunks of about `CHUNK_BYTES`,
 * so a large run never needs one buffer for the whole file.
 */
import { concatBytes } from '../bytes'
import { eventTracks } from '../events'
import type { LabEvent, RunResult, Span } from '../result'
import { ProtoWriter, utf8 } from './protobuf'

export const CHUNK_BYTES = 1 << 20

/** trace/trace.proto, message Trace. */
const TRACE = { packet: 1 }

/** trace/trace_packet.proto, message TracePacket. */
const PACKET = {
  clockSnapshot: 6,
  timestamp: 8,
  trustedPacketSequenceId: 10,
  trackEvent: 11,
  internedData: 12,
  sequenceFlags: 13,
  compressedPackets: 50,
  tracePacketDefaults: 59,
  trackDescriptor: 60,
}
/** trace/trace_packet.proto, enum TracePacket.SequenceFlags. */
const SEQ_INCREMENTAL_STATE_CLEARED = 1
const SEQ_NEEDS_INCREMENTAL_STATE = 2

/** trace/trace_packet_defaults.proto, message TracePacketDefaults. */
const DEFAULTS = { timestampClockId: 58 }
/**
 * trace/clock_snapshot.proto, messages ClockSnapshot and ClockSnapshot.Clock; common/
 * builtin_clock.proto, BUILTIN_CLOCK_BOOTTIME = 6, the trace's clock.
 */
const SNAPSHOT = { clocks: 1, primaryTraceClock: 2 }
const CLOCK = { clockId: 1, timestamp: 2, isIncremental: 3, unitMultiplierNs: 4 }
const BOOTTIME = 6
/**
 * The sequence's own clock (ids 64 to 127 are sequence-scoped, clock_snapshot.proto): incremental,
 * so each packet's timestamp is the delta from the previous packet's, in units of `unit_multiplier_ns`.
 */
const TRACE_CLOCK = 64

/** trace/track_event/track_descriptor.proto, message TrackDescriptor (and its enums). */
const TRACK = {
  uuid: 1,
  name: 2,
  process: 3,
  thread: 4,
  parentUuid: 5,
  siblingOrderRank: 12,
  processOrdering: 19,
  threadOrdering: 20,
}
const PROCESS_ORDERING_EXPLICIT = 1
const THREAD_ORDERING_EXPLICIT = 1

/** trace/track_event/process_descriptor.proto, message ProcessDescriptor. */
const PROCESS = { pid: 1, processName: 6 }
/** trace/track_event/thread_descriptor.proto, message ThreadDescriptor. */
const THREAD = { pid: 1, tid: 2, threadName: 5 }

/** trace/track_event/track_event.proto, message TrackEvent (and enum TrackEvent.Type). */
const EVENT = {
  categoryIids: 3,
  debugAnnotations: 4,
  type: 9,
  nameIid: 10,
  trackUuid: 11,
  flowIds: 47,
  terminatingFlowIds: 48,
}
const TYPE_SLICE_BEGIN = 1
const TYPE_SLICE_END = 2
const TYPE_INSTANT = 3

/**
 * trace/interned_data/interned_data.proto, message InternedData: the tables, each of entries
 * `{iid = 1, name = 2}` (EventCategory, EventName in track_event.proto; DebugAnnotationName in
 * debug_annotation.proto) or `{iid = 1, str = 2}` (InternedString, profiling/profile_common.proto).
 */
const INTERNED = { eventCategories: 1, eventNames: 2, debugAnnotationNames: 3, stringValues: 29 }

/** trace/track_event/debug_annotation.proto, message DebugAnnotation. */
const ANNOTATION = {
  nameIid: 1,
  boolValue: 2,
  intValue: 4,
  doubleValue: 5,
  legacyJsonValue: 9,
  dictEntries: 11,
  arrayValues: 12,
  stringValueIid: 17,
}

/** The one packet sequence of the file (its interning scope). */
const SEQUENCE_ID = 1

/** Fields every event has that the trace says otherwise (as trace.ts leaves them out of args). */
const PLUMBING = new Set(['kind', 'at', 'track', 'toTracks'])

// ---------------------------------------------------------------------------------------------
// Tracks: a process per group, a thread per track, numbered as trace.ts numbers them.

interface ThreadTrack {
  name: string
  pid: number
  /** The thread id, also the track's uuid; after every pid, so no tid is taken for a pid. */
  tid: number
  spans: Span[]
  /** A timeline track (flows land only on these, as in trace.ts), not a kind's thread. */
  timeline: boolean
}

interface PerfettoLayout {
  /** Process groups in order: pid = index + 1, also the process track's uuid. */
  groups: string[]
  /** Timeline tracks in order, then a thread per kind of event with no track (as trace.ts). */
  threads: ThreadTrack[]
  /** The thread of each timeline track id, and of each kind with no track (`events:<kind>`). */
  byKey: Map<string, ThreadTrack>
  /** The uuid of the track that carries the run's description. */
  runTrack: number
}

/** The thread an event is drawn on: its track's, else its kind's in the "events" process. */
function threadKey(layout: Map<string, unknown>, event: LabEvent): string {
  const track = eventTracks(event).track
  return track && layout.has(track) ? track : `events:${event.kind}`
}

function perfettoLayout(result: RunResult): PerfettoLayout {
  const groups: string[] = []
  const keys: [string, string, string, Span[], boolean][] = []
  const seen = new Map<string, true>()
  for (const t of result.timeline.tracks) {
    if (!groups.includes(t.group)) groups.push(t.group)
    keys.push([t.id, t.label, t.group, t.spans, true])
    seen.set(t.id, true)
  }
  for (const e of result.events) {
    const key = threadKey(seen, e)
    if (seen.has(key)) continue
    if (!groups.includes('events')) groups.push('events')
    keys.push([key, e.kind, 'events', [], false])
    seen.set(key, true)
  }
  const byKey = new Map<string, ThreadTrack>()
  const threads = keys.map(([key, name, group, spans, timeline], i) => {
    const pid = groups.indexOf(group) + 1
    const thread = { name, pid, tid: groups.length + i + 1, spans, timeline }
    byKey.set(key, thread)
    return thread
  })
  return { groups, threads, byKey, runTrack: groups.length + threads.length + 1 }
}

// ---------------------------------------------------------------------------------------------
// Interning.

/** One table of InternedData: iids from 1, each new entry written into the packet that uses it. */
class Interned {
  private readonly ids = new Map<string, number>()
  constructor(
    private readonly field: number,
    private readonly entry: ProtoWriter,
  ) {}

  iid(text: string, into: ProtoWriter): number {
    let id = this.ids.get(text)
    if (id === undefined) {
      id = this.ids.size + 1
      this.ids.set(text, id)
      // Every table's entry is {iid = 1, name or str = 2}; a string and bytes are alike on the wire.
      this.entry.reset().uint(1, id).bytes(2, utf8(text))
      into.message(this.field, this.entry)
    }
    return id
  }
}

// ---------------------------------------------------------------------------------------------
// The encoder: packets into chunks.

type Value = unknown

class PacketWriter {
  /** The chunk being filled: `Trace.packet` fields, one per packet. */
  private out: ProtoWriter
  private readonly packet = new ProtoWriter()
  private readonly event = new ProtoWriter()
  private readonly interned = new ProtoWriter()
  private readonly entry = new ProtoWriter(64)
  /** One writer per nesting depth of debug annotations. */
  private readonly annotations: ProtoWriter[] = []
  private readonly names: Interned
  private readonly categories: Interned
  private readonly argNames: Interned
  private readonly strings: Interned
  /** The previous packet's time on the sequence's clock, in its units (`unit` ns each). */
  private last = 0

  constructor(
    private readonly chunkBytes: number,
    private readonly unit: number,
  ) {
    this.out = new ProtoWriter(chunkBytes + 4096)
    this.names = new Interned(INTERNED.eventNames, this.entry)
    this.categories = new Interned(INTERNED.eventCategories, this.entry)
    this.argNames = new Interned(INTERNED.debugAnnotationNames, this.entry)
    this.strings = new Interned(INTERNED.stringValues, this.entry)
  }

  get full(): boolean {
    return this.out.pos >= this.chunkBytes
  }

  /** The chunk so far, and a fresh one to fill (the caller may keep what it is given). */
  take(): Uint8Array {
    const chunk = this.out.buf.subarray(0, this.out.pos)
    this.out = new ProtoWriter(this.chunkBytes + 4096)
    return chunk
  }

  /**
   * The first packet: clears the sequence's incremental state (SEQ_INCREMENTAL_STATE_CLEARED),
   * makes TRACE_CLOCK the sequence's default clock (TracePacketDefaults.timestamp_clock_id) and
   * says what it is: incremental, `unit` ns a unit, at 0 when BOOTTIME, the trace's clock, is at 0.
   */
  clock(): void {
    const snapshot = this.event.reset()
    snapshot.message(
      SNAPSHOT.clocks,
      this.entry.reset().uint(CLOCK.clockId, BOOTTIME).uint(CLOCK.timestamp, 0),
    )
    const own = this.entry.reset().uint(CLOCK.clockId, TRACE_CLOCK).uint(CLOCK.timestamp, 0)
    own.bool(CLOCK.isIncremental, true).uint(CLOCK.unitMultiplierNs, this.unit)
    snapshot.message(SNAPSHOT.clocks, own).uint(SNAPSHOT.primaryTraceClock, BOOTTIME)
    const defaults = this.interned.reset().uint(DEFAULTS.timestampClockId, TRACE_CLOCK)
    const p = this.packet.reset()
    p.uint(PACKET.trustedPacketSequenceId, SEQUENCE_ID)
    p.uint(PACKET.sequenceFlags, SEQ_INCREMENTAL_STATE_CLEARED)
    p.message(PACKET.tracePacketDefaults, defaults).message(PACKET.clockSnapshot, snapshot)
    this.out.message(TRACE.packet, p)
    this.interned.reset()
  }

  /**
   * A packet of `data` (field `field`) at `ns`, with the new interned entries it needs. Its
   * timestamp is the delta from the previous packet's on TRACE_CLOCK, so every packet after the
   * first needs the sequence's state (SEQ_NEEDS_INCREMENTAL_STATE), interned or not.
   */
  private emit(field: number, data: ProtoWriter, ns: number): void {
    const p = this.packet.reset()
    const t = ns / this.unit
    // A delta is a uint64: a time before the previous packet's (a tick before 0) cannot be said.
    if (!(t >= this.last))
      throw new Error(`perfetto: a time of ${ns} ns after ${this.last * this.unit} ns`)
    p.uint(PACKET.timestamp, t - this.last).uint(PACKET.trustedPacketSequenceId, SEQUENCE_ID)
    this.last = t
    p.uint(PACKET.sequenceFlags, SEQ_NEEDS_INCREMENTAL_STATE)
    if (this.interned.pos > 0) p.message(PACKET.internedData, this.interned)
    p.message(field, data)
    this.out.message(TRACE.packet, p)
    this.interned.reset()
  }

  /** The root track (uuid 0): processes and threads in the order of their ranks, as trace.ts sorts them. */
  root(): void {
    const d = this.event.reset()
    d.uint(TRACK.uuid, 0)
    d.uint(TRACK.processOrdering, PROCESS_ORDERING_EXPLICIT)
    d.uint(TRACK.threadOrdering, THREAD_ORDERING_EXPLICIT)
    this.emit(PACKET.trackDescriptor, d, 0)
  }

  process(pid: number, name: string): void {
    const desc = this.entry.reset().uint(PROCESS.pid, pid).string(PROCESS.processName, name)
    const d = this.event.reset()
    d.uint(TRACK.uuid, pid).string(TRACK.name, name).message(TRACK.process, desc)
    d.uint(TRACK.siblingOrderRank, pid)
    this.emit(PACKET.trackDescriptor, d, 0)
  }

  thread(t: ThreadTrack): void {
    const desc = this.entry.reset()
    desc.uint(THREAD.pid, t.pid).uint(THREAD.tid, t.tid).string(THREAD.threadName, t.name)
    const d = this.event.reset()
    d.uint(TRACK.uuid, t.tid).uint(TRACK.parentUuid, t.pid).string(TRACK.name, t.name)
    d.message(TRACK.thread, desc).uint(TRACK.siblingOrderRank, t.tid)
    this.emit(PACKET.trackDescriptor, d, 0)
  }

  /** A track of its own, under no process (the run's description). */
  globalTrack(uuid: number, name: string): void {
    const d = this.event.reset().uint(TRACK.uuid, uuid).string(TRACK.name, name)
    this.emit(PACKET.trackDescriptor, d, 0)
  }

  begin(track: number, ts: number, span: Span): void {
    const e = this.event.reset()
    e.uint(EVENT.type, TYPE_SLICE_BEGIN).uint(EVENT.trackUuid, track)
    e.uint(EVENT.categoryIids, this.categories.iid(span.state, this.interned))
    const name = span.label ? `${span.state} ${span.label}` : span.state
    e.uint(EVENT.nameIid, this.names.iid(name, this.interned))
    if (span.ref) this.annotate(e, 'ref', span.ref)
    this.emit(PACKET.trackEvent, e, ts)
  }

  end(track: number, ts: number): void {
    const e = this.event.reset().uint(EVENT.type, TYPE_SLICE_END).uint(EVENT.trackUuid, track)
    this.emit(PACKET.trackEvent, e, ts)
  }

  /**
   * An instant on `track` named `name` in `category`, with `args` as debug annotations, starting
   * the flows `flows` or ending the flow `ends` (0: none).
   */
  instant(
    track: number,
    ts: number,
    name: string,
    category: string,
    args: [string, Value][],
    flows: number[],
    ends: number,
  ): void {
    const e = this.event.reset()
    e.uint(EVENT.type, TYPE_INSTANT).uint(EVENT.trackUuid, track)
    e.uint(EVENT.categoryIids, this.categories.iid(category, this.interned))
    e.uint(EVENT.nameIid, this.names.iid(name, this.interned))
    for (const [k, v] of args) this.annotate(e, k, v)
    for (const id of flows) e.fixed64(EVENT.flowIds, id)
    if (ends) e.fixed64(EVENT.terminatingFlowIds, ends)
    this.emit(PACKET.trackEvent, e, ts)
  }

  /** A named debug annotation of `value` in `into` (TrackEvent.debug_annotations). */
  private annotate(into: ProtoWriter, name: string, value: Value): void {
    const a = this.writerAt(0)
    a.uint(ANNOTATION.nameIid, this.argNames.iid(name, this.interned))
    this.value(a, value, 0)
    into.message(EVENT.debugAnnotations, a)
  }

  private writerAt(depth: number): ProtoWriter {
    const w = (this.annotations[depth] ??= new ProtoWriter())
    return w.reset()
  }

  /**
   * `value` as a DebugAnnotation's value: an integer as int, another number as double, a string
   * interned, arrays and objects as array_values and dict_entries, null, [] and {} as JSON.
   */
  private value(a: ProtoWriter, value: Value, depth: number): void {
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) a.int(ANNOTATION.intValue, value)
      else a.double(ANNOTATION.doubleValue, value)
    } else if (typeof value === 'string') {
      a.uint(ANNOTATION.stringValueIid, this.strings.iid(value, this.interned))
    } else if (typeof value === 'boolean') {
      a.bool(ANNOTATION.boolValue, value)
    } else if (Array.isArray(value) && value.length > 0) {
      for (const v of value as Value[]) {
        const inner = this.writerAt(depth + 1)
        this.value(inner, v, depth + 1)
        a.message(ANNOTATION.arrayValues, inner)
      }
    } else if (value !== null && typeof value === 'object' && !isEmpty(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue
        const inner = this.writerAt(depth + 1)
        inner.uint(ANNOTATION.nameIid, this.argNames.iid(k, this.interned))
        this.value(inner, v, depth + 1)
        a.message(ANNOTATION.dictEntries, inner)
      }
    } else {
      // null, [] and {}: as JSON text, the one value of a debug annotation that can say them.
      a.string(ANNOTATION.legacyJsonValue, JSON.stringify(value) ?? 'null')
    }
  }
}

/** An array or object with nothing JSON would write in it. */
function isEmpty(value: object): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : Object.values(value).every((v) => v === undefined)
}

// ---------------------------------------------------------------------------------------------
// Span boundaries of every track in time order.

/**
 * The begins and ends of every track's spans, merged into one time order (a heap of the tracks'
 * next boundaries): at one time, ends come before begins, so a span that ends where the next
 * begins is closed first; a span inside another (on one track) ends before it.
 */
class SpanMerge {
  private readonly next: number[]
  private readonly open: number[][]
  private readonly heap: number[] = []
  private readonly time: number[]
  private readonly isEnd: boolean[]

  constructor(private readonly threads: ThreadTrack[]) {
    this.next = threads.map(() => 0)
    this.open = threads.map(() => [])
    this.time = threads.map(() => Infinity)
    this.isEnd = threads.map(() => false)
    threads.forEach((_, i) => {
      if (this.advance(i)) this.push(i)
    })
  }

  /** The time of the next boundary, Infinity when there is none. */
  peek(): number {
    const top = this.heap[0]
    return top === undefined ? Infinity : (this.time[top] as number)
  }

  /** Writes the next boundary. */
  pop(w: PacketWriter, ns: (tick: number) => number): void {
    const i = this.heap[0] as number
    const t = this.threads[i] as ThreadTrack
    if (this.isEnd[i]) {
      w.end(t.tid, ns((this.open[i] as number[]).pop() as number))
    } else {
      const span = t.spans[this.next[i] as number] as Span
      ;(this.open[i] as number[]).push(span.end)
      this.next[i]! += 1
      w.begin(t.tid, ns(span.start), span)
    }
    const last = this.heap.pop() as number
    if (this.heap.length > 0) {
      this.heap[0] = last
      this.down(0)
    }
    if (this.advance(i)) this.push(i)
  }

  /** Sets track `i`'s next boundary; false when it has none left. */
  private advance(i: number): boolean {
    const open = this.open[i] as number[]
    const t = this.threads[i] as ThreadTrack
    const span = t.spans[this.next[i] as number]
    const end = open[open.length - 1]
    if (end !== undefined && (span === undefined || end <= span.start)) {
      this.time[i] = end
      this.isEnd[i] = true
      return true
    }
    if (span === undefined) return false
    this.time[i] = span.start
    this.isEnd[i] = false
    return true
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a] as number
    const tb = this.time[b] as number
    if (ta !== tb) return ta < tb
    if (this.isEnd[a] !== this.isEnd[b]) return this.isEnd[a] as boolean
    return a < b
  }

  private push(i: number): void {
    const h = this.heap
    let c = h.length
    h.push(i)
    while (c > 0) {
      const p = (c - 1) >> 1
      const parent = h[p] as number
      if (!this.less(i, parent)) break
      h[c] = parent
      c = p
    }
    h[c] = i
  }

  private down(c: number): void {
    const h = this.heap
    const item = h[c] as number
    for (;;) {
      const l = 2 * c + 1
      if (l >= h.length) break
      const r = l + 1
      const m = r < h.length && this.less(h[r] as number, h[l] as number) ? r : l
      const child = h[m] as number
      if (!this.less(child, item)) break
      h[c] = child
      c = m
    }
    h[c] = item
  }
}

// ---------------------------------------------------------------------------------------------
// The trace.

/** Event indices in time order (the run's own order, which is already by time). */
function timeOrder(events: LabEvent[]): number[] {
  const order = events.map((_, i) => i)
  for (let i = 1; i < events.length; i++) {
    if ((events[i] as LabEvent).at < (events[i - 1] as LabEvent).at) {
      return order.sort((a, b) => (events[a] as LabEvent).at - (events[b] as LabEvent).at || a - b)
    }
  }
  return order
}

/** An event's args as trace.ts gives them: its index, then every field but the plumbing. */
function eventArgs(event: LabEvent, index: number): [string, Value][] {
  const args: [string, Value][] = [['index', index]]
  for (const [k, v] of Object.entries(event))
    if (!PLUMBING.has(k) && v !== undefined) args.push([k, v])
  return args
}

/**
 * The event at `index`: an instant on its thread, starting a flow to each track it points at
 * (ids from `lastFlow` + 1, in the order trace.ts numbers its arrows), each landing on an instant
 * there. Returns the last flow id used.
 */
function writeEvent(
  w: PacketWriter,
  layout: PerfettoLayout,
  event: LabEvent,
  index: number,
  ts: number,
  lastFlow: number,
): number {
  const placed = eventTracks(event)
  const from = layout.byKey.get(threadKey(layout.byKey, event)) as ThreadTrack
  const targets: ThreadTrack[] = []
  for (const id of placed.toTracks) {
    const to = layout.byKey.get(id)
    if (to?.timeline) targets.push(to)
  }
  const flows = targets.map((_, i) => lastFlow + i + 1)
  w.instant(from.tid, ts, event.kind, 'event', eventArgs(event, index), flows, 0)
  targets.forEach((to, i) => {
    const args: [string, Value][] = [
      ['from', placed.track ?? null],
      ['index', index],
    ]
    w.instant(to.tid, ts, event.kind, 'arrow', args, [], flows[i] as number)
  })
  return lastFlow + targets.length
}

/** What trace.ts puts in its otherData, as the arguments of an instant at 0 on a track "run". */
function runArgs(result: RunResult): [string, Value][] {
  return [
    ['scenario', result.scenario.name],
    ['engine', `${result.engine} (${result.engineVersion})`],
    ['design', result.design],
    ['tickUnit', result.timeline.tickUnit],
    [
      'timestamps',
      result.timeline.tickNs === undefined
        ? '1 tick exported as 1 µs'
        : `${result.timeline.tickNs} ns per tick`,
    ],
  ]
}

/**
 * The clock's unit in ns: the tick's length where it is a whole number of ns and every time in
 * the run is a whole tick (a delta of one tick is then 1), else 1 ns.
 */
function clockUnit(result: RunResult, tickNs: number): number {
  if (!Number.isSafeInteger(tickNs) || tickNs < 1) return 1
  for (const e of result.events) if (!Number.isInteger(e.at)) return 1
  for (const t of result.timeline.tracks) {
    for (const s of t.spans) if (!Number.isInteger(s.start) || !Number.isInteger(s.end)) return 1
  }
  return tickNs
}

/** The packets of the trace in chunks of about `chunkBytes`: a whole number of packets each. */
function* packetChunks(result: RunResult, chunkBytes: number): Generator<Uint8Array> {
  const layout = perfettoLayout(result)
  const tickNs = result.timeline.tickNs ?? 1000
  const ns = (tick: number) => Math.round(tick * tickNs)
  const w = new PacketWriter(chunkBytes, clockUnit(result, tickNs))
  w.clock()
  w.root()
  layout.groups.forEach((g, i) => w.process(i + 1, g))
  for (const t of layout.threads) w.thread(t)
  w.globalTrack(layout.runTrack, 'run')
  w.instant(layout.runTrack, 0, result.scenario.name, 'run', runArgs(result), [], 0)
  const spans = new SpanMerge(layout.threads)
  let lastFlow = 0
  for (const index of timeOrder(result.events)) {
    const event = result.events[index] as LabEvent
    while (spans.peek() <= event.at) {
      spans.pop(w, ns)
      if (w.full) yield w.take()
    }
    lastFlow = writeEvent(w, layout, event, index, ns(event.at), lastFlow)
    if (w.full) yield w.take()
  }
  while (spans.peek() < Infinity) {
    spans.pop(w, ns)
    if (w.full) yield w.take()
  }
  const rest = w.take()
  if (rest.length > 0) yield rest
}

/**
 * Packets per compressed bundle, before compression: "each compressed_packets TracePacket
 * (including the two field ids and sizes) should be less than 512KB" (trace_packet.proto), and
 * deflate adds at most a few bytes per 16 KB to what it cannot compress.
 */
export const BUNDLE_BYTES = 256 * 1024

export interface PerfettoOptions {
  /** Bytes of packets a chunk holds, about (before compression). */
  chunkBytes?: number
  /**
   * Deflate in zlib's format (Node's `zlib.deflateSync`): each chunk, of at most BUNDLE_BYTES,
   * is then written as one TracePacket whose `compressed_packets` (field 50) holds it, as
   * Perfetto's own service writes a trace with `compression_type: COMPRESSION_TYPE_DEFLATE`.
   */
  deflate?: (packets: Uint8Array) => Uint8Array
}

/** The trace in chunks: a whole number of packets each, or one compressed bundle of them. */
export function* perfettoChunks(
  result: RunResult,
  options: PerfettoOptions = {},
): Generator<Uint8Array> {
  const { deflate } = options
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES
  if (!deflate) return yield* packetChunks(result, chunkBytes)
  const bundle = new ProtoWriter()
  const out = new ProtoWriter()
  for (const packets of packetChunks(result, Math.min(chunkBytes, BUNDLE_BYTES))) {
    bundle.reset().bytes(PACKET.compressedPackets, deflate(packets))
    yield out.reset().message(TRACE.packet, bundle).view().slice()
  }
}

/** The whole trace as one buffer (tests, small runs). */
export function toPerfetto(result: RunResult): Uint8Array {
  return concatBytes([...perfettoChunks(result)])
}
