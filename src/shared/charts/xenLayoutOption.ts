/**
 * The Xen guest as a map (in the spirit of `xl vcpu-list`): Linux CPUs on the left, Xen vCPUs on
 * the right with their ACPI and APIC ids (MADT: ACPI id i, APIC id 2i), and a line from each CPU to
 * the vCPU it runs on. A CPU that failed is red and says why; the hypercalls that broke it are
 * drawn as dashed red lines to the vCPU they named, or to a box for a vCPU that does not exist
 * (4294967295 is -1 read as unsigned); a call that named another CPU's vCPU and "succeeded" is a
 * dashed amber line (it acted on the wrong vCPU). Pure ECharts option, like every chart here.
 */
import type { CpuDetail, HypercallEvent, XenLayout } from '../result'
import { vcpuArg } from './eventInfo'
import {
  chartTitle,
  escapeHtml,
  overlaySeries,
  wrapLegend,
  type ChartOption,
  type Palette,
} from './palette'

export interface XenLayoutChartInput {
  layout: XenLayout
  /** The run's events; hypercalls among them are drawn and named in tooltips. */
  events: readonly { kind: string }[]
  title: string
  subtitle: string
  palette: Palette
  maxWidth?: number
  selectedCpu?: number | null
  selectedVcpu?: number | null
}

const PAD = 14
const HEADER = 50
const LEGEND_ROW = 20
export const XEN_ROW = { h: 46, gap: 8, cpuW: 200, vcpuW: 150, linkW: 110 }
/** Rows drawn at most on each side; the table has them all. */
export const MAX_XEN_ROWS = 64

export interface XenCpuCell {
  cpu: CpuDetail
  x: number
  y: number
  /** Hypercalls issued for this CPU that failed, and those that named another CPU's vCPU. */
  failed: HypercallEvent[]
  strays: HypercallEvent[]
}

export interface XenVcpuCell {
  vcpu: number
  online: boolean | null
  acpiId: number | null
  apicId: number | null
  /** No such vCPU in the domain: a box for an id a hypercall named. */
  phantom: boolean
  x: number
  y: number
}

export interface XenGeometry {
  width: number
  height: number
  cpus: XenCpuCell[]
  vcpus: XenVcpuCell[]
  legend: { x: number; y: number; key: LegendKey; text: string }[]
  hiddenCpus: number
  hiddenVcpus: number
  top: number
}

type LegendKey = 'online' | 'failed' | 'offline' | 'runs' | 'broke' | 'stray'

const LEGEND: readonly { key: LegendKey; text: string }[] = [
  { key: 'online', text: 'online' },
  { key: 'failed', text: 'failed' },
  { key: 'offline', text: 'offline / not up' },
  { key: 'runs', text: 'runs on' },
  { key: 'broke', text: 'hypercall that failed, to the vCPU it named' },
  { key: 'stray', text: 'call that acted on another vCPU' },
]

function hypercallsByCpu(events: readonly { kind: string }[]): Map<number, HypercallEvent[]> {
  const out = new Map<number, HypercallEvent[]>()
  for (const e of events) {
    if (e.kind !== 'hypercall') continue
    const h = e as HypercallEvent
    const list = out.get(h.cpu) ?? []
    list.push(h)
    out.set(h.cpu, list)
  }
  return out
}

