import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventQueue, WINDOW } from '../../../src/engines/kernel/eventQueue'

function drain<P>(q: EventQueue<P>): { tick: number; payload: P }[] {
  const out: { tick: number; payload: P }[] = []
  const at = { tick: 0 }
  for (let p = q.pop(at); p !== undefined; p = q.pop(at)) out.push({ tick: at.tick, payload: p })
  return out
}

describe('EventQueue', () => {
  it('orders by tick first', () => {
    const q = new EventQueue<string>()
    q.push(30, 0, 'c')
    q.push(10, 0, 'a')
    q.push(20, 0, 'b')
    expect(drain(q).map((e) => e.payload)).toEqual(['a', 'b', 'c'])
  })

  it('orders by priority within a tick, lower first', () => {
    const q = new EventQueue<string>()
    q.push(5, 2, 'late')
    q.push(5, 0, 'early')
    q.push(5, 1, 'middle')
    expect(drain(q).map((e) => e.payload)).toEqual(['early', 'middle', 'late'])
  })

  it('keeps scheduling order for equal tick and priority (seq)', () => {
    const q = new EventQueue<number>()
    for (let i = 0; i < 100; i++) q.push(7, 3, i)
    expect(drain(q).map((e) => e.payload)).toEqual(Array.from({ length: 100 }, (_, i) => i))
  })

  it('pops in the total order (tick, priority, seq) for any pushes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 300,
        }),
        (items) => {
          const q = new EventQueue<number>()
          items.forEach(([t, p], i) => q.push(t, p, i))
          const expected = items
            .map(([t, p], i) => ({ t, p, i }))
            .sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i)
            .map((e) => e.i)
          expect(drain(q).map((e) => e.payload)).toEqual(expected)
        },
      ),
    )
  })

  it('keeps the order when its size swings up and down (slots are reused, never removed)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 400 }),
        (ops) => {
          // -1 pops; any other number pushes at now + that many ticks
          const q = new EventQueue<number>()
          const model: { t: number; i: number }[] = []
          const at = { tick: 0 }
          let now = 0
          ops.forEach((op, i) => {
            if (op >= 0) {
              q.push(now + op, 0, i)
              model.push({ t: now + op, i })
              model.sort((a, b) => a.t - b.t || a.i - b.i)
            } else {
              const got = q.pop(at)
              const want = model.shift()
              expect(got).toBe(want?.i)
              if (want) now = want.t
            }
            expect(q.size).toBe(model.length)
            expect(q.peekTick()).toBe(model[0]?.t)
          })
        },
      ),
    )
  })

  it('reports its size and next tick, and is empty after draining', () => {
    const q = new EventQueue<string>()
    expect(q.peekTick()).toBeUndefined()
    q.push(4, 0, 'x')
    q.push(2, 0, 'y')
    expect(q.size).toBe(2)
    expect(q.peekTick()).toBe(2)
    drain(q)
    expect(q.size).toBe(0)
  })
  it('keeps the total order across its calendar window and the heap beyond it', () => {
    // delays from the same tick to a million ticks ahead: events move from the heap into the
    // calendar as time reaches them, and must keep their turn against events pushed later
    const delay = fc.oneof(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: WINDOW - 8, max: WINDOW + 8 }),
      fc.integer({ min: 0, max: 3 * WINDOW }),
      fc.integer({ min: WINDOW, max: 1_000_000 }),
    )
    // pops as often as pushes, so the queue runs dry and time jumps: the window's edges matter
    const op = fc.oneof(fc.tuple(delay, fc.integer({ min: 0, max: 7 })), fc.constant(null))
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const q = new EventQueue<number>()
        const model: { t: number; p: number; i: number }[] = []
        const at = { tick: 0 }
        let now = 0
        ops.forEach((o, i) => {
          if (o) {
            const [d, p] = o
            q.push(now + d, p, i)
            model.push({ t: now + d, p, i })
            model.sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i)
          } else {
            const want = model.shift()
            expect(q.pop(at)).toBe(want?.i)
            if (want) {
              expect(at.tick).toBe(want.t)
              now = want.t
            }
          }
          expect(q.size).toBe(model.length)
          expect(q.peekTick()).toBe(model[0]?.t)
          expect(q.peekKey()).toBe(model[0] ? model[0].t * 8 + model[0].p : undefined)
        })
        const rest = drain(q)
        expect(rest.map((e) => e.payload)).toEqual(model.map((e) => e.i))
        expect(rest.map((e) => e.tick)).toEqual(model.map((e) => e.t))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses a push before the last event taken, naming both ticks', () => {
    const q = new EventQueue<string>()
    q.push(10, 0, 'a')
    q.pop({ tick: 0 })
    expect(() => q.push(9, 0, 'b')).toThrow('tick 9 is before the last event taken, at tick 10')
    expect(() => q.push(10, 8, 'b')).toThrow('priority must be an integer from 0 to 7 (got 8)')
    expect(() => q.push(2 ** 50, 0, 'b')).toThrow(
      'tick 1125899906842624 is beyond the largest tick, 2^49',
    )
    expect(q.size).toBe(0)
  })
})
