import { describe, expect, it } from 'vitest'
import { RunBoundError, RunCancelledError, Simulation } from '../../../src/engines/kernel'

describe('Simulation', () => {
  it('runs events in (tick, priority, seq) order and advances now', () => {
    const log: string[] = []
    const sim = new Simulation<string>(1, (p, tick) => log.push(`${tick}:${p}`))
    sim.at(10, 1, 'b')
    sim.at(10, 0, 'a')
    sim.at(3, 5, 'first')
    sim.at(10, 1, 'c')
    const stats = sim.run({ until: 100, maxEvents: 100 })
    expect(log).toEqual(['3:first', '10:a', '10:b', '10:c'])
    expect(stats).toEqual({ events: 4, end: 10, stoppedBy: 'drained' })
  })

  it('lets a handler schedule follow-ups, including at the same tick', () => {
    const log: number[] = []
    const sim: Simulation<number> = new Simulation<number>(1, (n, tick) => {
      log.push(tick)
      if (n > 0) sim.after(n % 2 === 0 ? 0 : 5, 0, n - 1)
    })
    sim.at(0, 0, 4)
    sim.run({ until: 1000, maxEvents: 100 })
    expect(log).toEqual([0, 0, 5, 5, 10])
  })

  it('throws when scheduling in the past or at a fractional tick', () => {
    const sim: Simulation<string> = new Simulation<string>(1, () => {
      expect(() => sim.at(4, 0, 'past')).toThrow(
        /cannot schedule at tick 4: the simulation is at tick 5/,
      )
    })
    sim.at(5, 0, 'x')
    sim.run({ until: 10, maxEvents: 10 })
    expect(() => sim.at(7.5, 0, 'frac')).toThrow(/integers/)
  })

  it('stops at until: later events do not run and the run ends at until', () => {
    const log: number[] = []
    const sim = new Simulation<number>(1, (_p, t) => log.push(t))
    sim.at(5, 0, 0)
    sim.at(50, 0, 0)
    const stats = sim.run({ until: 20, maxEvents: 10 })
    expect(log).toEqual([5])
    expect(stats).toEqual({ events: 1, end: 20, stoppedBy: 'until' })
    expect(sim.pending).toBe(1)
  })

  it('runs events at exactly until', () => {
    const log: number[] = []
    const sim = new Simulation<number>(1, (_p, t) => log.push(t))
    sim.at(20, 0, 0)
    sim.run({ until: 20, maxEvents: 10 })
    expect(log).toEqual([20])
  })

  it('turns a runaway model into a RunBoundError that says what was pending', () => {
    const sim: Simulation<null> = new Simulation<null>(1, () => sim.after(1, 0, null))
    sim.at(0, 0, null)
    let caught: unknown
    try {
      sim.run(
        { until: 1e9, maxEvents: 1000 },
        { describePending: () => 'cpu 0 spins waiting for cpu 3' },
      )
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(RunBoundError)
    expect((caught as RunBoundError).events).toBe(1000)
    expect((caught as Error).message).toMatch(
      /after 1000 events at tick 999.*cpu 0 spins waiting for cpu 3/,
    )
  })

  it('reports progress every N events and can be cancelled', () => {
    const seen: number[] = []
    const sim: Simulation<null> = new Simulation<null>(1, () => sim.after(1, 0, null))
    sim.at(0, 0, null)
    expect(() =>
      sim.run(
        { until: 1e9, maxEvents: 1e6 },
        {
          progressEvery: 100,
          onProgress: (e) => seen.push(e),
          shouldCancel: () => seen.length === 3,
        },
      ),
    ).toThrow(RunCancelledError)
    expect(seen).toEqual([100, 200, 300])
  })

  it('owns a seeded PRNG: two simulations with one seed draw the same numbers', () => {
    const a = new Simulation<null>(99, () => undefined)
    const b = new Simulation<null>(99, () => undefined)
    expect([a.rng.nextU32(), a.rng.nextU32()]).toEqual([b.rng.nextU32(), b.rng.nextU32()])
  })
})
