/**
 * A packed run as one run of bytes, for a carrier that cannot hand over the columns themselves
 * (an HTTP body, an Electron IPC answer):
 *
 *   bytes 0-3   "VLPR"
 *   bytes 4-7   the head's length in bytes, a little-endian uint32
 *   then        the head (PackedHead) as UTF-8 JSON, padded with spaces to a multiple of 8
 *   then        each column's bytes in order, each padded with zeros to a multiple of 8
 *
 * Every column starts at a multiple of 8 from the start, so the reader makes each one a typed
 * array over the received buffer, without copying. The UTF-8 codec is the caller's (src/shared
 * has neither Node's nor the DOM's).
 */
import { concatBytes } from '../bytes'
import type { Column, ColumnType } from './records'
import { LITTLE_ENDIAN, type PackedHead, type PackedRun } from './packedRun'

export const FRAME_CONTENT_TYPE = 'application/octet-stream'
const MAGIC = [0x56, 0x4c, 0x50, 0x52]

const pad8 = (n: number) => (8 - (n % 8)) % 8

/** The frame's pieces in order (views of the columns, not copies): write them one after another. */
export function framePieces(p: PackedRun, utf8: (text: string) => Uint8Array): Uint8Array[] {
  let head = utf8(JSON.stringify(p.head))
  const extra = pad8(8 + head.length)
  if (extra > 0) {
    const padded = new Uint8Array(head.length + extra).fill(0x20)
    padded.set(head)
    head = padded
  }
  const start = new Uint8Array(8)
  start.set(MAGIC)
  new DataView(start.buffer).setUint32(4, head.length, true)
  const pieces = [start, head]
  for (const c of p.columns) {
    pieces.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength))
    if (pad8(c.byteLength) > 0) pieces.push(new Uint8Array(pad8(c.byteLength)))
  }
  return pieces
}

/** The whole frame in one array (one copy of the columns). */
export function frameBytes(p: PackedRun, utf8: (text: string) => Uint8Array): Uint8Array {
  return concatBytes(framePieces(p, utf8))
}

const ARRAYS: Record<ColumnType, { new (b: ArrayBuffer, o: number, n: number): Column }> = {
  i32: Int32Array,
  f64: Float64Array,
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
}
const SIZES: Record<ColumnType, number> = { i32: 4, f64: 8, u8: 1, u16: 2, u32: 4 }

/**
 * The packed run a frame holds, its columns views over `bytes`' buffer (copied once first when
 * `bytes` does not start at a multiple of 8). Throws, saying what is wrong, on bytes that are not
 * a whole frame.
 */
export function readFrame(bytes: Uint8Array, text: (utf8: Uint8Array) => string): PackedRun {
  const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice()
  if (b.length < 8 || MAGIC.some((m, i) => b[i] !== m)) throw new Error('not a packed run frame')
  const headLength = new DataView(b.buffer, b.byteOffset, 8).getUint32(4, true)
  if (8 + headLength > b.length) throw new Error('a packed run frame cut short in its head')
  const head = JSON.parse(text(b.subarray(8, 8 + headLength))) as PackedHead
  if (head.littleEndian !== LITTLE_ENDIAN) throw new Error('a packed run of the other byte order')
  let at = b.byteOffset + 8 + headLength
  const columns = (head.columns ?? []).map(({ type, length }) => {
    const C = ARRAYS[type]
    const size = SIZES[type] * length
    if (!C || at + size > b.byteOffset + b.length) {
      throw new Error('a packed run frame cut short in its columns')
    }
    const c = new C(b.buffer as ArrayBuffer, at, length)
    at += size + pad8(size)
    return c
  })
  return { head, columns }
}
