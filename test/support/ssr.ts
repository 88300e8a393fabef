/** ECharts server-side rendering (SVG) for tests of the chart option builders: the CLI's path. */
import { figureSvg } from '../../src/services/chartRender'

export function renderSvg(option: Record<string, unknown>, width: number, height: number): string {
  return figureSvg({ id: 'layout', caption: 'test', width, height, option })
}
