/**
 * The Xen guest as a map (in the spirit of `xl vcpu-list`): Linux CPUs on the left with the
 * `xen_vcpu_id` their hypercalls carry and where it came from, Xen vCPUs on the right with their
 * firmware ids (MADT ACPI/APIC ids on PVHVM, MPIDR on ARM), and a line from each CPU to the vCPU it
 * runs on. A CPU that failed is red and says why; the hypercalls that broke it are drawn as dashed
 * red lines to the vCPU they named, or to a box for a vCPU that does not exist (4294967295 is -1
 * read as unsigned); a call that named another vCPU and "succeeded" is a dashed amber line (it
 * acted on the wrong vCPU). Pure ECharts option, like every chart here.
 */
import type { HypercallEvent, XenLayout, XenLayoutCpu, XenLayoutVcpu } from '../result'
import { vcpuArg } from '../events'
import {
  chartTitle,
  itemTooltip,
  escapeHtml,
  overlaySeries,
  wrapLegend,
  wrapText,
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
  /** A line under the subtitle saying what the figure left out (exports). */
  leftOut?: string | null
}

const PAD = 14
const HEADER = 50
const LEGEND_ROW = 20
export const XEN_ROW = { h: 58, gap: 8, cpuW: 212, vcpuW: 150, linkW: 100 }
/** The narrowest the columns get when the pane is narrow (two layouts side by side at 1280 px):
 * the links give way first, then the CPU boxes (their reason wraps to fewer characters). */
const XEN_MIN = { cpuW: 186, linkW: 44 }
/**
 * A CPU's third line (its state, or why it failed) inside its box: characters per line (11 px
 * DejaVu Sans, the exported images' font, is wider than the app's: 28 fit the box in both, capitals
 * and underscores included) and
 * lines shown at most; the box grows to the longest text of the run.
 */
const REASON = { perLine: 28, maxLines: 5, lineH: 12 }
/** Rows drawn at most on each side; the table has them all. */
export const MAX_XEN_ROWS = 64

export interface XenColumns {
  cpuW: number
  linkW: number
  vcpuW: number
  /** Characters of a CPU's reason line in its box. */
  perLine: number
}

/**
 * The columns for a chart at most `maxWidth` wide: the full widths when they fit, else the links
 * and then the CPU boxes narrower, down to XEN_MIN (past that the pane scrolls).
 */
export function xenColumns(maxWidth: number): XenColumns {
  const full = PAD * 2 + XEN_ROW.cpuW + XEN_ROW.linkW + XEN_ROW.vcpuW
  const short = Math.max(0, full - maxWidth)
  const linkW = Math.max(XEN_MIN.linkW, XEN_ROW.linkW - short)
  const cpuW = Math.max(XEN_MIN.cpuW, XEN_ROW.cpuW - (short - (XEN_ROW.linkW - linkW)))
  // 28 characters fit the full box; about 6.5 px a character fewer as it narrows.
  const perLine = REASON.perLine - Math.ceil((XEN_ROW.cpuW - cpuW) / 6.5)
  return { cpuW, linkW, vcpuW: XEN_ROW.vcpuW, perLine }
}

export interface XenCpuCell {
  cpu: XenLayoutCpu
  x: number
  y: number
  /** Hypercalls for this CPU that failed (the one the layout names first). */
  failed: HypercallEvent[]
  /** Hypercalls for this CPU that succeeded (rc >= 0) but named a vCPU other than its own. */
  strays: HypercallEvent[]
  /**
   * Online in Linux's cpu_online_map while Xen has its vCPU down (the 2007 stop_self): the map
   * still counts it, nothing runs it.
   */
  stranded: boolean
}

export interface XenVcpuCell {
  vcpu: number
  /** The domain's vCPU, or null for an id a failed call named that the domain does not have. */
  info: XenLayoutVcpu | null
  x: number
  y: number
}

export interface XenGeometry {
  width: number
  height: number
  /** Height of every box: tall enough for the longest reason of the run. */
  rowH: number
  /** The columns' widths: the CPU boxes, the links between, the vCPU boxes. */
  cols: XenColumns
  cpus: XenCpuCell[]
  vcpus: XenVcpuCell[]
  legend: { x: number; y: number; key: LegendKey; text: string }[]
  hiddenCpus: number
  hiddenVcpus: number
  top: number
  /** Notes above the map (a panic, an unbuildable domain, 2-level events), wrapped to lines. */
  notes: { text: string; y: number }[]
}

