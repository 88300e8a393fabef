/**
 * The POWER host as a cores × threads grid (lstopo-like): one row per physical core, one cell per
 * hardware thread, subcores grouped with their vcore above them. A cell shows the vcpu on the
 * thread; thread 0 carries an MMU badge (it switches the MMU for the whole (sub)core, e0b7ec05);
 * an empty thread 0 is marked "no vcpu: MMU, then nap"; a vcpu off its virtual thread gets a red
 * border. Built as a pure ECharts option so the app, the headless export and the tests draw the
 * same picture.
 */
import type { PowerLayout, PowerThread } from '../result'
import { escapeHtml, type ChartOption, type Palette } from './palette'

export interface PowerLayoutChartInput {
  layout: PowerLayout
  /** The SMT mode the guest's vcpu ids follow (virtual thread = id mod smtMode). */
  smtMode: number
  title: string
  subtitle: string
  palette: Palette
  /** A vcpu to outline (linked selection). */
  selectedVcpu?: number | null
}

export const CELL = { w: 78, h: 54, gap: 4, subcoreGap: 16, labelW: 96, rowGap: 14, band: 20 }
const PAD = 16
const HEADER = 50
const LEGEND = 30

const LEGEND_TEXTS = [
  'runs a vcpu',
  'thread 0, no vcpu: MMU switch, then nap',
  'not used by the vcore',
  'vcpu off its virtual thread',
]
const MMU_NOTE = 'MMU = thread 0 switches the MMU'
const legendStep = (text: string) => 20 + text.length * 6.4 + 22
const LEGEND_WIDTH = LEGEND_TEXTS.reduce((w, t) => w + legendStep(t), 0) + MMU_NOTE.length * 6.4

export interface CellGeometry {
  core: number
  subcore: number
  thread: PowerThread
  x: number
  y: number
  misaligned: boolean
}

export interface PowerGeometry {
  width: number
  height: number
  cells: CellGeometry[]
  labels: { x: number; y: number; text: string; kind: 'core' | 'subcore' }[]
}

export function powerGeometry(layout: PowerLayout, smtMode: number): PowerGeometry {
  const tps = layout.threadsPerSubcore
  const subW = tps * CELL.w + (tps - 1) * CELL.gap
  const rowW = layout.subcoresPerCore * subW + (layout.subcoresPerCore - 1) * CELL.subcoreGap
  const rowH = CELL.band + CELL.h + CELL.rowGap
  const x0 = PAD + CELL.labelW
  const y0 = PAD + HEADER + LEGEND
  const cells: CellGeometry[] = []
  const labels: PowerGeometry['labels'] = []
  const vcoreById = new Map(layout.vcores.map((v) => [v.vcore, v]))
  layout.cores.forEach((core, r) => {
    const y = y0 + r * rowH
    labels.push({ x: PAD, y: y + CELL.band + CELL.h / 2, text: `core ${core.core}`, kind: 'core' })
    core.subcores.forEach((sc, s) => {
      const sx = x0 + s * (subW + CELL.subcoreGap)
      const v = sc.vcore === null ? undefined : vcoreById.get(sc.vcore)
      const label =
        v === undefined
          ? layout.subcoresPerCore > 1
            ? `subcore ${sc.subcore}: free`
            : 'free'
          : `${layout.subcoresPerCore > 1 ? `subcore ${sc.subcore}: ` : ''}vcore ${v.vcore}` +
            (v.firstVcpuId !== null ? ` (first_vcpuid ${v.firstVcpuId})` : '')
      labels.push({ x: sx, y: y + CELL.band / 2, text: label, kind: 'subcore' })
      sc.threads.forEach((t, i) => {
        cells.push({
          core: core.core,
          subcore: sc.subcore,
          thread: t,
          x: sx + i * (CELL.w + CELL.gap),
          y: y + CELL.band,
          misaligned: t.vcpu !== null && t.vcpu % smtMode !== t.subcoreThread,
        })
      })
    })
  })
  // Wide enough for the title and the legend, which sit above the grid.
  const width = Math.max(x0 + rowW + PAD, LEGEND_WIDTH + 2 * PAD, 640)
  const height = y0 + layout.cores.length * rowH + PAD
  return { width, height, cells, labels }
}

