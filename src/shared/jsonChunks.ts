/**
 * JSON text in pieces: the same characters as `JSON.stringify(value, null, indent)`, yielded as
 * chunks of about a megabyte so that no one string holds a whole run (a large Xen run's result is
 * past V8's 512 MB string limit; JSON.stringify then fails with "Invalid string length").
 *
 * `jsonBytes` writes the text as UTF-8 straight into chunk buffers (what `lab run --out` writes to
 * its file); `jsonChunks` gives the same text as strings (stdout, the browser host's answers).
 * Plain objects, arrays, strings, numbers, booleans and null are written here, as JSON.stringify
 * writes them: keys in the object's own order, omitted members (undefined, a function, a symbol)
 * left out of objects and null in arrays, numbers as `String(n)` (a non-finite one as null),
 * strings escaped by JSON.stringify unless they are printable ASCII with no `"` or `\`. Anything
 * else (a value with toJSON such as a Date, a boxed primitive, a Map, a class instance, a BigInt,
 * a subtree past 64 levels) is handed to JSON.stringify whole and re-indented to its depth, so the
 * text is JSON.stringify's own: test/unit/jsonChunks.test.ts holds the two equal on random values,
 * every preset's run and both large bench cases.
 */
import { utf8 } from './export/protobuf'

export const CHUNK_CHARS = 1 << 20
/** A chunk of `jsonBytes` ends after the element that takes it past this many bytes. */
export const CHUNK_BYTES = 1 << 20

/** Arrays longer than this are walked element by element, a chunk possibly ending between two. */
const LONG_ARRAY = 32
/** Elements of arrays longer than this are never walked into (an event is written whole). */
const MANY = 4096
/** Objects this deep or deeper are written whole unless they hold long arrays above. */
const DEEP = 4
/** Deeper than this, a value is JSON.stringify's (which also finds a cycle there). */
const MAX_LEVEL = 64

const QUOTE = 34
const COMMA = 44

/** JSON.stringify's own output for `value` at `pad` (its continuation lines shifted by `pad`). */
function whole(value: unknown, gap: string, pad: string): string {
  // undefined for a lone undefined or function, as JSON.stringify gives: no text at all.
  const text = (JSON.stringify(value, null, gap || undefined) as string | undefined) ?? ''
  // A string's newlines are escaped in JSON, so every raw newline is JSON.stringify's own.
  return !gap || !pad ? text : text.replace(/\n/g, `\n${pad}`)
}

function plain(value: object): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol'

/** Whether `for … in` on a plain object gives its own keys only (nothing enumerable inherited). */
function ownKeysOnly(): boolean {
  for (const _ in {}) return false
  return true
}

/** Decimal digits of `v`, an integer from 0 to 2^31. */
function digitCount(v: number): number {
  if (v < 10000) return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4
  if (v < 1e8) return v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : 8
  return v < 1e9 ? 9 : 10
}

/** UTF-8 JSON text written into a buffer that grows when an element needs it. */
class Writer {
  buf = new Uint8Array(CHUNK_BYTES + (CHUNK_BYTES >> 4))
  pos = 0
  /** `\n` and the indentation of each level. */
  private readonly pads: Uint8Array[] = []
  /** `\n`, the indentation, the quoted key and `: ` of each key at each level. */
  private readonly keys: Map<string, Uint8Array>[] = []
  /** Objects are written here only when `for … in` gives exactly Object.keys. */
  private readonly objects = ownKeysOnly()

  constructor(readonly gap: string) {}

  /** The bytes written so far, and a fresh buffer for the next. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos)
    this.buf = new Uint8Array(this.buf.length)
    this.pos = 0
    return out
  }

  room(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n))
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
  }

  byte(c: number): void {
    this.room(1)
    this.buf[this.pos++] = c
  }

  bytes(b: Uint8Array): void {
    const n = b.length
    this.room(n)
    const buf = this.buf
    let p = this.pos
    // A loop copies the shortest pieces faster than a call to set.
    if (n < 8) for (let i = 0; i < n; i++) buf[p++] = b[i] as number
    else {
      buf.set(b, p)
      p += n
    }
    this.pos = p
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    const n = s.length
    this.room(n * 3)
    const buf = this.buf
    let p = this.pos
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) {
        this.pos = p
        return this.bytes(utf8(s.slice(i)))
      }
      buf[p++] = c
    }
    this.pos = p
  }

  newline(level: number): void {
    if (!this.gap) return
    this.bytes(this.pads[level] ?? (this.pads[level] = utf8(`\n${this.gap.repeat(level)}`)))
  }

  /** A key and its colon, on a line of its own at `level` when indented. */
  key(k: string, level: number): void {
    const known = this.keys[level] ?? (this.keys[level] = new Map())
    let b = known.get(k)
    if (!b) {
      const quoted = JSON.stringify(k)
      b = utf8(this.gap ? `\n${this.gap.repeat(level)}${quoted}: ` : `${quoted}:`)
      known.set(k, b)
    }
    this.bytes(b)
  }

