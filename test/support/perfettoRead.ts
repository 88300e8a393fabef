/**
 * Reads a Perfetto protobuf trace back, for tests, as a trace processor would (much reduced): the
 * tracks from their descriptors, each slice from its begin and end, the instants with their flows,
 * every interned id resolved, every timestamp made absolute (a clock snapshot's clocks, the
 * sequence's default clock, incremental deltas in the clock's unit), every compressed bundle
 * inflated. What a reader would stumble on is listed in `problems`: an iid used before it is
 * defined, a packet that needs the sequence's state without saying so or before it was cleared,
 * a timestamp on an unknown clock, a bundle of 512 KiB or more, a slice that ends without a
 * begin, packets out of time order.
 *
 * Its field numbers are written out here from Perfetto's protos (google/perfetto at ec5d16b1,
 * protos/perfetto/trace/...), not taken from the writer, so that a wrong number in either shows.
 */
import { inflateSync } from 'node:zlib'
import { Message } from './protoDecode'

/** trace.proto Trace.packet; trace_packet.proto TracePacket. */
const TRACE_PACKET = 1
const P = {
  clock: 6,
  timestamp: 8,
  sequenceId: 10,
  trackEvent: 11,
  interned: 12,
  flags: 13,
  compressed: 50,
  clockId: 58,
  defaults: 59,
  track: 60,
}
/** trace_packet_defaults.proto; clock_snapshot.proto (and builtin_clock.proto's BOOTTIME). */
const DEFAULTS = { clockId: 58 }
const SNAPSHOT = { clocks: 1 }
const CLOCK = { id: 1, timestamp: 2, incremental: 3, unit: 4 }
const BOOTTIME = 6
const CLEARED = 1
const NEEDS_STATE = 2
/** track_event/track_descriptor.proto; process_descriptor.proto; thread_descriptor.proto. */
const TD = { uuid: 1, name: 2, process: 3, thread: 4, parent: 5, rank: 12 }
const PD = { pid: 1, name: 6 }
const THD = { pid: 1, tid: 2, name: 5 }
/** track_event/track_event.proto TrackEvent. */
const TE = { cats: 3, args: 4, type: 9, nameIid: 10, track: 11, flows: 47, ends: 48 }
const BEGIN = 1
const END = 2
const INSTANT = 3
/** interned_data/interned_data.proto InternedData, and its entries' {iid = 1, name|str = 2}. */
const TABLES = { categories: 1, names: 2, argNames: 3, strings: 29 }
/** track_event/debug_annotation.proto DebugAnnotation. */
const DA = {
  nameIid: 1,
  name: 10,
  bool: 2,
  uint: 3,
  int: 4,
  double: 5,
  string: 6,
  json: 9,
  dict: 11,
  array: 12,
  stringIid: 17,
}

export interface DecodedTrack {
  uuid: number
  name?: string
  parent?: number
  rank?: number
  process?: { pid: number; name?: string }
  thread?: { pid: number; tid: number; name?: string }
}

export interface DecodedSlice {
  track: number
  name: string
  category: string
  ts: number
  dur: number
  args: Record<string, unknown>
}

export interface DecodedInstant {
  track: number
  name: string
  category: string
  ts: number
  args: Record<string, unknown>
  flows: number[]
  ends: number[]
}

/** A clock of a snapshot: its unit, whether incremental, and its reading against BOOTTIME. */
export interface DecodedClock {
  unit: number
  incremental: boolean
  /** The clock's last value, in its units. */
  value: number
  /** BOOTTIME (ns) at the clock's 0: a reading `v` is at `offset + v * unit`. */
  offset: number
}

export interface DecodedTrace {
  packets: number
  /** Compressed bundles (TracePacket.compressed_packets) inflated. */
  bundles: number
  /** The clocks of the snapshots, by id; and the sequence's default clock, if it has one. */
  clocks: Map<number, DecodedClock>
  defaultClock?: number
  tracks: Map<number, DecodedTrack>
  /** Slices in the order they end (a child before its parent). */
  slices: DecodedSlice[]
  instants: DecodedInstant[]
  /** The first packet's sequence_flags. */
  firstFlags: number
  /** How many entries each interning table got. */
  interned: Record<keyof typeof TABLES, number>
  problems: string[]
}

interface Open {
  name: string
  category: string
  ts: number
  args: Record<string, unknown>
}

