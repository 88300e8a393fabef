import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ChunkedList } from '../../../src/engines/kernel'

describe('ChunkedList', () => {
  it('keeps every entry in order across chunks, by index and as one array', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const l = new ChunkedList<{ i: number }>()
        // push returns each entry's index (checked once: an expect per push made this slow)
        let wrong = 0
        for (let i = 0; i < n; i++) if (l.push({ i }) !== i) wrong++
        expect(wrong).toBe(0)
        expect(l.length).toBe(n)
        const all = l.toArray()
        expect(all).toHaveLength(n)
        expect(all.every((x, i) => x.i === i)).toBe(true)
        for (const i of [0, 4095, 4096, 8191, 8192, n - 1]) {
          if (i >= 0 && i < n) expect(l.at(i)?.i).toBe(i)
        }
        expect(l.at(n)).toBeUndefined()
        expect(l.at(-1)).toBeUndefined()
      }),
      { numRuns: 30 },
    )
  })
})
