/** JSON in chunks (src/shared/jsonChunks.ts): JSON.stringify's own text, never one whole string. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CHUNK_CHARS, jsonChunks } from '../../src/shared/jsonChunks'
import { allPresetRuns } from '../support/presetRuns'

const joined = (v: unknown, indent?: number) => [...jsonChunks(v, indent)].join('')

describe('jsonChunks', () => {
  it('writes every preset’s run result as JSON.stringify does, pretty and compact', () => {
    for (const [, r] of allPresetRuns()) {
      expect(joined(r, 2)).toBe(JSON.stringify(r, null, 2))
      expect(joined(r)).toBe(JSON.stringify(r))
    }
  })

  it('agrees with JSON.stringify on any JSON-like value, long arrays and odd values included', () => {
    const odd = fc.constantFrom(
      undefined,
      NaN,
      -0,
      Infinity,
      () => 1,
      new Date(0),
      new Map([[1, 2]]),
    )
    const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }), odd, fc.string())
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 80 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 6 }),
      ),
    })).node
    fc.assert(
      fc.property(tree, fc.constantFrom(0, 2, 4), (v, indent) => {
        expect(joined(v, indent)).toBe(JSON.stringify(v, null, indent || undefined) ?? '')
      }),
      { numRuns: 400 },
    )
  })

  it('yields pieces of about a megabyte, never the whole of a large array', () => {
    const spans = Array.from({ length: 60_000 }, (_, i) => ({
      start: i,
      end: i + 1,
      state: 'guest',
    }))
    const chunks = [...jsonChunks({ spans }, 2)]
    expect(chunks.length).toBeGreaterThan(3)
    for (const c of chunks) expect(c.length).toBeLessThan(CHUNK_CHARS + 4096)
  })
})
