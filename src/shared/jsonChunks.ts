/**
 * JSON text in pieces: the same characters as `JSON.stringify(value, null, indent)`, yielded as
 * chunks of about `CHUNK_CHARS` so that no one string holds a whole run (a large Xen run's result
 * is past V8's 512 MB string limit; JSON.stringify then fails with "Invalid string length").
 *
 * It walks the containers a result is made of (the document, its sections, long arrays) and hands
 * each small piece (an event, a span, a short array) to JSON.stringify, re-indented to its depth.
 * A value JSON.stringify treats specially (toJSON, a boxed primitive, a Map) is always handed over
 * whole, so the text is JSON.stringify's own.
 */
export const CHUNK_CHARS = 1 << 20

/** Arrays longer than this are walked element by element; shorter ones are one piece. */
const LONG_ARRAY = 32
/** Elements of arrays longer than this are never walked into (an event is one piece). */
const MANY = 4096
/** Objects this deep or deeper are one piece unless they hold long arrays above. */
const DEEP = 4

export function* jsonChunks(value: unknown, indent = 0): Generator<string> {
  yield* inChunks(pieces(value, indent, '', 0, false))
}

/**
 * Small pieces of text joined into chunks of about `size` characters (the last may be shorter;
 * none is empty): what the writers of large exports yield (trace.ts, csv.ts).
 */
export function* inChunks(pieces: Iterable<string>, size = CHUNK_CHARS): Generator<string> {
  let buf: string[] = []
  let length = 0
  for (const piece of pieces) {
    buf.push(piece)
    length += piece.length
    if (length >= size) {
      yield buf.join('')
      buf = []
      length = 0
    }
  }
  if (length > 0) yield buf.join('')
}

/** `chunks`, then a newline: a file or a terminal's last line. */
export function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks
  yield '\n'
}

/** JSON.stringify's own output for `value` at `pad` (its continuation lines shifted by `pad`). */
function whole(value: unknown, indent: number, pad: string): string {
  // undefined for a lone undefined or function, as JSON.stringify gives: no text at all.
  const text = (JSON.stringify(value, null, indent || undefined) as string | undefined) ?? ''
  // A string's newlines are escaped in JSON, so every raw newline is JSON.stringify's own.
  return !indent || !pad ? text : text.replace(/\n/g, `\n${pad}`)
}

function plain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol'

function* pieces(
  value: unknown,
  indent: number,
  pad: string,
  depth: number,
  oneOfMany: boolean,
): Generator<string> {
  const walk =
    plain(value) && (Array.isArray(value) ? value.length > LONG_ARRAY : !oneOfMany && depth < DEEP)
  if (!walk) {
    yield whole(value, indent, pad)
    return
  }
  const inner = indent ? pad + ' '.repeat(indent) : ''
  const open = indent ? `\n${inner}` : ''
  const close = indent ? `\n${pad}` : ''
  const colon = indent ? ': ' : ':'
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]'
    const many = value.length > MANY
    yield '['
    for (let i = 0; i < value.length; i++) {
      yield i === 0 ? open : `,${open}`
      const v: unknown = value[i]
      if (omitted(v)) yield 'null'
      else yield* pieces(v, indent, inner, depth + 1, many)
    }
    yield `${close}]`
    return
  }
  let first = true
  for (const key of Object.keys(value)) {
    const v = value[key]
    if (omitted(v)) continue
    yield `${first ? '{' : ','}${open}${JSON.stringify(key)}${colon}`
    first = false
    yield* pieces(v, indent, inner, depth + 1, false)
  }
  yield first ? '{}' : `${close}}`
}
