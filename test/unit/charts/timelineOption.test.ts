/** The timeline option: what a person sees, rendered by ECharts server-side (SVG). */
import { describe, expect, it } from 'vitest'
import { DARK, LIGHT, stateColor } from '../../../src/shared/charts/palette'
import { NUMBER_PATH } from '../../../src/shared/charts/numberPath'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import {
  TL,
  hitTest,
  legendAt,
  spanTooltip,
  timelineGeometry,
  timelineOption,
  type TimelineChartInput,
} from '../../../src/shared/charts/timelineOption'
import { renderSvg } from '../../support/ssr'
import { syntheticBook3sRun } from '../../support/syntheticRuns'

const run = syntheticBook3sRun({ tracks: 8, spans: 40, doorbells: 2 })
const prepared = prepareTimeline(run)
const input = (over: Partial<TimelineChartInput> = {}): TimelineChartInput => ({
  prepared,
  window: { from: 0, to: prepared.end },
  width: 1000,
  title: 'T',
  subtitle: 'S',
  palette: LIGHT,
  ...over,
})

describe('timelineOption rendered by ECharts (SSR, SVG)', () => {
  it('draws a labelled row per hardware thread, the state legend and the event marks', () => {
    const g = timelineGeometry(input())
    const svg = renderSvg(timelineOption(input()), g.width, g.height)
    expect(svg.startsWith('<svg')).toBe(true)
    for (let cpu = 0; cpu < 8; cpu++) expect(svg).toContain(`cpu ${cpu} (core 0 thread ${cpu})`)
    expect(svg).toContain('MMU switch in')
    expect(svg).toContain('event that went wrong')
    // Every declared state's colour is used by the spans or the legend.
    expect(svg.toLowerCase()).toContain(stateColor('guest', 3, LIGHT).toLowerCase())
    // The misdelivered doorbell's mark is red.
    expect(svg.toLowerCase()).toContain(`fill="${LIGHT.bad}"`)
  })

  it('highlights the selected row and shows the range length', () => {
    const option = timelineOption(input({ selectedRows: [2], range: { from: 1000, to: 1250 } }))
    const g = timelineGeometry(input())
    const svg = renderSvg(option, g.width, g.height)
    expect(svg.toLowerCase()).toContain(LIGHT.highlight.toLowerCase())
    expect(svg).toContain('Δ 250 ticks (2.5 µs)')
  })

  it('draws only the visible rows when scrolled, and says which', () => {
    const big = prepareTimeline(syntheticBook3sRun({ tracks: 64, spans: 10 }))
    const opt = timelineOption({ ...input(), prepared: big, firstRow: 10, maxRows: 12 })
    const g = timelineGeometry({ ...input(), prepared: big, firstRow: 10, maxRows: 12 })
    expect(g.rows).toBe(12)
    const svg = renderSvg(opt, g.width, g.height)
    expect(svg).toContain('cpu 10 (core 1 thread 2)')
    expect(svg).not.toContain('cpu 9 (core 1 thread 1)')
    expect(svg).toContain('rows 11–22 of 64')
  })

  it('uses the dark palette’s background in dark mode', () => {
    const g = timelineGeometry(input())
    const svg = renderSvg(timelineOption(input({ palette: DARK })), g.width, g.height)
    expect(svg.toLowerCase()).toContain(DARK.background.toLowerCase())
  })
})

describe('the legend', () => {
  type Path = { type: string; style: { fill?: string; opacity?: number } }
  const rowPaths = (o: ReturnType<typeof timelineOption>) => {
    const spans = (o.series as { name: string; renderItem: (p: unknown) => unknown }[])[0]!
    const first = spans.renderItem({ dataIndex: 0 }) as { children: Path[] }
    return first.children.filter((c) => c.type === NUMBER_PATH)
  }

  it('finds the entry under the pointer', () => {
    const g = timelineGeometry(input())
    const first = g.legend[0]!
    expect(legendAt(g, first.x + 30, first.y + 8)?.key).toBe(prepared.states[0]!.state)
    expect(legendAt(g, first.x + 30, TL.pad)).toBeNull()
  })

  it('highlights one state: every other state’s spans fade, its own stay', () => {
    const guest = stateColor('guest', 3, LIGHT)
    const plain = rowPaths(timelineOption(input()))
    expect(plain.every((c) => c.style.opacity === undefined)).toBe(true)
    const lit = rowPaths(timelineOption(input({ highlightState: 'guest' })))
    expect(lit.length).toBe(plain.length)
    for (const c of lit) {
      if (c.style.fill === guest) expect(c.style.opacity).toBeUndefined()
      else expect(c.style.opacity).toBeLessThan(0.5)
    }
    expect(lit.some((c) => c.style.fill === guest)).toBe(true)
    expect(lit.some((c) => c.style.fill !== guest)).toBe(true)
  })
})

describe('hitTest', () => {
  it('finds the event under the pointer, else the span, else the row', () => {
    const inp = input()
    const g = timelineGeometry(inp)
    const e = prepared.events.find((x) => x.index === 0)!
    const x = g.plot.x + (e.at / prepared.end) * g.plot.w
    const yRow = (row: number) => g.plot.y + row * g.rowH + g.rowH / 2
    expect(hitTest(inp, x + 2, yRow(e.row))).toEqual({ kind: 'event', index: 0, row: e.row })
    const zoomed = input({ window: { from: 0, to: 200 } })
    const gz = timelineGeometry(zoomed)
    const hit = hitTest(zoomed, gz.plot.x + 5, yRow(1))
    expect(hit).toEqual({ kind: 'span', row: 1, span: 0 })
    expect(hitTest(inp, 20, yRow(3))).toEqual({ kind: 'row', row: 3 })
    expect(hitTest(inp, x, g.plot.y - 5)).toBeNull()
  })

  it('describes a span with its state, times, length and the state’s description', () => {
    const text = spanTooltip(prepared, 0, 1)
    expect(text).toContain('waiting for in_guest')
    expect(text).toContain('a secondary spins until thread 0 has switched the MMU')
    expect(text).toMatch(/ticks \(/)
  })
})

describe('a frame of 200,000 spans', () => {
  it('stays a few hundred elements, zoomed out or in (measured)', () => {
    const huge = prepareTimeline(syntheticBook3sRun({ tracks: 16, spans: 12_500, doorbells: 2000 }))
    expect(huge.spanCount).toBe(200_000)
    const base = { ...input(), prepared: huge, width: 1200, maxRows: 16 }
    const times: string[] = []
    for (const win of [
      { from: 0, to: huge.end },
      { from: huge.end / 2, to: huge.end / 2 + huge.end / 100 },
      { from: 1000, to: 3000 },
    ]) {
      const t0 = performance.now()
      const opt = timelineOption({ ...base, window: win })
      times.push((performance.now() - t0).toFixed(1))
      const series = opt.series as { data: unknown[] }[]
      expect(series[0]!.data).toHaveLength(16)
    }
    console.log(
      `[timeline] option for 200k spans: full ${times[0]} ms, 1% ${times[1]} ms, 2k ticks ${times[2]} ms`,
    )
  })
})