type LegendKey = 'online' | 'failed' | 'offline' | 'stranded' | 'runs' | 'broke' | 'stray'

const LEGEND: readonly { key: LegendKey; text: string }[] = [
  { key: 'online', text: 'online / up' },
  { key: 'failed', text: 'failed' },
  { key: 'offline', text: 'offline / down' },
  { key: 'stranded', text: 'online, its vCPU down' },
  { key: 'runs', text: 'runs on' },
  { key: 'broke', text: 'failed hypercall → the vCPU it named' },
  { key: 'stray', text: 'call that acted on another vCPU' },
]

/** A CPU's own vCPU: the one it runs on, else the one it would start on. */
const ownVcpu = (c: XenLayoutCpu): number | null => c.vcpu ?? c.startsOn

/**
 * Hypercalls by the Linux CPU they were for (`forCpu`; the issuing CPU when absent). Made once per
 * run's events (the figure and its sentence both ask; xen-large holds 350,209 hypercalls).
 */
const hypercallMaps = new WeakMap<readonly { kind: string }[], Map<number, HypercallEvent[]>>()

function hypercallsFor(events: readonly { kind: string }[]): Map<number, HypercallEvent[]> {
  const known = hypercallMaps.get(events)
  if (known) return known
  const out = new Map<number, HypercallEvent[]>()
  for (const e of events) {
    if (e.kind !== 'hypercall') continue
    const h = e as HypercallEvent
    const key = h.forCpu ?? h.cpu
    const list = out.get(key)
    if (list) list.push(h)
    else out.set(key, [h])
  }
  hypercallMaps.set(events, out)
  return out
}

/**
 * What the figure says of the domain under its legend (not buildable, event channels cut, a
 * panic), each note wrapped at the width from `y` down; `end` is where the rows may start.
 */
function domainNotes(
  layout: XenLayout,
  width: number,
  y: number,
): { placed: XenGeometry['notes']; end: number } {
  const said: string[] = []
  if (!layout.domain.buildable) said.push(`Xen would not build this domain: ${layout.domain.why}`)
  if (layout.eventChannels.requested !== layout.eventChannels.effective) {
    said.push(
      `event channels: ${layout.eventChannels.effective}, not the ${layout.eventChannels.requested} asked for${layout.eventChannels.why ? ` (${layout.eventChannels.why})` : ''}`,
    )
  }
  if (layout.outcome === 'panicked') said.push('the guest panicked (see the failed CPU)')
  // Each note wraps at the width (about 7 px a character in bold 12 px).
  const perLine = Math.max(20, Math.floor((width - 2 * PAD) / 7))
  const placed: XenGeometry['notes'] = []
  let ny = y
  for (const t of said) {
    // Broken here, not by the renderer: server-side SVG (exports) does not wrap text.
    const lines = wrapText(t, perLine)
    placed.push({ text: lines.join('\n'), y: ny })
    ny += lines.length * 15 + 2
  }
  return { placed, end: ny }
}

