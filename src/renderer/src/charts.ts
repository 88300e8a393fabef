/** ECharts, tree-shaken: only the parts the lab draws with. */
import { CustomChart } from 'echarts/charts'
import {
  AriaComponent,
  GraphicComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

use([
  CustomChart,
  AriaComponent,
  GraphicComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
])