class Reader {
  readonly out: DecodedTrace = {
    packets: 0,
    bundles: 0,
    clocks: new Map(),
    tracks: new Map(),
    slices: [],
    instants: [],
    firstFlags: -1,
    interned: { categories: 0, names: 0, argNames: 0, strings: 0 },
    problems: [],
  }
  private readonly tables = new Map<number, Map<number, string>>()
  private readonly open = new Map<number, Open[]>()
  private lastTs = 0
  /** Whether the packet being read uses the sequence's interned state. */
  private usesState = false
  /** Whether SEQ_INCREMENTAL_STATE_CLEARED was seen (no state can be used before). */
  private cleared = false

  packet(p: Message): void {
    const bundle = p.all(P.compressed)[0]?.bytes
    if (bundle) return this.bundle(bundle)
    const n = this.out.packets++
    const flags = p.uint(P.flags) ?? 0
    if (n === 0) this.out.firstFlags = flags
    if (flags & CLEARED) this.cleared = true
    if (flags & NEEDS_STATE && !this.cleared) this.problem(n, 'needs state before it is cleared')
    if (p.uint(P.sequenceId) !== 1) this.problem(n, 'not on sequence 1')
    this.usesState = false
    const defaults = p.message(P.defaults)
    if (defaults) this.out.defaultClock = defaults.uint(DEFAULTS.clockId)
    const interned = p.message(P.interned)
    if (interned) this.intern(n, interned)
    const snapshot = p.message(P.clock)
    // As Perfetto's reader, a packet with a clock snapshot says nothing else.
    if (snapshot) return this.snapshot(n, snapshot, p)
    const ts = this.timestamp(n, p)
    if (ts < this.lastTs) this.problem(n, `timestamp ${ts} after ${this.lastTs}`)
    this.lastTs = ts
    const track = p.message(P.track)
    if (track) this.track(track)
    const event = p.message(P.trackEvent)
    if (event) this.event(n, ts, event)
    if (this.usesState && !(flags & NEEDS_STATE)) {
      this.problem(n, 'uses interned data without SEQ_NEEDS_INCREMENTAL_STATE')
    }
  }

  /** A TracePacket.compressed_packets: a Trace's packets, deflated (zlib), read in their place. */
  private bundle(bytes: Uint8Array): void {
    this.out.bundles++
    if (bytes.length + 8 >= 512 * 1024) this.problem(this.out.packets, 'a bundle of 512 KiB')
    for (const f of new Message(new Uint8Array(inflateSync(bytes))).fields) {
      if (f.field !== TRACE_PACKET || f.wire !== 2) this.problem(this.out.packets, 'not a packet')
      else this.packet(new Message(f.bytes as Uint8Array))
    }
  }

  private snapshot(n: number, snapshot: Message, p: Message): void {
    if (p.has(P.trackEvent) || p.has(P.track)) this.problem(n, 'data beside a clock snapshot')
    const read = snapshot.messages(SNAPSHOT.clocks).map((c) => ({
      id: c.uint(CLOCK.id) ?? 0,
      ts: c.uint(CLOCK.timestamp) ?? 0,
      unit: c.uint(CLOCK.unit) ?? 1,
      incremental: c.uint(CLOCK.incremental) === 1,
    }))
    const boot = read.find((c) => c.id === BOOTTIME)
    if (!boot) return this.problem(n, 'a clock snapshot without BOOTTIME')
    for (const c of read) {
      const offset = boot.ts - c.ts * c.unit
      this.out.clocks.set(c.id, { unit: c.unit, incremental: c.incremental, value: c.ts, offset })
    }
  }

  /** The packet's time on BOOTTIME in ns, as trace processor reads it; none: the last packet's. */
  private timestamp(n: number, p: Message): number {
    const raw = p.uint(P.timestamp)
    if (raw === undefined) return this.lastTs
    const id = p.uint(P.clockId) ?? this.out.defaultClock ?? BOOTTIME
    if (id === BOOTTIME) return raw
    const clock = this.out.clocks.get(id)
    if (!clock) {
      this.problem(n, `timestamp on clock ${id}, in no snapshot`)
      return raw
    }
    if (!clock.incremental) return clock.offset + raw * clock.unit
    if (!((p.uint(P.flags) ?? 0) & NEEDS_STATE)) {
      this.problem(n, 'an incremental timestamp without SEQ_NEEDS_INCREMENTAL_STATE')
    }
    clock.value += raw
    return clock.offset + clock.value * clock.unit
  }

  finish(): DecodedTrace {
    for (const [track, stack] of this.open) {
      if (stack.length > 0)
        this.out.problems.push(`track ${track}: ${stack.length} slices never end`)
    }
    return this.out
  }

  private problem(packet: number, what: string): void {
    if (this.out.problems.length < 50) this.out.problems.push(`packet ${packet}: ${what}`)
  }

