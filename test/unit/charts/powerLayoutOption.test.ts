/** The layout chart: geometry as a person reads it, and a real render through ECharts' SSR. */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import { LIGHT } from '../../../src/shared/charts/palette'
import {
  CELL,
  MAX_CORES_DRAWN,
  hatchPath,
  powerGeometry,
  powerLayoutOption,
} from '../../../src/shared/charts/powerLayoutOption'
import { book3sScenario } from '../../support/scenarios'
import { book3sRun } from '../../support/presetRuns'
import { renderSvg as render } from '../../support/ssr'

const aligned = runBook3s(book3sScenario({ processor: 'POWER8', cores: 2, vcpuIds: [0, 1, 13] }))
const fcfs = runBook3s(
  book3sScenario({ processor: 'POWER7', cores: 1, design: 'first-come', vcpuIds: [5, 6] }),
)

describe('powerGeometry', () => {
  it('says how the host scheduler shared the core, wrapped to the width, nothing cut', () => {
    const oc = book3sRun('book3s-power8-overcommit')
    const g = powerGeometry(oc.layout, 1)
    expect(g.schedulerNote.length).toBeGreaterThan(1)
    const text = g.schedulerNote.join(' ')
    expect(text).toBe(
      'Host scheduler (more vcores than cores): vcore 0 waited 30,000 µs, preempted 3×, preempted at the end; vcore 1 waited 30,000 µs, preempted 2×',
    )
    expect(g.schedulerNote.every((l) => l.length * 6.5 <= g.width)).toBe(true)
    expect(powerGeometry(aligned.layout, 8).schedulerNote).toEqual([])
  })

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

describe('powerGeometry at a width', () => {
  it('shrinks cells to fit a pane, down to a minimum, and wraps the legend', () => {
    const wide = powerGeometry(aligned.layout, 8)
    const narrow = powerGeometry(aligned.layout, 8, 520)
    expect(wide.cellW).toBe(78)
    expect(narrow.cellW).toBeLessThan(56)
    expect(narrow.width).toBeLessThanOrEqual(560)
    expect(new Set(narrow.legend.map((l) => l.y)).size).toBeGreaterThan(1)
    expect(powerGeometry(aligned.layout, 8, 100).cellW).toBe(CELL.minW)
    // Two layouts side by side in a 1280 px window: about 446 px, a core's eight threads fit.
    const at1280 = powerGeometry(aligned.layout, 8, 446)
    expect(at1280.width).toBeLessThanOrEqual(446)
    expect(Math.max(...at1280.cells.map((c) => c.x + c.w))).toBeLessThanOrEqual(446 - 14)
  })

  it('folds cores with no vcore away (a 1024-core host draws the cores the guest uses)', () => {
    const big = runBook3s(book3sScenario({ processor: 'POWER8', cores: 1024, vcpuIds: [0, 13] }))
    const g = powerGeometry(big.layout, 8)
    expect(new Set(g.cells.map((c) => c.core)).size).toBe(2)
    expect(g.foldedCores).toBe(1022)
    expect(MAX_CORES_DRAWN).toBeGreaterThan(2)
  })

  it('hatches inside the cell only', () => {
    const nums = hatchPath(10, 20, 30, 40)
      .split(/[ML]/)
      .filter(Boolean)
      .flatMap((pair) => pair.split(' ').map(Number))
    const xs = nums.filter((_, i) => i % 2 === 0)
    const ys = nums.filter((_, i) => i % 2 === 1)
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(10)
    expect(Math.max(...xs)).toBeLessThanOrEqual(40)
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(20)
    expect(Math.max(...ys)).toBeLessThanOrEqual(60)
  })
})

describe('powerLayoutOption rendered by ECharts (SSR, SVG)', () => {
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

describe('powerLayoutOption with a doorbell and a selection', () => {
  it('draws the astray doorbell as a red arrow with its label, and outlines the selected thread', () => {
    const g = powerGeometry(fcfs.layout, 4)
    const svg = render(
      powerLayoutOption({
        layout: fcfs.layout,
        smtMode: 4,
        title: 'T',
        subtitle: 'S',
        palette: LIGHT,
        selectedCpu: 1,
        doorbells: [
          { fromCpu: 0, toCpu: 1, intendedCpu: null, bad: true, label: 'tag 1 → vcpu 6, meant 5' },
        ],
        threadStates: new Map([[1, 'ceded-nap']]),
        atTick: 42,
      }),
      g.width,
      g.height,
    )
    expect(svg).toContain('tag 1 → vcpu 6, meant 5')
    expect(svg).toContain('as at tick 42')
    expect(svg.toLowerCase()).toContain(`stroke="${LIGHT.selected}"`)
    expect(svg.toLowerCase()).toContain(`stroke="${LIGHT.bad}"`)
  })
})