  /** A string as JSON.stringify quotes it: printable ASCII as it is, anything else escaped by it. */
  string(s: string): void {
    const n = s.length
    this.room(n + 2)
    const buf = this.buf
    let p = this.pos
    buf[p++] = QUOTE
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c < 0x20 || c === QUOTE || c === 0x5c || c >= 0x80) return this.text(JSON.stringify(s))
      buf[p++] = c
    }
    buf[p++] = QUOTE
    this.pos = p
  }

  number(v: number): void {
    if ((v | 0) === v) this.int(v)
    else this.text(Number.isFinite(v) ? String(v) : 'null')
  }

  /** A 32-bit integer's decimal digits (-0 as 0, as String gives). */
  private int(v: number): void {
    this.room(11)
    const buf = this.buf
    if (v < 0) {
      buf[this.pos++] = 45
      v = -v
    }
    let p = this.pos + digitCount(v)
    this.pos = p
    do {
      const q = (v / 10) >>> 0
      buf[--p] = 48 + v - q * 10
      v = q
    } while (v > 0)
  }

  /** Any value but an omitted one, at `level`. */
  value(v: unknown, level: number): void {
    switch (typeof v) {
      case 'string':
        return this.string(v)
      case 'number':
        return this.number(v)
      case 'boolean':
        return this.text(v ? 'true' : 'false')
      case 'object':
        if (v === null) return this.text('null')
        if (level < MAX_LEVEL && plain(v)) {
          if (Array.isArray(v)) return this.array(v, level)
          if (this.objects) return this.object(v as Record<string, unknown>, level)
        }
    }
    this.text(whole(v, this.gap, this.gap.repeat(level)))
  }

  private array(a: unknown[], level: number): void {
    if (a.length === 0) return this.text('[]')
    this.byte(91)
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.byte(COMMA)
      this.newline(level + 1)
      const v = a[i]
      if (omitted(v)) this.text('null')
      else this.value(v, level + 1)
    }
    this.newline(level)
    this.byte(93)
  }

  private object(o: Record<string, unknown>, level: number): void {
    this.byte(123)
    let first = true
    for (const k in o) {
      const v = o[k]
      if (omitted(v)) continue
      if (!first) this.byte(COMMA)
      first = false
      this.key(k, level + 1)
      this.value(v, level + 1)
    }
    if (!first) this.newline(level)
    this.byte(125)
  }
}

/** The JSON text of `value` as UTF-8, in chunks of about CHUNK_BYTES (none empty). */
export function* jsonBytes(value: unknown, indent = 0): Generator<Uint8Array> {
  const w = new Writer(' '.repeat(Math.max(0, Math.min(10, Math.floor(indent)))))
  if (!omitted(value)) yield* walk(w, value, 0, false)
  if (w.pos > 0) yield w.take()
}

/**
 * The same text as strings, of about CHUNK_CHARS characters: each of jsonBytes' chunks decoded
 * (a chunk ends after a whole value, never inside a character).
 */
export function* jsonChunks(value: unknown, indent = 0): Generator<string> {
  for (const bytes of jsonBytes(value, indent)) yield utf8Text(bytes)
}

/** UTF-8 as text, without a TextDecoder (this folder runs everywhere); `bytes` is well formed. */
export function utf8Text(bytes: Uint8Array): string {
  const parts: string[] = []
  let i = 0
  while (i < bytes.length) {
    // A run of ASCII at once (most of a JSON text), then one character of more bytes.
    let j = i
    while (j < bytes.length && j - i < 8192 && (bytes[j] as number) < 0x80) j++
    if (j > i) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, j) as never))
    i = j
    if (i >= bytes.length || (bytes[i] as number) < 0x80) continue
    const b = bytes[i] as number
    const n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4
    let c = b & (0xff >> (n + 1))
    for (let k = 1; k < n; k++) c = (c << 6) | ((bytes[i + k] as number) & 0x3f)
    i += n
    parts.push(String.fromCodePoint(c))
  }
  return parts.join('')
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
export function* withNewline<T>(chunks: Iterable<T>): Generator<T | string> {
  yield* chunks
  yield '\n'
}

/** A container whose members are written one by one, so that a chunk may end between two. */
function walks(value: unknown, level: number, oneOfMany: boolean): value is object {
  if (typeof value !== 'object' || value === null || level >= MAX_LEVEL || !plain(value)) {
    return false
  }
  return Array.isArray(value) ? value.length > LONG_ARRAY : !oneOfMany && level < DEEP
}

/** Writes `value` at `level`, yielding a chunk whenever one is full. */
function* walk(
  w: Writer,
  value: unknown,
  level: number,
  oneOfMany: boolean,
): Generator<Uint8Array> {
  if (!walks(value, level, oneOfMany)) {
    w.value(value, level)
    if (w.pos >= CHUNK_BYTES) yield w.take()
    return
  }
  if (Array.isArray(value)) {
    const many = value.length > MANY
    w.byte(91)
    for (let i = 0; i < value.length; i++) {
      if (i > 0) w.byte(COMMA)
      w.newline(level + 1)
      const v: unknown = value[i]
      if (omitted(v)) w.text('null')
      else if (walks(v, level + 1, many)) yield* walk(w, v, level + 1, many)
      else {
        // An element written here, without a generator of its own: the hot path of a large run.
        w.value(v, level + 1)
        if (w.pos >= CHUNK_BYTES) yield w.take()
      }
    }
    w.newline(level)
    w.byte(93)
    return
  }
  const o = value as Record<string, unknown>
  let first = true
  w.byte(123)
  for (const key of Object.keys(o)) {
    const v = o[key]
    if (omitted(v)) continue
    if (!first) w.byte(COMMA)
    first = false
    w.key(key, level + 1)
    yield* walk(w, v, level + 1, false)
  }
  if (!first) w.newline(level)
  w.byte(125)
}