export function xenGeometry(
  input: Omit<XenLayoutChartInput, 'palette' | 'title' | 'subtitle'>,
): XenGeometry {
  const { layout } = input
  const cols = xenColumns(input.maxWidth ?? 620)
  const width = Math.max(
    Math.min(input.maxWidth ?? 620, 760),
    PAD * 2 + cols.cpuW + cols.linkW + cols.vcpuW,
  )
  // The amber key shows only in a run that has such a CPU (the 2007 stop_self story).
  const anyStranded = layout.cpus.some((c) => isStranded(c, layout))
  const keys = LEGEND.filter((l) => l.key !== 'stranded' || anyStranded)
  const head = PAD + HEADER + (input.leftOut ? 15 : 0)
  const legend = wrapLegend(keys, PAD, head, width - PAD, LEGEND_ROW)
  const ly = legend.length ? Math.max(...legend.map((l) => l.y)) : head
  const { placed, end: ny } = domainNotes(layout, width, ly + LEGEND_ROW + 6)
  const top = ny + 30
  const reasonLines = Math.max(
    1,
    ...layout.cpus
      .slice(0, MAX_XEN_ROWS)
      .map((c) => wrapText(stateLine(c), cols.perLine, REASON.maxLines).length),
  )
  const rowH = XEN_ROW.h + (reasonLines - 1) * REASON.lineH
  const step = rowH + XEN_ROW.gap
  const calls = hypercallsFor(input.events)
  const vcpuX = PAD + cols.cpuW + cols.linkW
  const cpus: XenCpuCell[] = layout.cpus.slice(0, MAX_XEN_ROWS).map((cpu, i) => {
    const mine = calls.get(cpu.cpu) ?? []
    const own = ownVcpu(cpu)
    const failed = mine.filter((h) => h.rc < 0)
    // The call the layout names as the cause comes first.
    const named = cpu.failedCall
    const cause = named ? failed.findIndex((h) => h.op === named.op && h.vcpu === named.vcpu) : -1
    if (cause > 0) failed.unshift(...failed.splice(cause, 1))
    return {
      cpu,
      x: PAD,
      y: top + i * step,
      stranded: isStranded(cpu, layout),
      failed,
      strays: mine.filter((h) => h.rc >= 0 && h.vcpu !== null && own !== null && h.vcpu !== own),
    }
  })
  const known = new Set(layout.vcpus.map((v) => v.vcpu))
  const vcpus: XenVcpuCell[] = layout.vcpus
    .slice(0, MAX_XEN_ROWS)
    .map((v, i) => ({ vcpu: v.vcpu, info: v, x: vcpuX, y: top + i * step }))
  // vCPU ids a failed call named that the domain does not have.
  const phantoms = new Set<number>()
  for (const c of cpus)
    for (const h of c.failed) if (h.vcpu !== null && !known.has(h.vcpu)) phantoms.add(h.vcpu)
  for (const id of [...phantoms].sort((a, b) => a - b).slice(0, 4)) {
    vcpus.push({ vcpu: id, info: null, x: vcpuX, y: top + vcpus.length * step })
  }
  const rows = Math.max(cpus.length, vcpus.length, 1)
  const hiddenCpus = layout.cpus.length - cpus.length
  const hiddenVcpus = layout.vcpus.length - Math.min(layout.vcpus.length, MAX_XEN_ROWS)
  const height = top + rows * step + (hiddenCpus || hiddenVcpus ? 20 : 0) + PAD
  return {
    width,
    height,
    rowH,
    cols,
    cpus,
    vcpus,
    legend,
    hiddenCpus,
    hiddenVcpus,
    top,
    notes: placed,
  }
}

/** The vCPUs Xen has down, by id, once per layout (a layout of 2048 CPUs asked a search each). */
const downVcpus = new WeakMap<XenLayout, Set<number>>()

/** Linux counts it online, Xen has the vCPU it ran on down. */
function isStranded(cpu: XenLayoutCpu, layout: XenLayout): boolean {
  if (cpu.state !== 'online' || cpu.vcpu === null) return false
  let down = downVcpus.get(layout)
  if (!down) {
    down = new Set<number>()
    // The first entry for an id decides, as a search for it would.
    const seen = new Set<number>()
    for (const v of layout.vcpus) {
      if (seen.has(v.vcpu)) continue
      seen.add(v.vcpu)
      if (v.up === false) down.add(v.vcpu)
    }
    downVcpus.set(layout, down)
  }
  return down.has(cpu.vcpu)
}

function stateColour(state: XenLayoutCpu['state'], p: Palette): string {
  return state === 'online' ? p.good : state === 'failed' ? p.bad : p.muted
}

/** What identifies a vCPU to the guest's firmware: MADT ids (x86 HVM), MPIDR (ARM), or nothing. */
function firmwareIds(v: XenLayoutVcpu): string {
  if (v.acpiId !== null || v.apicId !== null)
    return `ACPI ${v.acpiId ?? '—'} · APIC ${v.apicId ?? '—'}`
  if (v.mpidr !== null) return `MPIDR 0x${v.mpidr.toString(16)}`
  return `vcpu_info ${v.vcpuInfo}`
}

const text = (
  x: number,
  y: number,
  s: string,
  fill: string,
  font: string,
  extra: Record<string, unknown> = {},
) => ({
  type: 'text',
  x,
  y,
  style: { text: s, fill, font, verticalAlign: 'middle', ...extra },
})

/**
 * The map's option: legend, notes and column headings as graphic elements; the links (runs on,
 * failed and stray calls) in a series under the boxes; one custom-series item per CPU, then per
 * vCPU, each with its tooltip.
 */
