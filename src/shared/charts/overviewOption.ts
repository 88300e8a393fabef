/**
 * Overviews of hosts too big for the detailed layouts, as lstopo draws a large machine compactly:
 * every POWER core as a small block of its threads (a bar each, coloured by what it did at the
 * tick shown: ran a vcpu, napped, thread 0 with no vcpu, idle; a red outline for a vcpu off its
 * virtual thread), every Xen CPU as a small square (online, failed, offline, online with its vCPU
 * down; an amber mark when the id its hypercalls carry is not its vCPU's). The cores or CPUs the
 * detailed layout below shows are outlined; a click on a block picks it (the panes zoom into it).
 * Pure ECharts options, like every chart here.
 */
import {
  NAP_STATES,
  chartTitle,
  escapeHtml,
  itemTooltip,
  wrapText,
  type ChartOption,
  type Palette,
} from './palette'
import type { PowerLayout, XenLayout } from '../result'

const PAD = 14
const HEADER = 46
const LABEL_W = 34
const NOTE_H = 18

export interface PowerOverviewInput {
  layout: PowerLayout
  /** Host cpu → timeline state at the tick shown (naps are drawn pale). */
  threadStates?: ReadonlyMap<number, string> | null
  /** Cores the detailed layout shows. */
  focus: readonly number[]
  /** Cores with a doorbell that went astray in the timeline's window (a red mark). */
  astrayCores?: ReadonlySet<number>
  smtMode: number
  width: number
  title: string
  subtitle: string
  palette: Palette
}

export interface OverviewBlock {
  /** The core (POWER) or Linux CPU (Xen) number. */
  n: number
  x: number
  y: number
  w: number
  h: number
}

export interface OverviewGeometry {
  width: number
  height: number
  blocks: OverviewBlock[]
  /** Blocks per row. */
  cols: number
  /** The key under the title, wrapped. */
  note: string[]
  top: number
}

/** Pixels of one thread's bar, and between cores. */
const BAR = { w: 4, h: 11, gap: 4, rowGap: 4 }

export function powerOverviewGeometry(input: PowerOverviewInput): OverviewGeometry {
  const { layout } = input
  const blockW = layout.threadsPerCore * BAR.w + (layout.subcoresPerCore - 1) * 2
  return gridOf(
    layout.cores.map((c) => c.core),
    blockW,
    BAR.h,
    BAR.gap,
    BAR.rowGap,
    input.width,
    `Every core, a bar per hardware thread: blue runs a vcpu, pale blue naps, yellow is a thread 0 with no vcpu, grey is idle; red outline: a vcpu off its virtual thread; red corner: a doorbell went astray there in the timeline's window. Outlined: the cores drawn below. Click a core to see it.`,
  )
}

function gridOf(
  ns: readonly number[],
  blockW: number,
  blockH: number,
  gap: number,
  rowGap: number,
  width: number,
  key: string,
): OverviewGeometry {
  const note = wrapText(key, Math.max(30, Math.floor((width - 2 * PAD) / 6.3)))
  const top = PAD + HEADER + note.length * 15 + 6
  const cols = Math.max(1, Math.floor((width - 2 * PAD - LABEL_W + gap) / (blockW + gap)))
  const blocks = ns.map((n, i) => ({
    n,
    x: PAD + LABEL_W + (i % cols) * (blockW + gap),
    y: top + Math.floor(i / cols) * (blockH + rowGap),
    w: blockW,
    h: blockH,
  }))
  const rows = Math.ceil(ns.length / cols)
  return { width, height: top + rows * (blockH + rowGap) + NOTE_H, blocks, cols, note, top }
}

export function powerOverviewOption(input: PowerOverviewInput): ChartOption {
  const g = powerOverviewGeometry(input)
  const p = input.palette
  const focus = new Set(input.focus)
  const byCore = new Map(input.layout.cores.map((c) => [c.core, c]))
  const items = g.blocks.map((b) => {
    const core = byCore.get(b.n)!
    const children: unknown[] = []
    let x = b.x
    core.subcores.forEach((sc, s) => {
      if (s > 0) x += 2
      for (const t of sc.threads) {
        const nap = NAP_STATES.has(input.threadStates?.get(t.cpu) ?? '')
        const fill = t.role === 'guest' ? p.guest : t.role === 'no-vcpu-nap' ? p.noVcpu : p.idle
        const off = t.vcpu !== null && t.vcpu % input.smtMode !== t.subcoreThread
        children.push({
          type: 'rect',
          shape: { x, y: b.y, width: BAR.w - 1, height: b.h },
          style: {
            fill,
            opacity: nap && t.role === 'guest' ? 0.4 : 1,
            stroke: off ? p.bad : null,
            lineWidth: off ? 1 : 0,
          },
        })
        x += BAR.w
      }
    })
    if (input.astrayCores?.has(b.n)) {
      children.push({
        type: 'polygon',
        shape: {
          points: [
            [b.x + b.w - 6, b.y - 1],
            [b.x + b.w + 1, b.y - 1],
            [b.x + b.w + 1, b.y + 6],
          ],
        },
        style: { fill: p.bad },
      })
    }
    if (focus.has(b.n)) {
      children.push({
        type: 'rect',
        shape: { x: b.x - 2, y: b.y - 2, width: b.w + 3, height: b.h + 4, r: 2 },
        style: { fill: 'none', stroke: p.selected, lineWidth: 2 },
      })
    }
    return { type: 'group', children }
  })
  return overviewChart(g, items, input.title, input.subtitle, p, (b) => `core ${b.n}`)
}

