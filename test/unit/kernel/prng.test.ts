import { describe, expect, it } from 'vitest'
import { Prng } from '../../../src/engines/kernel/prng'

describe('Prng', () => {
  it('gives the same stream for the same seed', () => {
    const a = new Prng(42)
    const b = new Prng(42)
    const xs = Array.from({ length: 1000 }, () => a.nextU32())
    const ys = Array.from({ length: 1000 }, () => b.nextU32())
    expect(xs).toEqual(ys)
  })

  it('gives different streams for different seeds', () => {
    const a = Array.from(
      { length: 8 },
      (
        (p) => () =>
          p.nextU32()
      )(new Prng(1)),
    )
    const b = Array.from(
      { length: 8 },
      (
        (p) => () =>
          p.nextU32()
      )(new Prng(2)),
    )
    expect(a).not.toEqual(b)
  })

  it('is pinned: seed 1 starts with these values on every machine', () => {
    // A change here changes every golden result; update them together on purpose.
    const p = new Prng(1)
    expect(Array.from({ length: 4 }, () => p.nextU32())).toEqual([
      1130556604, 2591592147, 3014952990, 960850752,
    ])
  })

  it('int(n) stays in [0, n) and reaches both ends', () => {
    const p = new Prng(7)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const x = p.int(6)
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(6)
      seen.add(x)
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('int(n) is close to uniform (each of 4 values within 5% of its share over 40k draws)', () => {
    const p = new Prng(3)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) counts[p.int(4)]!++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
  })

  it('next() is in [0, 1) and expTicks is a whole tick of at least 1', () => {
    const p = new Prng(9)
    for (let i = 0; i < 1000; i++) {
      const x = p.next()
      expect(x >= 0 && x < 1).toBe(true)
      const t = p.expTicks(10)
      expect(Number.isInteger(t) && t >= 1).toBe(true)
    }
  })

  it('refuses a bad bound', () => {
    expect(() => new Prng(1).int(0)).toThrow(/integer from 1/)
    expect(() => new Prng(1).pick([])).toThrow(/empty/)
  })
})