export function xenLayoutOption(input: XenLayoutChartInput): ChartOption {
  const p = input.palette
  const geo = xenGeometry(input)
  type Item = { kind: 'cpu'; cell: XenCpuCell } | { kind: 'vcpu'; cell: XenVcpuCell }
  const items: Item[] = [
    ...geo.cpus.map((cell) => ({ kind: 'cpu' as const, cell })),
    ...geo.vcpus.map((cell) => ({ kind: 'vcpu' as const, cell })),
  ]
  return {
    animation: false,
    backgroundColor: p.background,
    aria: { enabled: true, label: { description: describeXenLayout(input.layout, input.events) } },
    title: chartTitle(input.title, input.subtitle, geo.width, PAD, p, input.leftOut),
    tooltip: itemTooltip((params) => {
      if (params.seriesName !== 'cpus') return ''
      const it = items[params.dataIndex]
      if (!it) return ''
      return it.kind === 'cpu' ? cpuTooltip(it.cell) : vcpuTooltip(it.cell)
    }),
    graphic: [...legendGraphics(geo, p), ...noteGraphics(geo, p)],
    series: [
      overlaySeries('links', linkGraphics(geo, p), 1),
      {
        type: 'custom',
        name: 'cpus',
        coordinateSystem: 'none',
        z: 2,
        data: items.map((_, i) => i),
        renderItem: (params: { dataIndex: number }) => {
          const it = items[params.dataIndex] as Item
          return it.kind === 'cpu'
            ? cpuBox(it.cell, geo, input.selectedCpu === it.cell.cpu.cpu, p)
            : vcpuBox(it.cell, geo, input.selectedVcpu === it.cell.vcpu, p)
        },
      },
    ],
  }
}

/** The legend: a box in each state's colour, a line for each kind of link, and their texts. */
function legendGraphics(geo: XenGeometry, p: Palette): unknown[] {
  return geo.legend.flatMap(({ x, y, key, text: t }) => {
    const line = key === 'runs' || key === 'broke' || key === 'stray'
    return [
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
              stroke:
                key === 'online'
                  ? p.good
                  : key === 'failed'
                    ? p.bad
                    : key === 'stranded'
                      ? p.warn
                      : p.muted,
              lineWidth: 3,
            },
            silent: true,
          },
      { ...text(x + 22, y + 9, t, p.text, '12px sans-serif'), silent: true },
    ]
  })
}

/** The notes above the map, the two columns' headings, and a line for the rows not drawn. */
function noteGraphics(geo: XenGeometry, p: Palette): unknown[] {
  const out: unknown[] = geo.notes.map((n) => ({
    ...text(PAD, n.y, n.text, p.bad, 'bold 12px sans-serif', {
      width: geo.width - 2 * PAD,
      overflow: 'break',
      lineHeight: 15,
      verticalAlign: 'top',
    }),
    silent: true,
  }))
  const vcpuX = PAD + geo.cols.cpuW + geo.cols.linkW
  // Bold 11 px capitals run about 7 px a character: the longest heading that fits its column.
  const fits = (t: string, w: number) => t.length * 7 <= w
  const cpuHead =
    ['LINUX CPU · the id its hypercalls carry', 'LINUX CPU · the id it carries'].find((t) =>
      fits(t, geo.cols.cpuW + geo.cols.linkW - 8),
    ) ?? 'LINUX CPU'
  const vcpuHead = fits('XEN vCPU · firmware ids', geo.width - PAD - vcpuX + PAD)
    ? 'XEN vCPU · firmware ids'
    : 'XEN vCPU'
  out.push(
    { ...text(PAD, geo.top - 14, cpuHead, p.muted, 'bold 11px sans-serif'), silent: true },
    { ...text(vcpuX, geo.top - 14, vcpuHead, p.muted, 'bold 11px sans-serif'), silent: true },
  )
  if (geo.hiddenCpus || geo.hiddenVcpus) {
    out.push({
      ...text(
        PAD,
        geo.height - PAD - 8,
        `… ${geo.hiddenCpus} more CPUs and ${geo.hiddenVcpus} more vCPUs not drawn (the events table has them all)`,
        p.muted,
        '12px sans-serif',
      ),
      silent: true,
    })
  }
  return out
}

/**
 * A curve from each CPU to the vCPU it runs on, then dashed to each other vCPU a failed call
 * (red, below) or a stray call (amber, above) named, one per vCPU named.
 */
