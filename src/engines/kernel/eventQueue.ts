/**
 * A binary min-heap of scheduled events ordered by `(tick, priority, seq)`.
 *
 * Invariants:
 * 1. `seq` grows by one for every push, so two events with the same tick and priority leave the
 *    queue in the order they were pushed; the order is total and every run is repeatable.
 * 2. A lower priority number runs first at the same tick; priorities are integers 0 to 7.
 * 3. Tick and priority are folded into one exact number, `tick * 8 + priority` (ticks up to 2^49
 *    stay exact in a double), so most comparisons are a single one; entries live in parallel
 *    arrays, with no object per event.
 * 4. The arrays only grow: `n` counts the entries and a popped slot is cleared, never removed, so
 *    a queue whose size swings up and down by a few entries per event allocates nothing.
 */
export const MAX_PRIORITY = 7
export const MAX_TICK = 2 ** 49

// The errors `push` throws, built out of line: a template literal inline would have TurboFan
// convert the number to a string on every push, ahead of the branch (see Simulation.at).
function badPriority(priority: number): RangeError {
  return new RangeError(`priority must be an integer from 0 to ${MAX_PRIORITY} (got ${priority})`)
}

function tooLate(tick: number): RangeError {
  return new RangeError(`tick ${tick} is beyond the largest tick, 2^49`)
}

export class EventQueue<P> {
  private keys: number[] = []
  private seqs: number[] = []
  private payloads: (P | undefined)[] = []
  private n = 0
  private nextSeq = 0

  get size(): number {
    return this.n
  }

  push(tick: number, priority: number, payload: P): void {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && Number.isInteger(priority))) {
      throw badPriority(priority)
    }
    if (tick > MAX_TICK) throw tooLate(tick)
    const key = tick * 8 + priority
    const seq = this.nextSeq++
    const keys = this.keys
    const seqs = this.seqs
    const payloads = this.payloads
    let i = this.n++
    if (i === keys.length) {
      keys.push(key)
      seqs.push(seq)
      payloads.push(payload)
    }
    // sift up
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

  /** The next event's `tick * 8 + priority`, or undefined when empty. */
  peekKey(): number | undefined {
    return this.n === 0 ? undefined : this.keys[0]
  }

  /** Tick of the next event, or undefined when empty. */
  peekTick(): number | undefined {
    return this.n === 0 ? undefined : Math.floor((this.keys[0] as number) / 8)
  }

  /** Removes the next event; its tick is written into `out` to avoid an allocation per pop. */
  pop(out: { tick: number }): P | undefined {
    const keys = this.keys
    const n = this.n
    if (n === 0) return undefined
    const seqs = this.seqs
    const payloads = this.payloads
    const top = payloads[0] as P
    out.tick = Math.floor((keys[0] as number) / 8)
    const size = n - 1
    this.n = size
    const lastKey = keys[size] as number
    const lastSeq = seqs[size] as number
    const lastPayload = payloads[size] as P
    payloads[size] = undefined // let the payload go
    if (size > 0) {
      // sift the last entry down from the root
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
        payloads[i] = payloads[m] as P
        i = m
      }
      keys[i] = lastKey
      seqs[i] = lastSeq
      payloads[i] = lastPayload
    }
    return top
  }
}
