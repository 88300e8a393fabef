/**
 * The shared figures (src/shared/export/figures.ts) as image files, drawn in the page: SVG through
 * ECharts' server-side mode, which needs no DOM, and PNG from an offscreen canvas chart at twice
 * the figure's size, so text stays crisp. `lab export` draws the same options in Node.
 */
import { init } from 'echarts/core'
import type { Figure } from '../../../shared/export/figures'
import { figureSvgWith, type SsrInit } from '../../../shared/export/figureSvg'
import '../charts'

/** The figure as an SVG document. */
export function figureSvg(fig: Figure): string {
  return figureSvgWith(init as unknown as SsrInit, fig)
}

/** The figure as a PNG of `scale` × its size, on `background`, as base64 (no data: prefix). */
export function figurePngBase64(fig: Figure, background: string, scale = 2): string {
  const el = document.createElement('div')
  const chart = init(el, null, {
    renderer: 'canvas',
    width: fig.width,
    height: fig.height,
    devicePixelRatio: scale,
  })
  try {
    chart.setOption({ ...fig.option, animation: false })
    const url = chart.getDataURL({ type: 'png', pixelRatio: scale, backgroundColor: background })
    return url.slice(url.indexOf(',') + 1)
  } finally {
    chart.dispose()
  }
}
