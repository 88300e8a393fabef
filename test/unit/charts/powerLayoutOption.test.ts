/** The layout chart: geometry as a person reads it, and a real render through ECharts' SSR. */
import { CustomChart } from 'echarts/charts'
import {
  AriaComponent,
  GraphicComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components'
import { init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import { LIGHT } from '../../../src/shared/charts/palette'
import { powerGeometry, powerLayoutOption } from '../../../src/shared/charts/powerLayoutOption'
import { book3sScenario } from '../../support/scenarios'

use([CustomChart, AriaComponent, GraphicComponent, TitleComponent, TooltipComponent, SVGRenderer])

const aligned = runBook3s(book3sScenario({ processor: 'POWER8', cores: 2, vcpuIds: [0, 1, 13] }))
const fcfs = runBook3s(
  book3sScenario({ processor: 'POWER7', cores: 1, design: 'first-come', vcpuIds: [5, 6] }),
)

describe('powerGeometry', () => {
  it('has one cell per hardware thread, rows by core, threads left to right', () => {
    const g = powerGeometry(aligned.layout, 8)
    expect(g.cells).toHaveLength(16)
    const c13 = g.cells.find((c) => c.thread.vcpu === 13)!
    const c8 = g.cells.find((c) => c.core === 1 && c.thread.thread === 0)!
    expect(c13.y).toBe(c8.y)
    expect(c13.x).toBeGreaterThan(c8.x)
    expect(g.cells.find((c) => c.core === 0 && c.thread.thread === 0)!.y).toBeLessThan(c8.y)
  })

  it('flags a vcpu off its virtual thread (first-come vcpu 5 on thread 0)', () => {
    const g = powerGeometry(fcfs.layout, 4)
    expect(g.cells.filter((c) => c.misaligned).map((c) => c.thread.vcpu)).toEqual([5, 6])
    expect(powerGeometry(aligned.layout, 8).cells.some((c) => c.misaligned)).toBe(false)
  })

  it('labels each subcore with its vcore and first_vcpuid', () => {
    const texts = powerGeometry(aligned.layout, 8).labels.map((l) => l.text)
    expect(texts).toContain('vcore 1 (first_vcpuid 8)')
    expect(texts).toContain('core 1')
  })
})

describe('powerLayoutOption rendered by ECharts (SSR, SVG)', () => {
  function render(option: Record<string, unknown>, width: number, height: number): string {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
    chart.setOption(option)
    const svg = chart.renderToSVGString()
    chart.dispose()
    return svg
  }

  it('draws every cell with its vcpu, the MMU badge and the empty thread 0', () => {
    const g = powerGeometry(aligned.layout, 8)
    const svg = render(
      powerLayoutOption({
        layout: aligned.layout,
        smtMode: 8,
        title: 'T',
        subtitle: 'S',
        palette: LIGHT,
      }),
      g.width,
      g.height,
    )
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('vcpu 13')
    expect(svg).toContain('no vcpu')
    expect((svg.match(/>MMU</g) ?? []).length).toBe(2)
    expect(svg).toContain('t5 · cpu 13')
  })

  it('outlines a misaligned vcpu in the palette red', () => {
    const g = powerGeometry(fcfs.layout, 4)
    const svg = render(
      powerLayoutOption({
        layout: fcfs.layout,
        smtMode: 4,
        title: 'T',
        subtitle: 'S',
        palette: LIGHT,
      }),
      g.width,
      g.height,
    )
    expect(svg.toLowerCase()).toContain(`stroke="${LIGHT.bad}"`)
  })
})
