/**
 * The queue of scheduled events, ordered by `(tick, priority, seq)`: a calendar of the next
 * `WINDOW` ticks, with a binary min-heap for events scheduled further ahead.
 *
 * Invariants:
 * 1. `seq` grows by one for every push, so two events with the same tick and priority leave the
 *    queue in the order they were pushed; the order is total and every run is repeatable.
 * 2. A lower priority number runs first at the same tick; priorities are integers 0 to 7.
 * 3. Time only moves forward: a push is at or after the tick of the last event popped (`base`),
 *    as the simulation guarantees; an earlier one throws.
 * 4. Every event before `base + WINDOW` is in the calendar, every later one in the heap. The
 *    calendar has a slot per tick of the window (tick modulo `WINDOW`) and in each slot a first-in
 *    first-out list per priority, so seq order within a list is push order. When `base` moves on,
 *    the heap's events that the window now covers move into the calendar, in heap order, before
 *    anything else can be pushed at their ticks: they were pushed earlier, and keep their turn.
 * 5. Nearly every event of the engines is scheduled a few ticks ahead (a hypercall, an IPI's
 *    flight, a thread's next step), so push and pop are constant time for them instead of a
 *    heap's log n: the heap of earlier versions held 500 (Xen) to 4,000 (POWER) entries and its
 *    sift-down was the largest item of the event loop.
 * 6. Storage only grows: lists are reused through head and tail indices, and a slot taken is
 *    cleared so the payload can go.
 */
import { objectArray } from './objectArray'

export const MAX_PRIORITY = 7
export const MAX_TICK = 2 ** 49

/** Ticks the calendar covers (a power of two). POWER's random workloads schedule up to ~1,000 ahead. */
export const WINDOW = 1024
const SLOT_MASK = WINDOW - 1
const PRIORITIES = MAX_PRIORITY + 1

// The errors `push` throws, built out of line: a template literal inline would have TurboFan
// convert the number to a string on every push, ahead of the branch (see Simulation.at).
function badPriority(priority: number): RangeError {
  return new RangeError(`priority must be an integer from 0 to ${MAX_PRIORITY} (got ${priority})`)
}

function badTick(tick: number, base: number): RangeError {
  if (tick > MAX_TICK) return new RangeError(`tick ${tick} is beyond the largest tick, 2^49`)
  return new RangeError(`tick ${tick} is before the last event taken, at tick ${base}`)
}

/** First-in first-out list of one slot and priority: `items[head..tail)`, storage reused. */
class List<P> {
  items: (P | undefined)[] = objectArray()
  head = 0
  tail = 0
}

/** The events beyond the calendar's window: a binary min-heap on `(tick * 8 + priority, seq)`. */
class FarHeap<P> {
  keys: number[] = []
  seqs: number[] = []
  payloads: (P | undefined)[] = []
  n = 0

  push(key: number, seq: number, payload: P): void {
    const keys = this.keys
    const seqs = this.seqs
    const payloads = this.payloads
    let i = this.n++
    if (i === keys.length) {
      keys.push(key)
      seqs.push(seq)
      payloads.push(payload)
    }
    while (i > 0) {
      const parent = (i - 1) >> 1
      const pk = keys[parent] as number
      if (pk < key || (pk === key && (seqs[parent] as number) < seq)) break
      keys[i] = pk
      seqs[i] = seqs[parent] as number
      payloads[i] = payloads[parent] as P
      i = parent
    }
    keys[i] = key
    seqs[i] = seq
    payloads[i] = payload
  }

  /** Removes the top entry (the caller has read `keys[0]` and `payloads[0]`). */
  pop(): void {
    const keys = this.keys
    const seqs = this.seqs
    const payloads = this.payloads
    const size = --this.n
    const lastKey = keys[size] as number
    const lastSeq = seqs[size] as number
    const lastPayload = payloads[size]
    payloads[size] = undefined
    if (size === 0) return
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= size) break
      const r = l + 1
      let m = l
      let mk = keys[l] as number
      if (r < size) {
        const rk = keys[r] as number
        if (rk < mk || (rk === mk && (seqs[r] as number) < (seqs[l] as number))) {
          m = r
          mk = rk
        }
      }
      if (mk > lastKey || (mk === lastKey && (seqs[m] as number) > lastSeq)) break
      keys[i] = mk
      seqs[i] = seqs[m] as number
      payloads[i] = payloads[m]
      i = m
    }
    keys[i] = lastKey
    seqs[i] = lastSeq
    payloads[i] = lastPayload
  }
}

