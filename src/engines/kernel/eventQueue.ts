/**
 * A binary min-heap of scheduled events ordered by `(tick, priority, seq)`.
 *
 * Invariants:
 * 1. `seq` grows by one for every push, so two events with the same tick and priority leave the
 *    queue in the order they were pushed; the order is total and every run is repeatable.
 * 2. A lower priority number runs first at the same tick.
 * 3. The heap holds entries in parallel arrays (no object per comparison), which keeps a run of
 *    millions of events cheap.
 */
export class EventQueue<P> {
  private ticks: number[] = []
  private prios: number[] = []
  private seqs: number[] = []
  private payloads: P[] = []
  private nextSeq = 0

  get size(): number {
    return this.ticks.length
  }

  push(tick: number, priority: number, payload: P): void {
    const i = this.ticks.length
    this.ticks.push(tick)
    this.prios.push(priority)
    this.seqs.push(this.nextSeq++)
    this.payloads.push(payload)
    this.siftUp(i)
  }

  /** Tick of the next event, or undefined when empty. */
  peekTick(): number | undefined {
    return this.ticks[0]
  }

  /** Removes the next event; `tick` is written into `out` to avoid an allocation per pop. */
  pop(out: { tick: number }): P | undefined {
    const n = this.ticks.length
    if (n === 0) return undefined
    const payload = this.payloads[0] as P
    out.tick = this.ticks[0] as number
    const last = n - 1
    if (last > 0) {
      this.move(last, 0)
    }
    this.ticks.pop()
    this.prios.pop()
    this.seqs.pop()
    this.payloads.pop()
    if (last > 1) this.siftDown(0)
    return payload
  }

  private less(a: number, b: number): boolean {
    const ta = this.ticks[a] as number
    const tb = this.ticks[b] as number
    if (ta !== tb) return ta < tb
    const pa = this.prios[a] as number
    const pb = this.prios[b] as number
    if (pa !== pb) return pa < pb
    return (this.seqs[a] as number) < (this.seqs[b] as number)
  }

  private move(from: number, to: number): void {
    this.ticks[to] = this.ticks[from] as number
    this.prios[to] = this.prios[from] as number
    this.seqs[to] = this.seqs[from] as number
    this.payloads[to] = this.payloads[from] as P
  }

  private swap(a: number, b: number): void {
    const t = this.ticks[a] as number
    const p = this.prios[a] as number
    const s = this.seqs[a] as number
    const x = this.payloads[a] as P
    this.move(b, a)
    this.ticks[b] = t
    this.prios[b] = p
    this.seqs[b] = s
    this.payloads[b] = x
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private siftDown(i: number): void {
    const n = this.ticks.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) return
      const r = l + 1
      const m = r < n && this.less(r, l) ? r : l
      if (!this.less(m, i)) return
      this.swap(i, m)
      i = m
    }
  }
}