export function xenGeometry(
  input: Omit<XenLayoutChartInput, 'palette' | 'title' | 'subtitle'>,
): XenGeometry {
  const { layout } = input
  const width = Math.max(
    Math.min(input.maxWidth ?? 620, 760),
    PAD * 2 + XEN_ROW.cpuW + XEN_ROW.linkW + XEN_ROW.vcpuW,
  )
  const legend = wrapLegend(LEGEND, PAD, PAD + HEADER, width - PAD, LEGEND_ROW)
  const ly = legend.length ? Math.max(...legend.map((l) => l.y)) : PAD + HEADER
  const top = ly + LEGEND_ROW + 26
  const step = XEN_ROW.h + XEN_ROW.gap
  const calls = hypercallsByCpu(input.events)
  const cpuX = PAD
  const vcpuX = PAD + XEN_ROW.cpuW + XEN_ROW.linkW
  const shownCpus = layout.cpus.slice(0, MAX_XEN_ROWS)
  const cpus: XenCpuCell[] = shownCpus.map((cpu, i) => {
    const mine = calls.get(cpu.cpu) ?? []
    return {
      cpu,
      x: cpuX,
      y: top + i * step,
      failed: mine.filter((h) => h.rc !== 0),
      strays: mine.filter(
        (h) => h.rc === 0 && h.vcpu !== null && cpu.vcpu !== null && h.vcpu !== cpu.vcpu,
      ),
    }
  })
  const known = new Map(layout.vcpus.map((v) => [v.vcpu, v]))
  const vcpus: XenVcpuCell[] = layout.vcpus.slice(0, MAX_XEN_ROWS).map((v, i) => ({
    vcpu: v.vcpu,
    online: v.online,
    acpiId: v.acpiId,
    apicId: v.apicId,
    phantom: false,
    x: vcpuX,
    y: top + i * step,
  }))
  // vCPU ids a failed call named that the domain does not have.
  const phantoms = new Set<number>()
  for (const c of cpus)
    for (const h of c.failed) if (h.vcpu !== null && !known.has(h.vcpu)) phantoms.add(h.vcpu)
  for (const id of [...phantoms].sort((a, b) => a - b).slice(0, 4)) {
    vcpus.push({
      vcpu: id,
      online: null,
      acpiId: null,
      apicId: null,
      phantom: true,
      x: vcpuX,
      y: top + vcpus.length * step,
    })
  }
  const rows = Math.max(cpus.length, vcpus.length, 1)
  const hiddenCpus = layout.cpus.length - shownCpus.length
  const hiddenVcpus = layout.vcpus.length - Math.min(layout.vcpus.length, MAX_XEN_ROWS)
  const height = top + rows * step + (hiddenCpus || hiddenVcpus ? 20 : 0) + PAD
  return { width, height, cpus, vcpus, legend, hiddenCpus, hiddenVcpus, top }
}

function stateColour(state: CpuDetail['state'], p: Palette): string {
  return state === 'online' ? p.good : state === 'failed' ? p.bad : p.muted
}

