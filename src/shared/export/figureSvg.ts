/**
 * A figure as an SVG document through ECharts' server-side mode (`ssr: true`, no DOM). The ECharts
 * `init` comes from the caller (the page's tree-shaken `echarts/core`, or the full package in
 * Node), since shared code imports no chart library itself.
 */
import type { ChartOption } from '../charts/palette'
import type { Figure } from './figures'

export interface SsrChart {
  setOption(option: ChartOption): void
  renderToSVGString(): string
  dispose(): void
}

export type SsrInit = (
  dom: null,
  theme: null,
  opts: { renderer: 'svg'; ssr: true; width: number; height: number },
) => SsrChart

export function figureSvgWith(init: SsrInit, fig: Figure): string {
  const chart = init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: fig.width,
    height: fig.height,
  })
  try {
    chart.setOption({ ...fig.option, animation: false })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}
