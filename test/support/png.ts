/**
 * Reads a PNG far enough to prove it is one: the signature, the IHDR header, every chunk in
 * bounds up to IEND, and image data that inflates to exactly the rows the header promises.
 */
import { inflateSync } from 'node:zlib'

export interface PngInfo {
  width: number
  height: number
  /** 2 RGB, 6 RGBA, … (PNG colour type). */
  colourType: number
  bitDepth: number
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

export function decodePng(png: Uint8Array): PngInfo {
  const buf = Buffer.from(png)
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature')
  let off = 8
  let info: PngInfo | null = null
  const idat: Buffer[] = []
  let ended = false
  while (off < buf.length && !ended) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('ascii', off + 4, off + 8)
    if (off + 12 + len > buf.length) throw new Error(`PNG chunk ${type} runs past the end`)
    const data = buf.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      info = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colourType: data[9]!,
      }
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') ended = true
    off += 12 + len
  }
  if (!info) throw new Error('PNG without IHDR')
  if (!ended) throw new Error('PNG without IEND')
  const bytesPerPixel = ((CHANNELS[info.colourType] ?? 4) * info.bitDepth) / 8
  const raw = inflateSync(Buffer.concat(idat))
  const expected = info.height * (1 + Math.ceil(info.width * bytesPerPixel))
  if (raw.length !== expected)
    throw new Error(`PNG image data is ${raw.length} bytes, not the ${expected} its header says`)
  return info
}
