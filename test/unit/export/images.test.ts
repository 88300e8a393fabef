/** Headless figures: the SVG parses, the PNG decodes at twice the SVG's size, the report is whole. */
import { Resvg } from '@resvg/resvg-js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { figureSvg, svgToPng } from '../../../src/services/chartRender'
import { runDocument } from '../../../src/services/runDocument'
import { PRESETS_DIR } from '../../../src/services/paths'
import { LIGHT } from '../../../src/shared/charts/palette'
import { runFigures, stackSvg } from '../../../src/shared/export/figures'
import { buildReportHtml } from '../../../src/shared/export/report'
import type { RunResult } from '../../../src/shared/result'
import { decodePng } from '../../support/png'

function preset(id: string): RunResult {
  const r = runDocument(JSON.parse(readFileSync(join(PRESETS_DIR, `${id}.json`), 'utf8')))
  if (!r.ok) throw new Error(r.error.message)
  return r.value
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
      expect(size).toMatchObject({
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
