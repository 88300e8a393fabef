/**
 * JSON in chunks (src/shared/jsonChunks.ts): JSON.stringify's own text, as strings and as UTF-8
 * bytes, never one whole string: every preset's run, both large bench cases, and random values
 * and records (the shapes of spans and events, odd keys, odd numbers, odd strings, odd objects).
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CASES } from '../../bench/cases'
import { runScenario } from '../../src/engines'
import {
  CHUNK_BYTES,
  CHUNK_CHARS,
  jsonBytes,
  jsonChunks,
  utf8Text,
} from '../../src/shared/jsonChunks'
import { allPresetRuns } from '../support/presetRuns'

const joined = (v: unknown, indent?: number) => [...jsonChunks(v, indent)].join('')
const decoded = (v: unknown, indent?: number) =>
  Buffer.concat([...jsonBytes(v, indent)]).toString('utf8')
const stringified = (v: unknown, indent?: number) =>
  (JSON.stringify(v, null, indent || undefined) as string | undefined) ?? ''

/** Both forms against JSON.stringify. */
function expectSame(v: unknown, indent?: number): void {
  const want = stringified(v, indent)
  expect(decoded(v, indent)).toBe(want)
  expect(joined(v, indent)).toBe(want)
}

const odd = fc.constantFrom(
  undefined,
  null,
  NaN,
  -0,
  Infinity,
  -Infinity,
  2 ** 31,
  -(2 ** 31),
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  1e21,
  5e-324,
  0.1,
  () => 1,
  Symbol('s'),
  new Date(0),
  new Map([[1, 2]]),
  Object.assign(Object.create(null) as object, { b: 1, a: [2] }),
  new Number(3),
  new String('boxed'),
  { toJSON: () => ({ from: 'toJSON' }) },
  [undefined, () => 2, Symbol('t')],
)
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '"', '\\', '\n', '\u007f', '\u0080', '\u2028', '\ud800', '\udc00x', '😀'),
)
const key = fc.oneof(
  fc.constantFrom('start', 'end', 'state', 'label', 'ref', '__proto__', '0', '10', '-1', ''),
  text,
)
const scalar = fc.oneof(fc.integer(), fc.double(), text, fc.boolean(), odd)
/** A record as a span or an event is: a few keys, scalars, a short list or a small object. */
const record = fc.dictionary(
  key,
  fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(key, scalar, { maxKeys: 3 })),
  { maxKeys: 7 },
)

describe('jsonChunks and jsonBytes', () => {
  it('write every preset’s run result as JSON.stringify does, pretty and compact', () => {
    for (const [, r] of allPresetRuns()) {
      expectSame(r, 2)
      expectSame(r)
    }
  })

  it.each(CASES.map((c) => [c.name, c] as const))(
    'bench case %s: the same bytes as JSON.stringify, pretty and compact',
    { timeout: 240_000 },
    (_, c) => {
      const r = runScenario(c.build())
      for (const indent of [2, 0]) {
        const want = createHash('sha256').update(stringified(r, indent)).digest('hex')
        const got = createHash('sha256')
        for (const chunk of jsonBytes(r, indent)) got.update(chunk)
        expect(got.digest('hex')).toBe(want)
      }
    },
  )

  it('agree with JSON.stringify on any JSON-like value, long arrays and odd values included', () => {
    const leaf = fc.oneof(fc.jsonValue({ maxDepth: 2 }), odd, text)
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 80 }),
        fc.dictionary(key, tie('node'), { maxKeys: 6 }),
      ),
    })).node
    fc.assert(
      fc.property(tree, fc.constantFrom(0, 1, 2, 4, 10, 12), (v, indent) => {
        expectSame(v, indent)
      }),
      { numRuns: 400 },
    )
  })

  it(
    'agree on records in an array long enough to be written element by element',
    { timeout: 60_000 },
    () => {
      fc.assert(
        fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (records) => {
          // Past 4096 elements (as a run's events and a track's spans are), in a document.
          const many = Array.from({ length: 4100 }, (_, i) => records[i % records.length])
          const doc = { timeline: { tracks: [{ id: 't', spans: many }] } }
          expectSame(doc, 2)
          expectSame(doc)
        }),
        { numRuns: 30 },
      )
    },
  )

  it('hand a value deeper than 64 levels to JSON.stringify, and fail as it does on a cycle or a BigInt', () => {
    let deep: unknown = [1, { a: 'x' }]
    for (let i = 0; i < 100; i++) deep = i % 2 ? [deep, i] : { i, deep }
    expectSame(deep, 2)
    expectSame(deep)
    const cycle: Record<string, unknown> = { a: 1 }
    cycle.self = { back: [cycle] }
    expect(() => stringified(cycle, 2)).toThrow(TypeError)
    expect(() => decoded(cycle, 2)).toThrow(TypeError)
    expect(() => decoded({ n: 1n }, 2)).toThrow(TypeError)
    expect(() => decoded(Array.from({ length: 5000 }, () => ({ n: 1n })))).toThrow(TypeError)
  })

  it('leave out what Object.prototype would lend to for … in, as JSON.stringify does', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.lent = 'no'
    try {
      expectSame({ a: 1, b: [{ c: 2 }], d: Array.from({ length: 5000 }, (_, i) => ({ i })) }, 2)
    } finally {
      delete proto.lent
    }
  })

  it('decode UTF-8 as TextDecoder does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(utf8Text(new TextEncoder().encode(s))).toBe(s)
      }),
    )
  })

  it('yield pieces of about a megabyte, never the whole of a large array', () => {
    const spans = Array.from({ length: 60_000 }, (_, i) => ({
      start: i,
      end: i + 1,
      state: 'guest',
    }))
    const chunks = [...jsonChunks({ spans }, 2)]
    expect(chunks.length).toBeGreaterThan(3)
    for (const c of chunks) expect(c.length).toBeLessThan(CHUNK_CHARS + 4096)
    const bytes = [...jsonBytes({ spans }, 2)]
    expect(bytes.length).toBe(chunks.length)
    for (const b of bytes) expect(b.length).toBeLessThan(CHUNK_BYTES + 4096)
  })
})