export function xenLayoutOption(input: XenLayoutChartInput): ChartOption {
  const p = input.palette
  const geo = xenGeometry(input)
  const vcpuCell = new Map(geo.vcpus.map((v) => [v.vcpu, v]))
  const graphic: unknown[] = []

  for (const { x, y, key, text } of geo.legend) {
    const line = key === 'runs' || key === 'broke' || key === 'stray'
    graphic.push(
      line
        ? {
            type: 'line',
            shape: { x1: x, y1: y + 9, x2: x + 16, y2: y + 9 },
            style: {
              stroke: key === 'runs' ? p.text : key === 'broke' ? p.bad : p.warn,
              lineWidth: 2,
              lineDash: key === 'runs' ? null : [4, 3],
            },
            silent: true,
          }
        : {
            type: 'rect',
            shape: { x, y: y + 2, width: 14, height: 14, r: 2 },
            style: {
              fill: p.background,
              stroke: key === 'online' ? p.good : key === 'failed' ? p.bad : p.muted,
              lineWidth: 3,
            },
            silent: true,
          },
      {
        type: 'text',
        x: x + 22,
        y: y + 3,
        style: { text, fill: p.text, font: '12px sans-serif' },
        silent: true,
      },
    )
  }
  const head = (text: string, x: number) => ({
    type: 'text',
    x,
    y: geo.top - 18,
    style: { text, fill: p.muted, font: 'bold 11px sans-serif' },
    silent: true,
  })
  const vcpuX = PAD + XEN_ROW.cpuW + XEN_ROW.linkW
  graphic.push(head('LINUX CPU', PAD), head('XEN vCPU · MADT ids', vcpuX))

  // Links in their own series under the boxes.
  const links: unknown[] = []
  const midY = (y: number) => y + XEN_ROW.h / 2
  const link = (c: XenCpuCell, v: XenVcpuCell, colour: string, dashed: boolean, bend: number) => {
    const x1 = c.x + XEN_ROW.cpuW
    const y1 = midY(c.y) + bend
    const x2 = v.x
    const y2 = midY(v.y) + bend
    links.push({
      type: 'path',
      shape: {
        pathData:
          `M${x1} ${y1}C${x1 + 50} ${y1} ${x2 - 50} ${y2} ${x2} ${y2}` +
          `M${x2 - 8} ${y2 - 4}L${x2} ${y2}L${x2 - 8} ${y2 + 4}`,
      },
      style: { fill: 'none', stroke: colour, lineWidth: 2, lineDash: dashed ? [5, 4] : null },
      silent: true,
    })
  }
  for (const c of geo.cpus) {
    const runs = c.cpu.vcpu === null ? undefined : vcpuCell.get(c.cpu.vcpu)
    if (runs) link(c, runs, c.cpu.state === 'online' ? p.text : p.muted, false, 0)
    const named = new Set<number>()
    for (const h of c.failed) {
      if (h.vcpu === null || named.has(h.vcpu)) continue
      named.add(h.vcpu)
      const v = vcpuCell.get(h.vcpu)
      if (v) link(c, v, p.bad, true, 4)
    }
    for (const h of c.strays) {
      if (h.vcpu === null || named.has(h.vcpu)) continue
      named.add(h.vcpu)
      const v = vcpuCell.get(h.vcpu)
      if (v) link(c, v, p.warn, true, -4)
    }
  }
  if (geo.hiddenCpus || geo.hiddenVcpus) {
    graphic.push({
      type: 'text',
      x: PAD,
      y: geo.height - PAD - 14,
      style: {
        text: `… ${geo.hiddenCpus} more CPUs and ${geo.hiddenVcpus} more vCPUs not drawn (the events table has them all)`,
        fill: p.muted,
        font: '12px sans-serif',
      },
      silent: true,
    })
  }

  type Item = { kind: 'cpu'; cell: XenCpuCell } | { kind: 'vcpu'; cell: XenVcpuCell }
  const items: Item[] = [
    ...geo.cpus.map((cell) => ({ kind: 'cpu' as const, cell })),
    ...geo.vcpus.map((cell) => ({ kind: 'vcpu' as const, cell })),
  ]
  return {
    animation: false,
    backgroundColor: p.background,
    aria: { enabled: true, label: { description: describeXenLayout(input.layout, input.events) } },
    title: chartTitle(input.title, input.subtitle, geo.width, PAD, p),
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params: { dataIndex: number }) => {
        const it = items[params.dataIndex]
        if (!it) return ''
        return it.kind === 'cpu' ? cpuTooltip(it.cell) : vcpuTooltip(it.cell)
      },
    },
    graphic,
    series: [
      overlaySeries('links', links, 1),
      {
        type: 'custom',
        name: 'cpus',
        coordinateSystem: 'none',
        z: 2,
        data: items.map((_, i) => i),
        renderItem: (params: { dataIndex: number }) => {
          const it = items[params.dataIndex] as Item
          if (it.kind === 'cpu') {
            const c = it.cell
            const selected = input.selectedCpu === c.cpu.cpu
            const colour = stateColour(c.cpu.state, p)
            const first =
              c.cpu.state === 'online' ? `cpu ${c.cpu.cpu}` : `cpu ${c.cpu.cpu} · ${c.cpu.state}`
            const second =
              c.cpu.state === 'failed'
                ? (c.cpu.reason ?? 'did not come up')
                : c.cpu.state === 'online'
                  ? `online on vCPU ${c.cpu.vcpu ?? '?'}`
                  : c.cpu.vcpu === null
                    ? 'not brought up'
                    : `was on vCPU ${c.cpu.vcpu}`
            return {
              type: 'group',
              children: [
                {
                  type: 'rect',
                  shape: { x: c.x, y: c.y, width: XEN_ROW.cpuW, height: XEN_ROW.h, r: 4 },
                  style: {
                    fill: c.cpu.state === 'failed' ? p.idle : p.background,
                    stroke: selected ? p.selected : colour,
                    lineWidth: selected ? 3.5 : 2,
                  },
                },
                {
                  type: 'text',
                  x: c.x + 10,
                  y: c.y + 12,
                  style: {
                    text: first,
                    fill: c.cpu.state === 'failed' ? p.bad : p.text,
                    font: 'bold 13px sans-serif',
                    verticalAlign: 'middle',
                  },
                },
                {
                  type: 'text',
                  x: c.x + 10,
                  y: c.y + 22,
                  style: {
                    text: second,
                    fill: c.cpu.state === 'failed' ? p.bad : p.muted,
                    font: '11px sans-serif',
                    width: XEN_ROW.cpuW - 16,
                    overflow: 'break',
                    lineHeight: 12,
                    verticalAlign: 'top',
                  },
                },
              ],
            }
          }
          const v = it.cell
          const selected = input.selectedVcpu === v.vcpu
          const colour = v.phantom ? p.bad : v.online ? p.good : p.muted
          return {
            type: 'group',
            children: [
              {
                type: 'rect',
                shape: { x: v.x, y: v.y, width: XEN_ROW.vcpuW, height: XEN_ROW.h, r: 4 },
                style: {
                  fill: p.background,
                  stroke: selected ? p.selected : colour,
                  lineWidth: selected ? 3.5 : 2,
                  lineDash: v.phantom ? [4, 3] : null,
                },
              },
              {
                type: 'text',
                x: v.x + 10,
                y: v.y + 13,
                style: {
                  text: v.phantom
                    ? `vCPU ${v.vcpu}`
                    : `vCPU ${v.vcpu} · ${v.online ? 'up' : 'down'}`,
                  fill: v.phantom ? p.bad : p.text,
                  font: 'bold 12px sans-serif',
                  verticalAlign: 'middle',
                },
              },
              {
                type: 'text',
                x: v.x + 10,
                y: v.y + 31,
                style: {
                  text: v.phantom
                    ? `${v.vcpu === 0xffffffff ? '(-1) ' : ''}no such vCPU`
                    : `ACPI ${v.acpiId} · APIC ${v.apicId}`,
                  fill: v.phantom ? p.bad : p.muted,
                  font: '11px sans-serif',
                  verticalAlign: 'middle',
                },
              },
            ],
          }
        },
      },
    ],
  }
}