export function powerLayoutOption(input: PowerLayoutChartInput): ChartOption {
  const { layout, palette: p } = input
  const geo = powerGeometry(layout, input.smtMode)
  const fill = (c: CellGeometry) =>
    c.thread.role === 'guest' ? p.guest : c.thread.role === 'no-vcpu-nap' ? p.noVcpu : p.idle
  const ink = (c: CellGeometry) => (c.thread.role === 'guest' ? p.guestText : p.text)

  const legendItems: { color: string; text: string; border?: string }[] = [
    { color: p.guest, text: LEGEND_TEXTS[0]! },
    { color: p.noVcpu, text: LEGEND_TEXTS[1]! },
    { color: p.idle, text: LEGEND_TEXTS[2]! },
    { color: p.idle, text: LEGEND_TEXTS[3]!, border: p.bad },
  ]
  let lx = PAD
  const legend: unknown[] = []
  for (const item of legendItems) {
    legend.push({
      type: 'rect',
      shape: { x: lx, y: PAD + HEADER + 4, width: 14, height: 14, r: 2 },
      style: { fill: item.color, stroke: item.border ?? p.grid, lineWidth: item.border ? 2 : 1 },
      silent: true,
    })
    legend.push({
      type: 'text',
      x: lx + 20,
      y: PAD + HEADER + 5,
      style: { text: item.text, fill: p.text, font: '12px sans-serif' },
      silent: true,
    })
    lx += legendStep(item.text)
  }
  legend.push({
    type: 'text',
    x: lx,
    y: PAD + HEADER + 5,
    style: { text: MMU_NOTE, fill: p.muted, font: '12px sans-serif' },
    silent: true,
  })

  const labels = geo.labels.map((l) => ({
    type: 'text',
    x: l.x,
    y: l.y,
    style: {
      text: l.text,
      fill: l.kind === 'core' ? p.text : p.muted,
      font: l.kind === 'core' ? 'bold 13px sans-serif' : '11px sans-serif',
      verticalAlign: 'middle',
    },
    silent: true,
  }))

  return {
    animation: false,
    backgroundColor: p.background,
    aria: { enabled: true, label: { description: describeLayout(layout) } },
    title: {
      text: input.title,
      subtext: input.subtitle,
      left: PAD,
      top: PAD - 4,
      textStyle: { color: p.text, fontSize: 16, fontWeight: 'bold' },
      subtextStyle: { color: p.muted, fontSize: 12 },
    },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params: { dataIndex: number }) =>
        tooltipFor(geo.cells[params.dataIndex], input.smtMode),
    },
    graphic: [...legend, ...labels],
    series: [
      {
        type: 'custom',
        coordinateSystem: 'none',
        data: geo.cells.map((_, i) => i),
        renderItem: (params: { dataIndex: number }) => {
          const c = geo.cells[params.dataIndex] as CellGeometry
          const selected = input.selectedVcpu != null && c.thread.vcpu === input.selectedVcpu
          const children: unknown[] = [
            {
              type: 'rect',
              shape: { x: c.x, y: c.y, width: CELL.w, height: CELL.h, r: 3 },
              style: {
                fill: fill(c),
                stroke: c.misaligned ? p.bad : selected ? p.selected : p.grid,
                lineWidth: c.misaligned || selected ? 3 : 1,
              },
            },
            {
              type: 'text',
              x: c.x + CELL.w / 2,
              y: c.y + 25,
              style: {
                text: cellTitle(c),
                fill: ink(c),
                font: c.thread.role === 'guest' ? 'bold 12px sans-serif' : '11px sans-serif',
                align: 'center',
                verticalAlign: 'middle',
              },
            },
            {
              type: 'text',
              x: c.x + CELL.w / 2,
              y: c.y + 42,
              style: {
                text: `t${c.thread.thread} · cpu ${c.thread.cpu}`,
                fill: c.thread.role === 'guest' ? p.guestText : p.muted,
                font: '10px sans-serif',
                align: 'center',
                verticalAlign: 'middle',
                opacity: 0.85,
              },
            },
          ]
          if (c.thread.switchesMmu) {
            children.push({
              type: 'text',
              x: c.x + 3,
              y: c.y + 3,
              style: {
                text: 'MMU',
                fill: p.badgeText,
                backgroundColor: p.badge,
                padding: [1, 3],
                borderRadius: 2,
                font: 'bold 8px sans-serif',
                align: 'left',
                verticalAlign: 'top',
              },
            })
          }
          return { type: 'group', children }
        },
      },
    ],
  }
}

function cellTitle(c: CellGeometry): string {
  if (c.thread.vcpu !== null) return `vcpu ${c.thread.vcpu}`
  return c.thread.role === 'no-vcpu-nap' ? 'no vcpu' : '—'
}

function tooltipFor(c: CellGeometry | undefined, smtMode: number): string {
  if (!c) return ''
  const t = c.thread
  const where = `core ${c.core}${c.subcore > 0 || t.thread !== t.subcoreThread ? `, subcore ${c.subcore}` : ''}, thread ${t.thread} (host cpu ${t.cpu})`
  const lines = [`<b>${escapeHtml(where)}</b>`]
  if (t.vcpu !== null) {
    lines.push(`vcpu ${t.vcpu}: the guest thinks it is thread ${t.vcpu % smtMode} of its core`)
    lines.push(
      c.misaligned
        ? `it runs on physical thread ${t.subcoreThread}: a msgsndp with tag ${t.vcpu % smtMode} would land elsewhere`
        : `it runs on physical thread ${t.subcoreThread}: virtual and physical thread agree`,
    )
  } else if (t.role === 'no-vcpu-nap') {
    lines.push(
      'thread 0 has no vcpu: it switches the MMU for the vcore, then naps (NAPPING_NOVCPU)',
    )
  } else {
    lines.push('not used by the vcore on this (sub)core')
  }
  if (t.switchesMmu) lines.push('thread 0: switches the MMU in before any guest state is loaded')
  return lines.join('<br>')
}

/** A sentence for screen readers and the accessible summary. */
export function describeLayout(layout: PowerLayout): string {
  const placed = layout.vcores.filter((v) => v.placedOn !== null)
  const parts = placed.map((v) => {
    const threads = layout.cores[v.placedOn!.core]!.subcores[v.placedOn!.subcore]!.threads
    const occupied = threads
      .filter((t) => t.vcpu !== null)
      .map((t) => `vcpu ${t.vcpu} on thread ${t.thread}`)
    return `vcore ${v.vcore} on core ${v.placedOn!.core}${layout.subcoresPerCore > 1 ? ` subcore ${v.placedOn!.subcore}` : ''}: ${occupied.join(', ')}`
  })
  const shown = parts.slice(0, 32).join('. ')
  const more = parts.length > 32 ? `. And ${parts.length - 32} more vcores` : ''
  return `${layout.processor}, ${layout.cores.length} cores of ${layout.threadsPerCore} threads. ${shown}${more}.`
}
