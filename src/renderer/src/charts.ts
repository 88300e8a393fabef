/**
 * ECharts, tree-shaken: only the parts the lab draws with. The timeline makes its chart through
 * an injectable factory, so component tests can hand it a recorder (happy-dom has no canvas).
 */
import { CustomChart } from 'echarts/charts'
import {
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components'
import { graphic, init, use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import type { InjectionKey } from 'vue'
import { registerNumberPath, type ShapeRegistry } from '../../shared/charts/numberPath'

use([
  CustomChart,
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
])
// The timeline's span boxes, marks and arrows come as numbers (numberPath.ts).
registerNumberPath(graphic as unknown as ShapeRegistry)

/** The part of an ECharts instance the timeline uses. */
export interface ChartHandle {
  setOption(
    option: Record<string, unknown>,
    opts?: { notMerge?: boolean; lazyUpdate?: boolean; replaceMerge?: string[] },
  ): void
  resize(size?: { width?: number; height?: number }): void
  /** Paints now instead of on the next animation frame (for frame-time measurement). */
  flush(): void
  dispose(): void
}

export type ChartFactory = (el: HTMLElement, size: { width: number; height: number }) => ChartHandle

export const canvasChart: ChartFactory = (el, size) => {
  const chart = init(el, null, { renderer: 'canvas', ...size })
  return {
    setOption: (o, opts) => chart.setOption(o, opts),
    resize: (s) => chart.resize(s),
    flush: () => chart.getZr().flush(),
    dispose: () => chart.dispose(),
  }
}

export const CHART_FACTORY: InjectionKey<ChartFactory> = Symbol('chart factory')

/**
 * A layout's item tooltip kept inside the window: ECharts places it by the chart's own box and,
 * when it is wider than the room right of the pointer, flips it left of the chart, off the
 * window (the Xen map's hypercall lines at 1440 and 1280 px). This places it right of the pointer,
 * else left of it, else against the window's edge; below the pointer, else above it.
 */
export function tooltipInViewport(
  option: Record<string, unknown>,
  chartEl: () => HTMLElement | null | undefined,
): Record<string, unknown> {
  const tooltip = option.tooltip as Record<string, unknown> | undefined
  if (!tooltip) return option
  const position = (
    point: [number, number],
    _params: unknown,
    _dom: unknown,
    _rect: unknown,
    size: { contentSize: [number, number] },
  ): [number, number] => {
    const el = chartEl()
    const [w, h] = size.contentSize
    if (!el) return [point[0] + 16, point[1] + 16]
    const r = el.getBoundingClientRect()
    const vw = document.documentElement.clientWidth
    const vh = document.documentElement.clientHeight
    const margin = 8
    const px = r.left + point[0]
    const py = r.top + point[1]
    let x = px + 16
    if (x + w > vw - margin) x = px - 16 - w
    if (x < margin) x = Math.max(margin, vw - margin - w)
    let y = py + 16
    if (y + h > vh - margin) y = py - 16 - h
    if (y < margin) y = Math.max(margin, Math.min(py + 16, vh - margin - h))
    return [x - r.left, y - r.top]
  }
  return { ...option, tooltip: { ...tooltip, position } }
}