export function hypercallLine(h: HypercallEvent): string {
  const rc = h.rc === 0 ? '0' : `${h.rc}${h.errno ? ` (-${h.errno})` : ''}`
  return `${h.op}(vcpu ${vcpuArg(h.vcpu)}) → ${rc}, ${h.side} side, on vCPU ${h.onVcpu}, tick ${h.at}`
}

function cpuTooltip(c: XenCpuCell): string {
  const lines = [`<b>Linux cpu ${c.cpu.cpu}</b>: ${escapeHtml(c.cpu.state)}`]
  lines.push(
    c.cpu.vcpu === null
      ? 'never ran on a vCPU'
      : `runs on Xen vCPU ${c.cpu.vcpu} (ACPI ${c.cpu.acpiId ?? '—'}, APIC ${c.cpu.apicId ?? '—'})`,
  )
  if (c.cpu.reason) lines.push(`why: ${escapeHtml(c.cpu.reason)}`)
  for (const h of c.failed.slice(0, 4)) {
    lines.push(`<span class="tip-bad">✗ ${escapeHtml(hypercallLine(h))}</span>`)
    lines.push(`&nbsp;&nbsp;${escapeHtml(h.source)}`)
  }
  for (const h of c.strays.slice(0, 3)) {
    lines.push(
      `⚠ ${escapeHtml(hypercallLine(h))}: acted on vCPU ${vcpuArg(h.vcpu)}, not ${c.cpu.vcpu}`,
    )
  }
  return lines.join('<br>')
}

function vcpuTooltip(v: XenVcpuCell): string {
  if (v.phantom) {
    return `<b>vCPU ${escapeHtml(vcpuArg(v.vcpu))}</b><br>the domain has no such vCPU: a hypercall naming it gets -ENOENT (do_vcpu_op, event_fifo.c)`
  }
  return `<b>Xen vCPU ${v.vcpu}</b>: ${v.online ? 'up' : 'down'}<br>MADT: ACPI id ${v.acpiId}, APIC id ${v.apicId}`
}

/** A sentence for screen readers. */
export function describeXenLayout(layout: XenLayout, events: readonly { kind: string }[]): string {
  const online = layout.cpus.filter((c) => c.state === 'online').length
  const failed = layout.cpus.filter((c) => c.state === 'failed')
  const calls = hypercallsByCpu(events)
  const why = failed
    .slice(0, 4)
    .map((c) => {
      const h = (calls.get(c.cpu) ?? []).find((x) => x.rc !== 0)
      return `cpu ${c.cpu} failed${c.reason ? ` (${c.reason})` : ''}${h ? `: ${hypercallLine(h)}` : ''}`
    })
    .join('; ')
  return `${layout.cpus.length} Linux CPUs on ${layout.vcpus.length} Xen vCPUs; ${online} online, ${failed.length} failed${why ? `. ${why}` : ''}.`
}
