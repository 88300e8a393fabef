/**
 * The discrete-event loop every engine runs on: integer ticks, a queue ordered by
 * `(tick, priority, seq)`, a seeded PRNG owned by the run, and hard bounds.
 *
 * Invariants:
 * 1. Time never goes backwards: scheduling before `now` throws, and so does a non-integer tick.
 * 2. Events at the same tick run by priority, then in the order they were scheduled.
 * 3. `until` ends the observation: no event after it runs, and the run ends at `until`.
 * 4. `maxEvents` turns a runaway model into an error (RunBoundError) that says what was pending,
 *    instead of a hang.
 * 5. Nothing here reads a clock or Math.random: the same seed and schedule give the same run.
 */
import type { RunStats } from '../../shared/result'
import { EventQueue, MAX_TICK } from './eventQueue'
import { Prng } from './prng'

export interface RunBounds {
  /** Last tick to simulate (inclusive). */
  until: number
  /** Most events to process before the run is declared a runaway. */
  maxEvents: number
}

export interface RunHooks {
  /**
   * Called every `progressEvery` events with the count and the current tick (and, from an engine,
   * how many events and spans the run has recorded: see recordBudget.ts and `countRecorded`).
   */
  onProgress?: (events: number, tick: number, recorded?: number) => void
  progressEvery?: number
  /** Polled with progress; returning true cancels the run with RunCancelledError. */
  shouldCancel?: () => boolean
  /** A sentence on what the model was still waiting for, put in a RunBoundError. */
  describePending?: () => string
}

export class RunBoundError extends Error {
  constructor(
    readonly bound: 'maxEvents',
    readonly events: number,
    readonly tick: number,
    detail: string,
  ) {
    super(
      `run stopped after ${events} events at tick ${tick}: the model did not settle within maxEvents` +
        (detail ? `; ${detail}` : ''),
    )
    this.name = 'RunBoundError'
  }
}

export class RunCancelledError extends Error {
  constructor(readonly events: number) {
    super(`run cancelled after ${events} events`)
    this.name = 'RunCancelledError'
  }
}

/**
 * The error for a tick `at` refuses. Built here, not in `at`: TurboFan computes a number's string
 * for a template literal ahead of the branches that use it, so a message written inline costs
 * every call a number-to-string conversion (seen in profiles of the large benchmarks).
 */
function badTick(tick: number, now: number): RangeError {
  if (!Number.isSafeInteger(tick)) return new RangeError(`ticks are integers (got ${tick})`)
  return new RangeError(`cannot schedule at tick ${tick}: the simulation is at tick ${now}`)
}

export class Simulation<P> {
  private queue = new EventQueue<P>()
  private popped = { tick: 0 }
  private _now = 0
  private _events = 0
  readonly rng: Prng

  constructor(
    seed: number,
    private readonly handle: (payload: P, tick: number) => void,
  ) {
    this.rng = new Prng(seed)
  }

  get now(): number {
    return this._now
  }

  get events(): number {
    return this._events
  }

  get pending(): number {
    return this.queue.size
  }

  /** Schedules `payload` at absolute `tick`; lower `priority` runs first within a tick. */
  at(tick: number, priority: number, payload: P): void {
    if (!Number.isSafeInteger(tick) || tick < this._now) throw badTick(tick, this._now)
    this.queue.push(tick, priority, payload)
  }

  /** Schedules `payload` `delay` ticks from now. */
  after(delay: number, priority: number, payload: P): void {
    this.at(this._now + delay, priority, payload)
  }

  run(bounds: RunBounds, hooks: RunHooks = {}): RunStats {
    const every = hooks.progressEvery ?? 65536
    let sinceProgress = 0
    // an event is after `until` when its key (tick * 8 + priority) reaches this
    const beyond = (Math.min(bounds.until, MAX_TICK) + 1) * 8
    for (;;) {
      const next = this.queue.peekKey()
      if (next === undefined) return { events: this._events, end: this._now, stoppedBy: 'drained' }
      if (next >= beyond) {
        this._now = bounds.until
        return { events: this._events, end: bounds.until, stoppedBy: 'until' }
      }
      if (this._events >= bounds.maxEvents) {
        throw new RunBoundError(
          'maxEvents',
          this._events,
          this._now,
          hooks.describePending?.() ?? '',
        )
      }
      const payload = this.queue.pop(this.popped) as P
      this._now = this.popped.tick
      this._events++
      this.handle(payload, this._now)
      if (++sinceProgress >= every) {
        sinceProgress = 0
        hooks.onProgress?.(this._events, this._now)
        if (hooks.shouldCancel?.()) throw new RunCancelledError(this._events)
      }
    }
  }
}
