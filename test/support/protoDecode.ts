/**
 * A minimal protocol-buffer wire-format reader, for tests: it knows no schema, only the wire
 * (protobuf.dev/programming-guides/encoding): each field's number, wire type and raw value. It is
 * written apart from src/shared/export/protobuf.ts so that the writer is checked by a reader that
 * shares none of its code.
 */

export interface WireField {
  field: number
  /** 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit (groups, 3 and 4, are refused). */
  wire: number
  /** A varint or fixed64 as an unsigned 64-bit integer. */
  int?: bigint
  /** A length-delimited field's bytes (a string, bytes, an embedded message or a packed array). */
  bytes?: Uint8Array
  /** The 8 bytes of a 64-bit field or the 4 of a 32-bit one, little-endian. */
  raw?: Uint8Array
}

/** Every field of one message, in order; throws on a malformed or truncated message. */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = []
  let pos = 0
  const varint = (): bigint => {
    let v = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length) throw new Error(`truncated varint at ${pos}`)
      if (shift > 63n) throw new Error(`varint longer than 10 bytes at ${pos}`)
      const b = buf[pos++] as number
      v |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return v
    }
  }
  const take = (n: number): Uint8Array => {
    if (pos + n > buf.length) throw new Error(`field of ${n} bytes runs past the end at ${pos}`)
    const bytes = buf.subarray(pos, pos + n)
    pos += n
    return bytes
  }
  while (pos < buf.length) {
    const key = varint()
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (field === 0) throw new Error(`field number 0 at ${pos}`)
    if (wire === 0) out.push({ field, wire, int: varint() })
    else if (wire === 1) {
      const raw = take(8)
      out.push({
        field,
        wire,
        raw,
        int: new DataView(raw.buffer, raw.byteOffset).getBigUint64(0, true),
      })
    } else if (wire === 2) out.push({ field, wire, bytes: take(Number(varint())) })
    else if (wire === 5) out.push({ field, wire, raw: take(4) })
    else throw new Error(`wire type ${wire} at ${pos}`)
  }
  return out
}

/** A message's fields by number, for readers that look fields up. */
export class Message {
  readonly fields: WireField[]
  constructor(readonly bytes: Uint8Array) {
    this.fields = readFields(bytes)
  }

  all(field: number): WireField[] {
    return this.fields.filter((f) => f.field === field)
  }

  has(field: number): boolean {
    return this.fields.some((f) => f.field === field)
  }

  /** The last occurrence of a scalar field (protobuf's rule for a repeated scalar read once). */
  private last(field: number): WireField | undefined {
    const all = this.all(field)
    return all[all.length - 1]
  }

  /** A varint (uint32/uint64/enum/bool) as a number; undefined when absent. */
  uint(field: number): number | undefined {
    const f = this.last(field)
    if (!f) return undefined
    if (f.wire !== 0) throw new Error(`field ${field}: wire type ${f.wire}, not a varint`)
    return Number(f.int)
  }

  /** An int64 varint, its two's complement read back to a signed number. */
  int(field: number): number | undefined {
    const f = this.last(field)
    if (!f) return undefined
    if (f.wire !== 0) throw new Error(`field ${field}: wire type ${f.wire}, not a varint`)
    return Number(BigInt.asIntN(64, f.int as bigint))
  }

  double(field: number): number | undefined {
    const f = this.last(field)
    if (!f) return undefined
    if (f.wire !== 1) throw new Error(`field ${field}: wire type ${f.wire}, not 64-bit`)
    const raw = f.raw as Uint8Array
    return new DataView(raw.buffer, raw.byteOffset).getFloat64(0, true)
  }

  /** Every value of a repeated fixed64 field (unpacked, proto2's default). */
  fixed64s(field: number): number[] {
    return this.all(field).map((f) => {
      if (f.wire !== 1) throw new Error(`field ${field}: wire type ${f.wire}, not 64-bit`)
      return Number(f.int)
    })
  }

  /** Every value of a repeated varint field, unpacked or packed. */
  uints(field: number): number[] {
    return this.all(field).flatMap((f) =>
      f.wire === 2 ? readPacked(f.bytes as Uint8Array) : [Number(f.int)],
    )
  }

  string(field: number): string | undefined {
    const f = this.last(field)
    if (!f) return undefined
    if (f.wire !== 2) throw new Error(`field ${field}: wire type ${f.wire}, not length-delimited`)
    return new TextDecoder('utf-8', { fatal: true }).decode(f.bytes)
  }

  message(field: number): Message | undefined {
    const f = this.last(field)
    return f ? new Message(f.bytes as Uint8Array) : undefined
  }

  messages(field: number): Message[] {
    return this.all(field).map((f) => new Message(f.bytes as Uint8Array))
  }
}

function readPacked(bytes: Uint8Array): number[] {
  const out: number[] = []
  let v = 0n
  let shift = 0n
  for (const b of bytes) {
    v |= BigInt(b & 0x7f) << shift
    shift += 7n
    if (b < 0x80) {
      out.push(Number(v))
      v = 0n
      shift = 0n
    }
  }
  return out
}
