/**
 * A sweep as a line chart: one metric against the varied scenario field, one line per design,
 * points where a variant could not run left as gaps. Pure, for `lab sweep --svg/--png`.
 */
import { chartTitle, type ChartOption, type Palette } from './palette'

export interface SweepSeries {
  design: string
  /** One value per x, or null where the variant was invalid or failed. */
  values: (number | null)[]
}

export interface SweepChartInput {
  title: string
  subtitle: string
  /** The varied field, e.g. `guest.vcpus`, and its values. */
  field: string
  xs: number[]
  metricLabel: string
  metricUnit: string
  series: SweepSeries[]
  palette: Palette
  width?: number
  height?: number
}

/** Design colours: distinct in both themes, the first two (a "before" and an "after") opposed. */
const LINE_COLOURS = ['#d1242f', '#2f6fde', '#1a7f37', '#8250df', '#bf8700', '#0a7f8f']

export function sweepSize(input: Pick<SweepChartInput, 'width' | 'height'>): {
  width: number
  height: number
} {
  return { width: input.width ?? 960, height: input.height ?? 540 }
}

export function sweepOption(input: SweepChartInput): ChartOption {
  const { width } = sweepSize(input)
  const p = input.palette
  const axis = {
    axisLine: { lineStyle: { color: p.grid } },
    axisLabel: { color: p.text, fontSize: 12 },
    splitLine: { lineStyle: { color: p.grid, opacity: 0.5 } },
    nameTextStyle: { color: p.text, fontSize: 13 },
  }
  return {
    animation: false,
    backgroundColor: p.background,
    title: chartTitle(input.title, input.subtitle, width, 16, p),
    legend: {
      top: 62,
      left: 16,
      itemGap: 28,
      textStyle: { color: p.text, fontSize: 13 },
      data: input.series.map((s) => s.design),
    },
    grid: { left: 72, right: 32, top: 104, bottom: 64 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'value',
      name: input.field,
      nameLocation: 'middle',
      nameGap: 34,
      min: Math.min(...input.xs),
      max: Math.max(...input.xs),
      ...axis,
    },
    yAxis: {
      type: 'value',
      name: `${input.metricLabel} (${input.metricUnit})`,
      nameLocation: 'middle',
      nameGap: 52,
      ...axis,
    },
    series: input.series.map((s, i) => ({
      name: s.design,
      type: 'line',
      connectNulls: false,
      symbolSize: 7,
      lineStyle: { width: 2.5 },
      color: LINE_COLOURS[i % LINE_COLOURS.length],
      data: input.xs.map((x, j) => [x, s.values[j] ?? null]),
    })),
  }
}