/** The chart around the blocks: title, key, a row label every row, the blocks as one series. */
function overviewChart(
  g: OverviewGeometry,
  items: unknown[],
  title: string,
  subtitle: string,
  p: Palette,
  name: (b: OverviewBlock) => string,
): ChartOption {
  const rowLabels: unknown[] = []
  for (let i = 0; i < g.blocks.length; i += g.cols) {
    const b = g.blocks[i]!
    rowLabels.push({
      type: 'text',
      x: PAD + LABEL_W - 6,
      y: b.y + b.h / 2,
      style: {
        text: String(b.n),
        fill: p.muted,
        font: '10px sans-serif',
        align: 'right',
        verticalAlign: 'middle',
      },
      silent: true,
    })
  }
  return {
    animation: false,
    backgroundColor: p.background,
    aria: { enabled: true, label: { description: `${title}: ${subtitle}` } },
    title: chartTitle(title, subtitle, g.width, PAD, p),
    tooltip: itemTooltip((params) => {
      const b = g.blocks[params.dataIndex]
      return b ? `${escapeHtml(name(b))}<br>click to see it below` : ''
    }),
    graphic: [
      ...g.note.map((line, i) => ({
        type: 'text',
        x: PAD,
        y: PAD + HEADER + i * 15,
        style: { text: line, fill: p.muted, font: '11px sans-serif' },
        silent: true,
      })),
      ...rowLabels,
    ],
    series: [
      {
        type: 'custom',
        name: 'blocks',
        coordinateSystem: 'none',
        data: g.blocks.map((_, i) => i),
        renderItem: (params: { dataIndex: number }) => items[params.dataIndex],
      },
    ],
  }
}

export interface XenOverviewInput {
  layout: XenLayout
  /** CPUs the detailed map shows. */
  focus: readonly number[]
  width: number
  title: string
  subtitle: string
  palette: Palette
}

const SQUARE = { w: 9, gap: 3 }

export function xenOverviewGeometry(input: XenOverviewInput): OverviewGeometry {
  return gridOf(
    input.layout.cpus.map((c) => c.cpu),
    SQUARE.w,
    SQUARE.w,
    SQUARE.gap,
    SQUARE.gap,
    input.width,
    `Every Linux CPU, a square each: green online, red failed, grey offline or not up, amber online with its vCPU down; an amber dot: the id its hypercalls carry is not its vCPU's. Outlined: the CPUs drawn below. Click a CPU to see it.`,
  )
}

export function xenOverviewOption(input: XenOverviewInput): ChartOption {
  const g = xenOverviewGeometry(input)
  const p = input.palette
  const focus = new Set(input.focus)
  const byCpu = new Map(input.layout.cpus.map((c) => [c.cpu, c]))
  const up = new Map(input.layout.vcpus.map((v) => [v.vcpu, v.up]))
  const items = g.blocks.map((b) => {
    const c = byCpu.get(b.n)!
    const stranded = c.state === 'online' && c.vcpu !== null && up.get(c.vcpu) === false
    const own = c.vcpu ?? c.startsOn
    const fill = stranded
      ? p.warn
      : c.state === 'online'
        ? p.good
        : c.state === 'failed'
          ? p.bad
          : p.idle
    const children: unknown[] = [
      {
        type: 'rect',
        shape: { x: b.x, y: b.y, width: b.w, height: b.h, r: 1 },
        style: { fill, stroke: c.state === 'offline' ? p.muted : null, lineWidth: 1 },
      },
    ]
    if (own !== null && c.vcpuId !== own) {
      children.push({
        type: 'circle',
        shape: { cx: b.x + b.w / 2, cy: b.y + b.h / 2, r: 2.2 },
        style: { fill: p.warn, stroke: p.background, lineWidth: 0.5 },
      })
    }
    if (focus.has(b.n)) {
      children.push({
        type: 'rect',
        shape: { x: b.x - 1.5, y: b.y - 1.5, width: b.w + 3, height: b.h + 3 },
        style: { fill: 'none', stroke: p.selected, lineWidth: 1.5 },
      })
    }
    return { type: 'group', children }
  })
  return overviewChart(g, items, input.title, input.subtitle, p, (b) => {
    const c = byCpu.get(b.n)!
    return `cpu ${c.cpu}: ${c.state}${c.reason ? ` (${c.reason})` : ''}, id ${c.vcpuId}`
  })
}

/**
 * Where an overview's blocks are, for scripts (a data attribute): the first block's x, y, w, h and
 * the steps to the next block in a row and to the next row; empty with no blocks.
 */
export function overviewGridAttribute(g: OverviewGeometry | null): string {
  const [a, b] = [g?.blocks[0], g?.blocks[1]]
  const down = g?.blocks[g.cols]
  if (!a) return ''
  return [a.x, a.y, a.w, a.h, b ? b.x - a.x : 0, down ? down.y - a.y : 0].join(',')
}

/** The end of an overview's title when it shows a tick picked on the timeline. */
export function asAtTick(tick: number | null): string {
  return tick !== null ? `, as at tick ${Math.round(tick).toLocaleString('en-US')}` : ''
}