export class EventQueue<P> {
  /** `lists[slot * PRIORITIES + priority]`, made on first use. */
  private readonly lists: (List<P> | undefined)[] = new Array<List<P> | undefined>(
    WINDOW * PRIORITIES,
  ).fill(undefined)
  /** Per slot, a bit per priority whose list is not empty. */
  private readonly masks = new Uint8Array(WINDOW)
  /** Events in the calendar. */
  private near = 0
  private readonly far = new FarHeap<P>()
  /** The tick of the last event taken: the calendar covers [base, base + WINDOW). */
  private base = 0
  private nextSeq = 0

  get size(): number {
    return this.near + this.far.n
  }

  push(tick: number, priority: number, payload: P): void {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && Number.isInteger(priority))) {
      throw badPriority(priority)
    }
    if (tick > MAX_TICK || tick < this.base) throw badTick(tick, this.base)
    const seq = this.nextSeq++
    if (tick - this.base < WINDOW) this.toCalendar(tick, priority, payload)
    else this.far.push(tick * 8 + priority, seq, payload)
  }

  /** The next event's `tick * 8 + priority`, or undefined when empty. */
  peekKey(): number | undefined {
    if (this.near > 0) {
      const tick = this.firstTick()
      return tick * 8 + lowestBit(this.masks[tick & SLOT_MASK] as number)
    }
    return this.far.n === 0 ? undefined : this.far.keys[0]
  }

  /** Tick of the next event, or undefined when empty. */
  peekTick(): number | undefined {
    if (this.near > 0) return this.firstTick()
    return this.far.n === 0 ? undefined : Math.floor((this.far.keys[0] as number) / 8)
  }

  /** Removes the next event; its tick is written into `out` to avoid an allocation per pop. */
  pop(out: { tick: number }): P | undefined {
    const tick = this.peekTick()
    if (tick === undefined) return undefined
    this.advance(tick)
    const slot = tick & SLOT_MASK
    const mask = this.masks[slot] as number
    const priority = lowestBit(mask)
    const list = this.lists[slot * PRIORITIES + priority] as List<P>
    const items = list.items
    const payload = items[list.head] as P
    items[list.head] = undefined
    if (++list.head === list.tail) {
      list.head = 0
      list.tail = 0
      this.masks[slot] = mask & ~(1 << priority)
    }
    this.near--
    out.tick = tick
    return payload
  }

  /** The tick of the first non-empty slot (the calendar is not empty). */
  private firstTick(): number {
    const masks = this.masks
    let tick = this.base
    while (masks[tick & SLOT_MASK] === 0) tick++
    return tick
  }

  /** `base` moves to `tick`: the heap's events the window now covers move into the calendar. */
  private advance(tick: number): void {
    this.base = tick
    const far = this.far
    const end = (tick + WINDOW) * 8
    while (far.n > 0 && (far.keys[0] as number) < end) {
      const key = far.keys[0] as number
      const payload = far.payloads[0] as P
      far.pop()
      const at = Math.floor(key / 8)
      this.toCalendar(at, key - at * 8, payload)
    }
  }

  private toCalendar(tick: number, priority: number, payload: P): void {
    const slot = tick & SLOT_MASK
    const at = slot * PRIORITIES + priority
    let list = this.lists[at]
    if (list === undefined) this.lists[at] = list = new List<P>()
    const items = list.items
    if (list.tail === items.length) items.push(payload)
    else items[list.tail] = payload
    list.tail++
    this.masks[slot] = (this.masks[slot] as number) | (1 << priority)
    this.near++
  }
}

/** Index of the lowest set bit of a non-zero byte. */
function lowestBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask)
}
