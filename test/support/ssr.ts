/** ECharts server-side rendering (SVG) for tests of the chart option builders. */
import { CustomChart } from 'echarts/charts'
import {
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components'
import { init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

use([
  CustomChart,
  AriaComponent,
  GraphicComponent,
  GridComponent,
  TitleComponent,
  TooltipComponent,
  SVGRenderer,
])

export function renderSvg(option: Record<string, unknown>, width: number, height: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption(option)
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}
