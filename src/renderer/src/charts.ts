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
import { init, use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import type { InjectionKey } from 'vue'

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
