/**
 * Figures drawn server-side: ECharts' SSR mode turns an option into an SVG string with no DOM
 * (`init(null, null, {renderer: 'svg', ssr: true})`), and resvg turns the SVG into a PNG, here at
 * twice the size so text stays crisp. Used by `lab export` and the report; the app draws the same
 * options on a canvas.
 */
import { Resvg } from '@resvg/resvg-js'
import * as echarts from 'echarts'
import type { Figure } from '../shared/export/figures'
import { figureSvgWith, type SsrInit } from '../shared/export/figureSvg'
import { registerNumberPath, type ShapeRegistry } from '../shared/charts/numberPath'

registerNumberPath(echarts.graphic as unknown as ShapeRegistry)

export function figureSvg(fig: Figure): string {
  return figureSvgWith(echarts.init as unknown as SsrInit, fig)
}

export interface PngImage {
  data: Buffer
  width: number
  height: number
}

/** The SVG as a PNG at `scale` times its size, on `background`, with the system's DejaVu Sans. */
export function svgToPng(svg: string, scale = 2, background = '#ffffff'): PngImage {
  const resvg = new Resvg(svg, {
    background,
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
  const image = resvg.render()
  return { data: image.asPng(), width: image.width, height: image.height }
}
