/** The overviews of big hosts, the cell labels' numbering, and what exported figures left out. */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import { runDocument } from '../../../src/services/runDocument'
import {
  asAtTick,
  overviewGridAttribute,
  powerOverviewGeometry,
  powerOverviewOption,
  xenOverviewGeometry,
} from '../../../src/shared/charts/overviewOption'
import { LIGHT } from '../../../src/shared/charts/palette'
import { MAX_CORES_DRAWN, powerLayoutOption } from '../../../src/shared/charts/powerLayoutOption'
import { runFigures } from '../../../src/shared/export/figures'
import type { XenRunResult } from '../../../src/shared/result'
import { renderSvg } from '../../support/ssr'
import { book3sRun } from '../../support/presetRuns'
import { book3sScenario, xenDocument } from '../../support/scenarios'

const big = runBook3s(
  book3sScenario({
    processor: 'POWER8',
    cores: 64,
    vcpuIds: Array.from({ length: 8 * 60 }, (_, i) => i),
  }),
)

describe('the POWER overview', () => {
  const input = {
    layout: big.layout,
    focus: [3, 4],
    smtMode: 8,
    width: 700,
    title: 'All',
    subtitle: 's',
    palette: LIGHT,
  }

  it('draws every core as a block of its threads, in rows that fit the width', () => {
    const g = powerOverviewGeometry(input)
    expect(g.blocks.map((b) => b.n)).toEqual(big.layout.cores.map((c) => c.core))
    for (const b of g.blocks) expect(b.x + b.w).toBeLessThanOrEqual(700 - 14)
    expect(g.cols).toBeGreaterThan(8)
    const option = powerOverviewOption(input)
    const series = (option.series as { data: unknown[]; renderItem: (p: unknown) => unknown }[])[0]!
    expect(series.data).toHaveLength(64)
    // A used core's block has a bar per thread; a focused one an outline around them.
    const focused = series.renderItem({ dataIndex: 3 }) as { children: { shape: object }[] }
    expect(focused.children.length).toBe(8 + 1)
    const svg = renderSvg(option, g.width, g.height)
    expect(svg).toContain('Click a core to see it')
  })

  it('tells scripts where its blocks are, and its title the tick it shows', () => {
    const g = powerOverviewGeometry(input)
    const [x, y, w, h, dx, dy] = overviewGridAttribute(g).split(',').map(Number)
    expect([x, y, w, h]).toEqual([g.blocks[0]!.x, g.blocks[0]!.y, g.blocks[0]!.w, g.blocks[0]!.h])
    expect(dx).toBe(g.blocks[1]!.x - g.blocks[0]!.x)
    expect(dy).toBe(g.blocks[g.cols]!.y - g.blocks[0]!.y)
    expect(dy).toBeGreaterThan(0)
    expect(overviewGridAttribute(null)).toBe('')
    expect(asAtTick(12345.6)).toBe(', as at tick 12,346')
    expect(asAtTick(null)).toBe('')
  })
})

describe('the Xen overview', () => {
  it('draws every Linux CPU as a square', () => {
    const out = runDocument(
      xenDocument({ type: 'pvhvm', maxVcpus: 200, design: 'vcpu-id-mapping' }),
    )
    if (!out.ok) throw new Error(out.error.message)
    const r = out.value as XenRunResult
    const g = xenOverviewGeometry({
      layout: r.layout,
      focus: [0],
      width: 600,
      title: 't',
      subtitle: 's',
      palette: LIGHT,
    })
    expect(g.blocks).toHaveLength(200)
    expect(new Set(g.blocks.map((b) => `${b.x},${b.y}`)).size).toBe(200)
  })
})

describe('the cells’ numbering (lstopo’s logical or physical)', () => {
  const r = book3sRun('book3s-power8-aligned-vcores')
  const texts = (cellLabel: 'vcpu' | 'thread' | 'cpu') => {
    const option = powerLayoutOption({
      layout: r.layout,
      smtMode: 8,
      title: 't',
      subtitle: 's',
      palette: LIGHT,
      cellLabel,
    })
    const threads = (option.series as { name: string; renderItem: (p: unknown) => unknown }[]).find(
      (s) => s.name === 'threads',
    )!
    // vcpu 13 runs on thread 5 of core 1: host cpu 13.
    const cell = threads.renderItem({ dataIndex: 13 }) as {
      children: { type: string; style?: { text?: string } }[]
    }
    return cell.children.filter((c) => c.type === 'text').map((c) => c.style?.text)
  }

  it('names the vcpu, the thread or the host cpu first, and the other two under it', () => {
    expect(texts('vcpu').slice(0, 2)).toEqual(['vcpu 13', 't5 · cpu 13'])
    expect(texts('thread').slice(0, 2)).toEqual(['thread 5', 'vcpu 13 · cpu 13'])
    expect(texts('cpu').slice(0, 2)).toEqual(['cpu 13', 't5 · vcpu 13'])
  })
})

describe('an exported figure of a big run', () => {
  it('says in its subtitle what it left out, and draws the rows its footer claims', () => {
    const r = { ...book3sRun('book3s-power8-aligned-vcores'), layout: big.layout }
    const [layout] = runFigures(r, { palette: LIGHT })
    const sub = String((layout!.option.title as { subtext: string }).subtext)
    expect(sub.split('\n')[1]).toBe(
      `Not drawn: ${60 - MAX_CORES_DRAWN} of 60 cores in use (past the first ${MAX_CORES_DRAWN}) · 4 idle cores`,
    )
    const svg = renderSvg(layout!.option, layout!.width, layout!.height)
    expect(svg).toContain(`… and ${60 - MAX_CORES_DRAWN} more cores in use not drawn`)
    expect(svg.match(/>core \d+</g)?.length).toBe(MAX_CORES_DRAWN)
  })
})
