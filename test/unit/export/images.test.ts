/** Headless figures: the SVG parses, the PNG decodes at twice the SVG's size, the report is whole. */
import { Resvg } from '@resvg/resvg-js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { figureSvg, svgToPng } from '../../../src/services/chartRender'
import { runDocument } from '../../../src/services/runDocument'
import { PRESETS_DIR } from '../../../src/services/paths'
import { LIGHT } from '../../../src/shared/charts/palette'
import { runFigures, stackSvg } from '../../../src/shared/export/figures'
import { buildReportHtml } from '../../../src/shared/export/report'
import type { RunResult } from '../../../src/shared/result'

function preset(id: string): RunResult {
  const r = runDocument(JSON.parse(readFileSync(join(PRESETS_DIR, `${id}.json`), 'utf8')))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** Decodes a PNG far enough to prove it is one: signature, IHDR size, and the image data inflates to it. */
function decodePng(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let off = 8
  let width = 0
  let height = 0
  let bytesPerPixel = 4
  const idat: Buffer[] = []
  while (off < png.length) {
    const len = png.readUInt32BE(off)
    const type = png.toString('ascii', off + 4, off + 8)
    const data = png.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      bytesPerPixel = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 1
    } else if (type === 'IDAT') idat.push(data)
    off += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  expect(raw.length).toBe(height * (1 + width * bytesPerPixel))
  return { width, height }
}

describe.each(['book3s-power8-doorbell-first-come', 'xen-arm-regression-minus-one'])(
  'figures of %s',
  (id) => {
    const r = preset(id)
    const figures = runFigures(r, { palette: LIGHT })
    const parts = figures.map((f) => ({ svg: figureSvg(f), width: f.width, height: f.height }))
    const stacked = stackSvg(parts, LIGHT.background)

    it('draws the layout and the timeline with the scenario name in each', () => {
      expect(figures.map((f) => f.id)).toEqual(['layout', 'timeline'])
      for (const p of parts)
        expect(p.svg).toContain(r.scenario.name.replace(/&/g, '&amp;').slice(0, 20))
    })

    it('stacks them into one SVG that resvg parses, at the width of the widest and the sum of the heights', () => {
      const w = Math.max(...parts.map((p) => p.width))
      const h = parts.reduce((s, p) => s + p.height, 0) + 16 * (parts.length - 1)
      const parsed = new Resvg(stacked)
      expect([parsed.width, parsed.height]).toEqual([w, h])
    })

    it('renders a PNG that decodes at twice that size', () => {
      const png = svgToPng(stacked, 2)
      const size = decodePng(png.data)
      expect(size).toEqual({
        width: Math.round(new Resvg(stacked).width * 2),
        height: Math.round(new Resvg(stacked).height * 2),
      })
    })

    it('builds a report with the figures, every check and no script', () => {
      const html = buildReportHtml({
        result: r,
        figures: parts.map((p, i) => ({ caption: figures[i]!.caption, svg: p.svg })),
        generatedBy: 'test',
      })
      expect(html.startsWith('<!doctype html>')).toBe(true)
      expect(html).not.toMatch(/<script/i)
      expect((html.match(/<svg\b/g) ?? []).length).toBeGreaterThanOrEqual(2)
      for (const c of r.checks)
        expect(html).toContain(c.source.replace(/&/g, '&amp;').replace(/"/g, '&quot;').slice(0, 25))
    })
  },
)