  private intern(n: number, data: Message): void {
    this.usesState = true
    for (const [key, field] of Object.entries(TABLES) as [keyof typeof TABLES, number][]) {
      let table = this.tables.get(field)
      if (!table) this.tables.set(field, (table = new Map()))
      for (const entry of data.messages(field)) {
        const iid = entry.uint(1) ?? 0
        const text = entry.string(2) ?? ''
        if (iid === 0) this.problem(n, `interned entry with iid 0 in table ${field}`)
        if (table.has(iid) && table.get(iid) !== text) this.problem(n, `iid ${iid} redefined`)
        table.set(iid, text)
        this.out.interned[key]++
      }
    }
  }

  private resolve(table: number, iid: number): string {
    this.usesState = true
    const text = this.tables.get(table)?.get(iid)
    if (text === undefined) {
      this.out.problems.push(`iid ${iid} of table ${table} used before it is defined`)
      return `?${iid}`
    }
    return text
  }

  private track(d: Message): void {
    const uuid = d.uint(TD.uuid)
    if (uuid === undefined) return void this.out.problems.push('track descriptor without uuid')
    const t: DecodedTrack = { uuid, name: d.string(TD.name), parent: d.uint(TD.parent) }
    t.rank = d.int(TD.rank)
    const proc = d.message(TD.process)
    if (proc) t.process = { pid: proc.int(PD.pid) ?? -1, name: proc.string(PD.name) }
    const th = d.message(TD.thread)
    if (th)
      t.thread = {
        pid: th.int(THD.pid) ?? -1,
        tid: th.int(THD.tid) ?? -1,
        name: th.string(THD.name),
      }
    this.out.tracks.set(uuid, t)
  }

  private event(n: number, ts: number, e: Message): void {
    const track = e.uint(TE.track) ?? 0
    if (!this.out.tracks.has(track)) this.problem(n, `event on undeclared track ${track}`)
    const type = e.uint(TE.type)
    const stack = this.open.get(track) ?? []
    this.open.set(track, stack)
    if (type === END) {
      const open = stack.pop()
      if (!open) return this.problem(n, `slice end on track ${track} with none open`)
      this.out.slices.push({ track, ...open, dur: ts - open.ts })
      return
    }
    const nameIid = e.uint(TE.nameIid)
    const name = nameIid === undefined ? '' : this.resolve(TABLES.names, nameIid)
    const category = e
      .uints(TE.cats)
      .map((c) => this.resolve(TABLES.categories, c))
      .join(',')
    const args: Record<string, unknown> = {}
    for (const a of e.messages(TE.args)) args[this.argName(a)] = this.value(a)
    if (type === BEGIN) stack.push({ name, category, ts, args })
    else if (type === INSTANT) {
      const flows = e.fixed64s(TE.flows)
      const ends = e.fixed64s(TE.ends)
      this.out.instants.push({ track, name, category, ts, args, flows, ends })
    } else this.problem(n, `event of type ${type}`)
  }

  private argName(a: Message): string {
    const iid = a.uint(DA.nameIid)
    return iid === undefined ? (a.string(DA.name) ?? '') : this.resolve(TABLES.argNames, iid)
  }

  /** A debug annotation's value as the JSON value it stands for. */
  private value(a: Message): unknown {
    if (a.has(DA.dict)) {
      const o: Record<string, unknown> = {}
      for (const entry of a.messages(DA.dict)) o[this.argName(entry)] = this.value(entry)
      return o
    }
    if (a.has(DA.array)) return a.messages(DA.array).map((v) => this.value(v))
    if (a.has(DA.bool)) return a.uint(DA.bool) === 1
    if (a.has(DA.uint)) return a.uint(DA.uint)
    if (a.has(DA.int)) return a.int(DA.int)
    if (a.has(DA.double)) return a.double(DA.double)
    if (a.has(DA.string)) return a.string(DA.string)
    if (a.has(DA.stringIid)) return this.resolve(TABLES.strings, a.uint(DA.stringIid) as number)
    if (a.has(DA.json)) return JSON.parse(a.string(DA.json) as string) as unknown
    return undefined
  }
}

/** The trace in `bytes` (a whole file, or chunks joined). */
export function readPerfetto(bytes: Uint8Array): DecodedTrace {
  const reader = new Reader()
  const trace = new Message(bytes)
  for (const f of trace.fields) {
    if (f.field !== TRACE_PACKET || f.wire !== 2) {
      reader.out.problems.push(`Trace field ${f.field} (wire type ${f.wire})`)
      continue
    }
    reader.packet(new Message(f.bytes as Uint8Array))
  }
  return reader.finish()
}

export { CLEARED as SEQ_INCREMENTAL_STATE_CLEARED }
