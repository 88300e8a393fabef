import { describe, expect, it } from 'vitest'
import { objectArray } from '../../../src/engines/kernel'

describe('objectArray', () => {
  it('is a fresh empty array each call, and keeps what is pushed', () => {
    const a = objectArray<{ n: number }>()
    const b = objectArray<{ n: number }>()
    expect(a).toEqual([])
    expect(a).not.toBe(b)
    a.push({ n: 1 }, { n: 2 })
    expect(a).toEqual([{ n: 1 }, { n: 2 }])
    expect(b).toHaveLength(0)
    expect(JSON.stringify(a)).toBe('[{"n":1},{"n":2}]')
  })
})
