/**
 * A small protocol-buffer encoder: the wire format of protobuf.dev/programming-guides/encoding
 * (varints, 64-bit little-endian, length-delimited), for writers that know their messages' field
 * numbers (the Perfetto trace, perfetto.ts). Pure TypeScript: this folder runs everywhere.
 *
 * A message is written into a `ProtoWriter` and then embedded in its parent with `message()`
 * (tag, length, bytes), so a writer per nesting depth, reused from message to message, is all a
 * writer of many small messages needs.
 */

/** Wire types (encoding guide, "Message Structure"). */
export const VARINT = 0
export const I64 = 1
export const LEN = 2

const TWO_32 = 2 ** 32

export class ProtoWriter {
  buf: Uint8Array
  pos = 0
  private readonly f64 = new Float64Array(1)
  private readonly f64Bytes = new Uint8Array(this.f64.buffer)

  constructor(size = 256) {
    this.buf = new Uint8Array(size)
  }

  reset(): this {
    this.pos = 0
    return this
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos)
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
  }

  /** A non-negative integer up to 2^53 as a varint. */
  varint(v: number): this {
    this.room(10)
    const b = this.buf
    let p = this.pos
    if (v < 0x80) {
      b[p++] = v
    } else {
      while (v >= TWO_32) {
        b[p++] = (v % 0x80) | 0x80
        v = Math.floor(v / 0x80)
      }
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80
        v >>>= 7
      }
      b[p++] = v
    }
    this.pos = p
    return this
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType)
  }

  /** A uint32/uint64/enum/bool field (a non-negative integer). */
  uint(field: number, v: number): this {
    return this.tag(field, VARINT).varint(v)
  }

  /** An int32/int64 field: a negative value is its 64-bit two's complement, ten bytes. */
  int(field: number, v: number): this {
    if (v >= 0) return this.uint(field, v)
    this.tag(field, VARINT)
    let big = BigInt.asUintN(64, BigInt(v))
    this.room(10)
    while (big >= 0x80n) {
      this.buf[this.pos++] = Number(big & 0x7fn) | 0x80
      big >>= 7n
    }
    this.buf[this.pos++] = Number(big)
    return this
  }

  bool(field: number, v: boolean): this {
    return this.uint(field, v ? 1 : 0)
  }

  /** A double field: IEEE 754, little-endian. */
  double(field: number, v: number): this {
    this.tag(field, I64)
    this.room(8)
    this.f64[0] = v
    // Float64Array is in the platform's byte order; the wire's is little-endian.
    if (LITTLE_ENDIAN) this.buf.set(this.f64Bytes, this.pos)
    else for (let i = 0; i < 8; i++) this.buf[this.pos + i] = this.f64Bytes[7 - i] as number
    this.pos += 8
    return this
  }

  /** A fixed64 field holding a non-negative integer up to 2^53. */
  fixed64(field: number, v: number): this {
    this.tag(field, I64)
    this.room(8)
    const lo = v % TWO_32
    const hi = Math.floor(v / TWO_32)
    const b = this.buf
    const p = this.pos
    b[p] = lo & 0xff
    b[p + 1] = (lo >>> 8) & 0xff
    b[p + 2] = (lo >>> 16) & 0xff
    b[p + 3] = lo >>> 24
    b[p + 4] = hi & 0xff
    b[p + 5] = (hi >>> 8) & 0xff
    b[p + 6] = (hi >>> 16) & 0xff
    b[p + 7] = hi >>> 24
    this.pos = p + 8
    return this
  }

  /** A bytes field, or an embedded message already encoded. */
  bytes(field: number, data: Uint8Array): this {
    return this.raw(field, data, data.length)
  }

  /** A length-delimited field of the first `n` bytes of `data`. */
  private raw(field: number, data: Uint8Array, n: number): this {
    this.tag(field, LEN).varint(n)
    this.room(n)
    const b = this.buf
    const p = this.pos
    // Most messages here are a few dozen bytes: a loop beats a view and a copy.
    if (n < 64) for (let i = 0; i < n; i++) b[p + i] = data[i] as number
    else b.set(data.subarray(0, n), p)
    this.pos = p + n
    return this
  }

  /** A string field, in UTF-8. */
  string(field: number, s: string): this {
    return this.bytes(field, utf8(s))
  }

  /** An embedded message: what `inner` holds. */
  message(field: number, inner: ProtoWriter): this {
    return this.raw(field, inner.buf, inner.pos)
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * `s` in UTF-8, as TextEncoder writes it (a lone surrogate as U+FFFD), without one: this folder
 * runs everywhere, and its TypeScript library has no TextEncoder.
 */
export function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 3)
  let n = 0
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      out[n++] = c
      continue
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6)
      out[n++] = 0x80 | (c & 0x3f)
      continue
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1)
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        i++
        out[n++] = 0xf0 | (c >> 18)
        out[n++] = 0x80 | ((c >> 12) & 0x3f)
        out[n++] = 0x80 | ((c >> 6) & 0x3f)
        out[n++] = 0x80 | (c & 0x3f)
        continue
      }
      c = 0xfffd
    }
    out[n++] = 0xe0 | (c >> 12)
    out[n++] = 0x80 | ((c >> 6) & 0x3f)
    out[n++] = 0x80 | (c & 0x3f)
  }
  return out.subarray(0, n)
}
