/**
 * The engine's own seeded PRNG: sfc32 seeded through splitmix32, 32-bit integer arithmetic only, so
 * the same seed gives the same stream on every machine. Engines never use Math.random.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
      return (z ^ (z >>> 15)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.nextU32()
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new RangeError(`Prng.int: n must be an integer from 1 to 2^32 (got ${n})`)
    }
    const limit = 4294967296 - (4294967296 % n)
    for (;;) {
      const x = this.nextU32()
      if (x < limit) return x % n
    }
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick: empty array')
    return items[this.int(items.length)] as T
  }

  /** An exponentially distributed delay with the given mean, rounded up to a whole tick (>= 1). */
  expTicks(mean: number): number {
    const u = 1 - this.next()
    return Math.max(1, Math.ceil(-Math.log(u) * mean))
  }
}