function linkGraphics(geo: XenGeometry, p: Palette): unknown[] {
  const vcpuCell = new Map(geo.vcpus.map((v) => [v.vcpu, v]))
  const links: unknown[] = []
  const midY = (y: number) => y + geo.rowH / 2
  const link = (c: XenCpuCell, v: XenVcpuCell, colour: string, dashed: boolean, bend: number) => {
    const x1 = c.x + geo.cols.cpuW
    const y1 = midY(c.y) + bend
    const x2 = v.x
    const y2 = midY(v.y) + bend
    const pull = Math.min(45, (x2 - x1) * 0.45)
    links.push({
      type: 'path',
      shape: {
        pathData:
          `M${x1} ${y1}C${x1 + pull} ${y1} ${x2 - pull} ${y2} ${x2} ${y2}` +
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
    const calls = [
      ...c.failed.map((h) => ({ h, colour: p.bad, bend: 5 })),
      ...c.strays.map((h) => ({ h, colour: p.warn, bend: -5 })),
    ]
    for (const { h, colour, bend } of calls) {
      if (h.vcpu === null || named.has(h.vcpu)) continue
      named.add(h.vcpu)
      const v = vcpuCell.get(h.vcpu)
      if (v) link(c, v, colour, true, bend)
    }
  }
  return links
}

/** What a CPU's box says under its id: online where, or why it failed or is offline. */
function stateLine(cpu: XenLayoutCpu): string {
  if (cpu.state === 'failed') return cpu.reason ?? 'did not come up'
  if (cpu.state === 'online') return cpu.reason ?? `online on vCPU ${cpu.vcpu ?? '?'}`
  return cpu.reason ?? (cpu.vcpu === null ? 'not brought up' : `was on vCPU ${cpu.vcpu}`)
}

function cpuBox(c: XenCpuCell, geo: XenGeometry, selected: boolean, p: Palette): unknown {
  const h = geo.rowH
  const colour = c.stranded ? p.warn : stateColour(c.cpu.state, p)
  const own = ownVcpu(c.cpu)
  const idAgrees = own === null || c.cpu.vcpuId === own
  const third = wrapText(stateLine(c.cpu), geo.cols.perLine, REASON.maxLines).join('\n')
  return {
    type: 'group',
    children: [
      {
        type: 'rect',
        shape: { x: c.x, y: c.y, width: geo.cols.cpuW, height: h, r: 4 },
        style: {
          fill: c.cpu.state === 'failed' ? p.idle : p.background,
          stroke: selected ? p.selected : colour,
          lineWidth: selected ? 3.5 : 2,
        },
      },
      text(
        c.x + 10,
        c.y + 11,
        c.stranded
          ? `cpu ${c.cpu.cpu} · online, vCPU down`
          : c.cpu.state === 'online'
            ? `cpu ${c.cpu.cpu}`
            : `cpu ${c.cpu.cpu} · ${c.cpu.state}`,
        c.cpu.state === 'failed' ? p.bad : p.text,
        'bold 13px sans-serif',
      ),
      text(
        c.x + 10,
        c.y + 25,
        `id ${vcpuArg(c.cpu.vcpuId)} (${c.cpu.idSource})`,
        idAgrees ? p.muted : p.warn,
        `${idAgrees ? '' : 'bold '}11px sans-serif`,
      ),
      text(
        c.x + 10,
        c.y + 33,
        third,
        c.cpu.state === 'failed' ? p.bad : p.muted,
        '11px sans-serif',
        { lineHeight: REASON.lineH, verticalAlign: 'top' },
      ),
    ],
  }
}

function vcpuBox(v: XenVcpuCell, geo: XenGeometry, selected: boolean, p: Palette): unknown {
  const h = geo.rowH
  const info = v.info
  const colour = !info ? p.bad : info.up ? p.good : p.muted
  return {
    type: 'group',
    children: [
      {
        type: 'rect',
        shape: { x: v.x, y: v.y, width: geo.cols.vcpuW, height: h, r: 4 },
        style: {
          fill: p.background,
          stroke: selected ? p.selected : colour,
          lineWidth: selected ? 3.5 : 2,
          lineDash: info ? null : [4, 3],
        },
      },
      text(
        v.x + 10,
        v.y + 13,
        info ? `vCPU ${v.vcpu} · ${info.up ? 'up' : 'down'}` : `vCPU ${v.vcpu}`,
        info ? p.text : p.bad,
        'bold 12px sans-serif',
      ),
      text(
        v.x + 10,
        v.y + 29,
        info ? firmwareIds(info) : `${v.vcpu === 0xffffffff ? '(-1) ' : ''}no such vCPU`,
        info ? p.muted : p.bad,
        '11px sans-serif',
      ),
      text(
        v.x + 10,
        v.y + 43,
        info
          ? `${info.online ? '' : 'offline at boot · '}${info.fifoControlBlock ? 'FIFO block' : 'no FIFO block'}`
          : 'a call got -ENOENT',
        p.muted,
        '10px sans-serif',
      ),
    ],
  }
}

export function hypercallLine(h: HypercallEvent): string {
  const rc = h.rc === 0 ? '0' : `${h.rc}${h.errno ? ` (-${h.errno})` : ''}`
  const what = h.what ? `, ${h.what}` : ''
  return `${h.op}(vcpu ${vcpuArg(h.vcpu)}${what}) → ${rc}, ${h.side} side, by cpu ${h.cpu} on vCPU ${h.onVcpu}, tick ${h.at}`
}

function cpuTooltip(c: XenCpuCell): string {
  const cpu = c.cpu
  const state = c.stranded ? 'online (in cpu_online_map), its vCPU down in Xen' : cpu.state
  const lines = [`<b>Linux cpu ${cpu.cpu}</b>: ${escapeHtml(state)}`]
  lines.push(
    `xen_vcpu_id ${escapeHtml(vcpuArg(cpu.vcpuId))}, from ${escapeHtml(cpu.idSource)}` +
      (cpu.acpiId !== null ? `; ACPI id ${escapeHtml(vcpuArg(cpu.acpiId))}` : '') +
      (cpu.apicId !== null ? `, APIC id ${cpu.apicId}` : ''),
  )
  lines.push(
    cpu.vcpu === null
      ? `never ran${cpu.startsOn !== null ? ` (would start on vCPU ${cpu.startsOn})` : ''}`
      : `runs on Xen vCPU ${cpu.vcpu}${cpu.readsVcpuInfoOf !== null && cpu.readsVcpuInfoOf !== cpu.vcpu ? `, but reads vCPU ${cpu.readsVcpuInfoOf}’s vcpu_info` : ''}`,
  )
  if (cpu.reason) lines.push(`why: ${escapeHtml(cpu.reason)}`)
  for (const h of c.failed.slice(0, 4)) {
    lines.push(`<span class="tip-bad">✗ ${escapeHtml(hypercallLine(h))}</span>`)
    lines.push(`&nbsp;&nbsp;${escapeHtml(h.source)}`)
  }
  for (const h of c.strays.slice(0, 3)) {
    lines.push(`⚠ ${escapeHtml(hypercallLine(h))}: acted on vCPU ${escapeHtml(vcpuArg(h.vcpu))}`)
  }
  return lines.join('<br>')
}

function vcpuTooltip(v: XenVcpuCell): string {
  const info = v.info
  if (!info) {
    return `<b>vCPU ${escapeHtml(vcpuArg(v.vcpu))}</b><br>the domain has no such vCPU: a hypercall naming it gets -ENOENT (do_vcpu_op, event_fifo.c)`
  }
  return [
    `<b>Xen vCPU ${v.vcpu}</b>: ${info.up ? 'up (running)' : 'down (_VPF_down)'}${info.online ? '' : ', offline at boot'}`,
    escapeHtml(firmwareIds(info)),
    `vcpu_info: ${escapeHtml(info.vcpuInfo)} · FIFO control block: ${info.fifoControlBlock ? 'yes' : 'no'}`,
    info.cpu === null ? 'no Linux CPU runs on it' : `Linux cpu ${info.cpu} runs on it`,
  ].join('<br>')
}

/** A sentence for screen readers. */
export function describeXenLayout(layout: XenLayout, events: readonly { kind: string }[]): string {
  const online = layout.cpus.filter((c) => c.state === 'online').length
  const stranded = layout.cpus.filter((c) => isStranded(c, layout)).length
  const failed = layout.cpus.filter((c) => c.state === 'failed')
  const calls = hypercallsFor(events)
  const why = failed
    .slice(0, 4)
    .map((c) => {
      const h = (calls.get(c.cpu) ?? []).find((x) => x.rc < 0)
      return `cpu ${c.cpu} failed${c.reason ? ` (${c.reason})` : ''}${h ? `: ${hypercallLine(h)}` : ''}`
    })
    .join('; ')
  return `${layout.cpus.length} Linux CPUs on ${layout.vcpus.length} Xen vCPUs; ${online} online${stranded ? ` (${stranded} of them with the vCPU down in Xen)` : ''}, ${failed.length} failed${why ? `. ${why}` : ''}.`
}
