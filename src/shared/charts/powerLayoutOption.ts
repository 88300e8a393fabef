/**
 * The POWER host as a cores × threads grid (lstopo-like): one row per physical core, one cell per
 * hardware thread, subcores grouped with their vcore above them. A cell shows the vcpu on the
 * thread; thread 0 carries an MMU badge (it switches the MMU for the whole (sub)core, e0b7ec05);
 * an empty thread 0 is marked "no vcpu" and shaded (it switches the MMU, then naps); a vcpu off its
 * virtual thread gets a red border; doorbells (msgsndp) are drawn as arrows from the sender's
 * thread to the thread they reached, and dashed to the one they were meant for. Built as a pure
 * ECharts option so the app, the headless export and the tests draw the same picture.
 *
 * Cores with no vcore are folded away beyond the first (lstopo's --factorize), so a 1024-core
 * host still draws as the few cores the guest uses.
 */
import {
  NAP_STATES,
  chartTitle,
  itemTooltip,
  escapeHtml,
  overlaySeries,
  wrapLegend,
  wrapText,
  type ChartOption,
  type Palette,
} from './palette'
import type { PowerLayout, PowerSubcore, PowerThread } from '../result'

export interface DoorbellArrow {
  fromCpu: number
  /** Where it landed (null: nowhere, e.g. ignored). */
  toCpu: number | null
  /** Where the guest meant it to go, when that differs. */
  intendedCpu: number | null
  bad: boolean
  label: string
}

export interface PowerLayoutChartInput {
  layout: PowerLayout
  /** The SMT mode the guest's vcpu ids follow (virtual thread = id mod smtMode). */
  smtMode: number
  title: string
  subtitle: string
  palette: Palette
  /** Widest the chart may be; cells shrink to fit (down to a minimum). */
  maxWidth?: number
  /** A vcpu to outline (linked selection). */
  selectedVcpu?: number | null
  /** A hardware thread (host cpu) to outline (linked selection). */
  selectedCpu?: number | null
  /** The state of each thread (host cpu → timeline state) at a chosen tick: naps are shaded. */
  threadStates?: ReadonlyMap<number, string> | null
  /** The tick `threadStates` is for, shown in the legend. */
  atTick?: number | null
  doorbells?: readonly DoorbellArrow[]
  /** A line over the doorbells listed: which of how many they are ("doorbells 1–6 of 1,087 …"). */
  doorbellNote?: string | null
  /** A line under the subtitle saying what the figure left out (exports; powerLeftOut). */
  leftOut?: string | null
  /**
   * What a cell names first (lstopo's logical or physical numbering): the vcpu on the thread (the
   * default), the thread's index in its core, or its host cpu number; the other two under it.
   */
  cellLabel?: CellLabel
}

export type CellLabel = 'vcpu' | 'thread' | 'cpu'

export const CELL = {
  w: 78,
  minW: 38,
  h: 54,
  gap: 4,
  subcoreGap: 14,
  labelW: 64,
  rowGap: 14,
  band: 20,
}
const PAD = 14
const HEADER = 50
const LEGEND_ROW = 20
/** Cores drawn at most; the rest are summarised in a line. */
export const MAX_CORES_DRAWN = 48

type LegendKey = 'guest' | 'noVcpu' | 'nap' | 'idle' | 'misaligned' | 'mmu' | 'along'

const LEGEND: readonly { key: LegendKey; text: string }[] = [
  { key: 'guest', text: 'runs a vcpu' },
  { key: 'noVcpu', text: 'thread 0, no vcpu: switches the MMU, then naps' },
  { key: 'nap', text: 'napping (shaded)' },
  { key: 'idle', text: 'not used by the vcore' },
  { key: 'misaligned', text: 'vcpu off its virtual thread' },
  { key: 'mmu', text: 'MMU: thread 0 switches the MMU' },
  { key: 'along', text: 'vcore run along by another’s runner (VCORE_PIGGYBACK)' },
]

function legendStyle(
  key: LegendKey,
  p: Palette,
): { fill: string; border?: string; hatch?: boolean; dashed?: boolean } {
  switch (key) {
    case 'guest':
      return { fill: p.guest }
    case 'noVcpu':
      return { fill: p.noVcpu, hatch: true }
    case 'nap':
      return { fill: p.idle, hatch: true }
    case 'idle':
      return { fill: p.idle }
    case 'misaligned':
      return { fill: p.idle, border: p.bad }
    case 'mmu':
      return { fill: p.badge }
    case 'along':
      return { fill: p.guest, border: p.text, dashed: true }
  }
}

export interface CellGeometry {
  core: number
  subcore: number
  thread: PowerThread
  x: number
  y: number
  w: number
  misaligned: boolean
  /** Its vcore was run along by another vcore's runner (ec257165, b4deba5c). */
  along: boolean
  /** What the tooltip says of the run it was in, when the run co-scheduled vcores. */
  runNote: string | null
}

export interface PowerGeometry {
  width: number
  height: number
  cellW: number
  cells: CellGeometry[]
  labels: { x: number; y: number; text: string; kind: 'core' | 'subcore' }[]
  /** Lines under the labels of a co-scheduled run's subcores, spanning their threads. */
  brackets: { x: number; y: number; w: number }[]
  legend: { x: number; y: number; key: LegendKey; text: string }[]
  /** Cores not drawn, for the note under the grid: all of them, and those with a vcore (beyond
   * MAX_CORES_DRAWN; the rest have none and are folded away). */
  foldedCores: number
  cutCores: number
  /** Cores with a vcore on them. */
  usedCores: number
  gridTop: number
  /** Where the numbered doorbell notes start. */
  notesTop: number
  /** Which vcores waited for a (sub)core or were preempted, drawn above the doorbell notes. */
  /** The host-scheduler note wrapped to the width (empty when no vcore waited). */
  schedulerNote: string[]
  schedulerTop: number
}

/**
 * One line on the host scheduler's part: the vcores whose runners waited for a (sub)core or were
 * preempted at a host tick, with where each was at the end of the run. Null when none waited.
 */
export function schedulerNote(layout: PowerLayout, tickNs = 10): string | null {
  const shared = layout.vcores.filter((v) => v.waitedTicks > 0 || v.preemptions > 0)
  if (shared.length === 0) return null
  const us = (ticks: number) => Math.round((ticks * tickNs) / 1000).toLocaleString('en-US')
  const parts = shared.slice(0, 3).map((v) => {
    const now =
      v.stateAtEnd === 'waiting-for-core'
        ? ', waiting at the end'
        : v.stateAtEnd === 'preempted'
          ? ', preempted at the end'
          : v.stateAtEnd === 'piggyback'
            ? ', run along by another at the end'
            : ''
    const pre = v.preemptions > 0 ? `, preempted ${v.preemptions}×` : ''
    return `vcore ${v.vcore} waited ${us(v.waitedTicks)} µs${pre}${now}`
  })
  const more = shared.length > 3 ? `; and ${shared.length - 3} more` : ''
  return `Host scheduler (more vcores than cores): ${parts.join('; ')}${more}`
}

const NOTE_ROW = 17

function usedCores(layout: PowerLayout): PowerLayout['cores'] {
  return layout.cores.filter((c) => c.subcores.some((s) => s.vcore !== null))
}

function coresToDraw(layout: PowerLayout): PowerLayout['cores'] {
  const used = usedCores(layout)
  const shown = used.length > 0 ? used : layout.cores.slice(0, 1)
  return shown.slice(0, MAX_CORES_DRAWN)
}

export function powerGeometry(
  layout: PowerLayout,
  smtMode: number,
  maxWidth?: number,
  /** Doorbells listed under the grid, one line each (and one for the line over them). */
  notes = 0,
  /** The subtitle has a second line (what the figure left out). */
  leftOut = false,
): PowerGeometry {
  const tps = layout.threadsPerSubcore
  const cellW = cellWidth(layout, maxWidth)
  const subW = tps * cellW + (tps - 1) * CELL.gap
  const rowW = layout.subcoresPerCore * subW + (layout.subcoresPerCore - 1) * CELL.subcoreGap
  const gridW = PAD * 2 + CELL.labelW + rowW
  const width = Math.max(gridW, Math.min(maxWidth ?? 640, 640), 360)

  // The legend wraps to the width; the co-scheduling entry only where a run took vcores along.
  const along = layout.cores.some((c) => c.subcores.some((sc) => sc.run !== undefined))
  const entries = LEGEND.filter((l) => l.key !== 'along' || along)
  const head = PAD + HEADER + (leftOut ? 15 : 0)
  const legend = wrapLegend(entries, PAD, head, width - PAD, LEGEND_ROW)
  const ly = legend.length ? Math.max(...legend.map((l) => l.y)) : head
  const gridTop = ly + LEGEND_ROW + 10

  const rowH = CELL.band + CELL.h + CELL.rowGap
  const x0 = PAD + CELL.labelW
  const cells: CellGeometry[] = []
  const labels: PowerGeometry['labels'] = []
  const brackets: PowerGeometry['brackets'] = []
  const vcoreById = new Map(layout.vcores.map((v) => [v.vcore, v]))
  const drawn = coresToDraw(layout)
  drawn.forEach((core, r) => {
    const y = gridTop + r * rowH
    labels.push({ x: PAD, y: y + CELL.band + CELL.h / 2, text: `core ${core.core}`, kind: 'core' })
    core.subcores.forEach((sc, s) => {
      const sx = x0 + s * (subW + CELL.subcoreGap)
      const v = sc.vcore === null ? undefined : vcoreById.get(sc.vcore)
      if (sc.run) {
        runLabels(sc, sx, y, cellW, labels, brackets)
      } else {
        const text = subcoreLabel(layout, sc.subcore, v, subW)
        labels.push({ x: sx, y: y + CELL.band / 2, text, kind: 'subcore' })
      }
      sc.threads.forEach((t, i) => {
        cells.push({
          core: core.core,
          subcore: sc.subcore,
          thread: t,
          x: sx + i * (cellW + CELL.gap),
          y: y + CELL.band,
          w: cellW,
          ...placementOf(sc, t, smtMode),
        })
      })
    })
  })
  const foldedCores = layout.cores.length - drawn.length
  const used = usedCores(layout).length
  const cutCores = Math.max(0, used - drawn.length)
  const schedulerTop = gridTop + drawn.length * rowH + (foldedCores > 0 ? 18 : 0)
  const note = schedulerNote(layout)
  // 12px sans-serif runs about 6.5 px a character; three lines hold the note for three vcores.
  const sched = note ? wrapText(note, Math.floor((width - 2 * PAD) / 6.5), 3) : []
  const notesTop = schedulerTop + sched.length * NOTE_ROW
  const height = notesTop + notes * NOTE_ROW + PAD
  return {
    width,
    height,
    cellW,
    cells,
    labels,
    brackets,
    legend,
    foldedCores,
    cutCores,
    usedCores: used,
    gridTop,
    notesTop,
    schedulerNote: sched,
    schedulerTop,
  }
}

/**
 * Where a thread's vcpu stands against its guest's idea of it: off its virtual thread (the guest
 * believes it is `id mod smtMode`; in a co-scheduled run, counted from its subcore's first thread),
 * or run along by another vcore's runner. A piggybacked 1-thread vcore off thread 0 of its subcore
 * is not marked off its thread: can_piggyback allows that on POWER8 because such a guest has no
 * sibling to address (ec257165).
 */
function placementOf(
  sc: PowerSubcore,
  t: PowerThread,
  smtMode: number,
): Pick<CellGeometry, 'misaligned' | 'along' | 'runNote'> {
  const rs = sc.run?.subcores.find(
    (r) => t.subcoreThread >= r.firstThread && t.subcoreThread < r.firstThread + r.threads,
  )
  if (!sc.run || !rs) {
    const misaligned = t.vcpu !== null && t.vcpu % smtMode !== t.subcoreThread
    return { misaligned, along: false, runNote: null }
  }
  const along = t.vcore !== undefined && t.vcore !== sc.vcore
  const piggy = rs.vcores.length > 1 && t.vcore !== undefined && t.vcore !== rs.vcores[0]
  const rel = t.subcoreThread - rs.firstThread
  const misaligned = t.vcpu !== null && !piggy && t.vcpu % smtMode !== rel
  const split =
    sc.run.split > 1
      ? `subcore ${rs.subcore} of a ${sc.run.split}-way split (threads ${rs.firstThread}–${rs.firstThread + rs.threads - 1}, b4deba5c)`
      : `subcore ${rs.subcore} (threads ${rs.firstThread}–${rs.firstThread + rs.threads - 1})`
  const who =
    t.vcore === undefined
      ? ''
      : along
        ? `vcore ${t.vcore}, run along by vcore ${sc.vcore}'s runner (VCORE_PIGGYBACK)`
        : `vcore ${t.vcore}, whose runner ran the core`
  const tir = piggy
    ? `; a piggybacked 1-thread vcore: its TIR reads ${rel}, which can_piggyback allows only for 1-thread vcores on POWER8 (ec257165)`
    : ''
  return { misaligned, along, runNote: `${split}${who ? `: ${who}` : ''}${tir}` }
}

/** The labels above a co-scheduled run's subcores, and a line under each spanning its threads. */
function runLabels(
  sc: PowerSubcore,
  sx: number,
  y: number,
  cellW: number,
  labels: PowerGeometry['labels'],
  brackets: PowerGeometry['brackets'],
): void {
  const run = sc.run as NonNullable<PowerSubcore['run']>
  for (const rs of run.subcores) {
    const x = sx + rs.firstThread * (cellW + CELL.gap)
    const w = rs.threads * (cellW + CELL.gap) - CELL.gap
    const [head, ...rest] = rs.vcores
    const piggy = run.split === 1 && run.subcores.length === 1
    const along = rest.length > 0 ? ` + ${piggy ? 'piggybacked ' : ''}${rest.join(', ')}` : ''
    const candidates = [
      `${run.split > 1 ? `split ${run.split}: ` : ''}sc ${rs.subcore}: vcore ${head}${along}`,
      `sc ${rs.subcore}: vcore ${head}${along}`,
      `vcore ${head}${along}`,
      `vc${head}${rest.length > 0 ? '+' : ''}`,
    ]
    const text = candidates.find((c) => c.length * 6 <= w) ?? (candidates.at(-1) as string)
    labels.push({ x, y: y + CELL.band / 2 - 2, text: clipTo(text, w), kind: 'subcore' })
    brackets.push({ x, y: y + CELL.band - 3, w })
  }
}

/**
 * The width of a thread's cell: `CELL.w`, or narrower (down to `CELL.minW`) so that a core's row
 * with its label, gaps and subcore gaps fits `maxWidth`.
 */
function cellWidth(layout: PowerLayout, maxWidth: number | undefined): number {
  const perRow = layout.threadsPerCore
  const fixed =
    PAD * 2 +
    CELL.labelW +
    (perRow - layout.subcoresPerCore) * CELL.gap +
    (layout.subcoresPerCore - 1) * CELL.subcoreGap
  return maxWidth === undefined
    ? CELL.w
    : Math.max(CELL.minW, Math.min(CELL.w, Math.floor((maxWidth - fixed) / perRow)))
}

/**
 * What is written above a subcore `subW` pixels wide: the longest wording that fits of its vcore
 * and that vcore's first_vcpuid (or "free"), clipped when even the shortest does not.
 */
function subcoreLabel(
  layout: PowerLayout,
  subcore: number,
  v: PowerLayout['vcores'][number] | undefined,
  subW: number,
): string {
  const split = layout.subcoresPerCore > 1
  const sc0 = split ? `sc ${subcore}: ` : ''
  const candidates =
    v === undefined
      ? [`${split ? `subcore ${subcore}: ` : ''}free`, 'free']
      : [
          ...(v.firstVcpuId !== null && layout.threadsPerSubcore > 1
            ? [`${sc0}vcore ${v.vcore} (first_vcpuid ${v.firstVcpuId})`]
            : []),
          `${sc0}vcore ${v.vcore}`,
          `vcore ${v.vcore}`,
          `vc${v.vcore}`,
        ]
  const label = candidates.find((c) => c.length * 6 <= subW) ?? (candidates.at(-1) as string)
  return clipTo(label, subW)
}

function clipTo(text: string, px: number): string {
  const n = Math.floor(px / 6)
  return text.length > n ? `${text.slice(0, Math.max(n - 1, 4))}…` : text
}

/** Diagonal hatch lines inside a rectangle, as one SVG path. */
export function hatchPath(x: number, y: number, w: number, h: number, step = 7): string {
  const parts: string[] = []
  for (let k = step; k < w + h; k += step) {
    // Line x + y = const, clipped to the rectangle.
    const x1 = x + Math.min(k, w)
    const y1 = y + Math.max(0, k - w)
    const x2 = x + Math.max(0, k - h)
    const y2 = y + Math.min(k, h)
    parts.push(`M${x1.toFixed(1)} ${y1.toFixed(1)}L${x2.toFixed(1)} ${y2.toFixed(1)}`)
  }
  return parts.join('')
}

/** The lines under the grid: a doorbell each, and the line over them when there is one. */
export function noteLines(
  input: Pick<PowerLayoutChartInput, 'doorbells' | 'doorbellNote'>,
): number {
  return (input.doorbells?.length ?? 0) + (input.doorbellNote ? 1 : 0)
}

/**
 * The layout's option: legend, core and subcore labels and notes as graphic elements; the legend's
 * hatching, doorbell arrows and the selection as overlays; one custom-series item per thread.
 */
export function powerLayoutOption(input: PowerLayoutChartInput): ChartOption {
  const { layout, palette: p } = input
  const geo = powerGeometry(
    layout,
    input.smtMode,
    input.maxWidth,
    noteLines(input),
    Boolean(input.leftOut),
  )
  const legend = legendGraphics(geo, p)
  return {
    animation: false,
    backgroundColor: p.background,
    aria: { enabled: true, label: { description: describeLayout(layout) } },
    title: chartTitle(input.title, input.subtitle, geo.width, PAD, p, input.leftOut),
    tooltip: itemTooltip((params: { dataIndex: number }) =>
      tooltipFor(geo.cells[params.dataIndex], input.smtMode, input.threadStates ?? null),
    ),
    graphic: [...legend.entries, ...labelGraphics(geo, p), ...noteGraphics(geo, input)],
    series: [
      overlaySeries('legend hatch', legend.hatch, 3),
      overlaySeries('doorbells', doorbellGraphics(geo, input), 10),
      overlaySeries('selection', selectionGraphics(geo, input), 12),
      {
        type: 'custom',
        name: 'threads',
        coordinateSystem: 'none',
        data: geo.cells.map((_, i) => i),
        renderItem: (params: { dataIndex: number }) =>
          threadCell(geo.cells[params.dataIndex] as CellGeometry, geo.cellW < 64, input),
      },
    ],
  }
}

/** The legend's swatches and texts (graphic elements), and the hatching of the napping ones. */
function legendGraphics(geo: PowerGeometry, p: Palette): { entries: unknown[]; hatch: unknown[] } {
  const entries: unknown[] = []
  const hatch: unknown[] = []
  for (const { x, y, key, text } of geo.legend) {
    const entry = { text, ...legendStyle(key, p) }
    entries.push({
      type: 'rect',
      shape: { x, y: y + 2, width: 14, height: 14, r: 2 },
      style: {
        fill: entry.fill,
        stroke: entry.border ?? p.grid,
        lineWidth: entry.border ? 2 : 1,
        lineDash: entry.dashed ? [3, 2] : null,
      },
      silent: true,
    })
    if (entry.hatch) {
      hatch.push({
        type: 'path',
        shape: { pathData: hatchPath(x, y + 2, 14, 14, 5) },
        style: { stroke: p.hatch, lineWidth: 1 },
        silent: true,
      })
    }
    entries.push({
      type: 'text',
      x: x + 20,
      y: y + 3,
      style: { text: entry.text, fill: p.text, font: '12px sans-serif' },
      silent: true,
    })
  }
  return { entries, hatch }
}

/** The core labels left of each row and the vcore labels above each subcore. */
function labelGraphics(geo: PowerGeometry, p: Palette): unknown[] {
  const brackets = geo.brackets.map((b) => ({
    type: 'line',
    shape: { x1: b.x, y1: b.y, x2: b.x + b.w, y2: b.y },
    style: { stroke: p.muted, lineWidth: 1.5 },
    silent: true,
  }))
  return [...brackets, ...labelTexts(geo, p)]
}

/**
 * The core and vcore labels. A vcore's label sits above its threads, where the doorbell arrows
 * arch: it is drawn over them (z above the arrows' series) on the chart's background, so an arrow
 * never hides it.
 */
function labelTexts(geo: PowerGeometry, p: Palette): unknown[] {
  return geo.labels.map((l) => ({
    type: 'text',
    x: l.x,
    y: l.y,
    style: {
      text: l.text,
      fill: l.kind === 'core' ? p.text : p.muted,
      font: l.kind === 'core' ? 'bold 13px sans-serif' : '11px sans-serif',
      verticalAlign: 'middle',
      ...(l.kind === 'subcore' ? { backgroundColor: p.background, padding: [1, 2] } : {}),
    },
    silent: true,
    ...(l.kind === 'subcore' ? { z: 13 } : {}),
  }))
}

/**
 * The notes: cores folded away and the host scheduler's part under the grid, and the tick the
 * thread states are for at the top right.
 */
function noteGraphics(geo: PowerGeometry, input: PowerLayoutChartInput): unknown[] {
  const p = input.palette
  const notes: unknown[] = []
  if (geo.foldedCores > 0) {
    notes.push({
      type: 'text',
      x: PAD,
      y: geo.notesTop - 16,
      style: {
        text: foldedNote(geo),
        fill: p.muted,
        font: '12px sans-serif',
      },
      silent: true,
    })
  }
  geo.schedulerNote.forEach((line, i) => {
    notes.push({
      type: 'text',
      x: PAD,
      y: geo.schedulerTop + 2 + i * NOTE_ROW,
      style: { text: line, fill: p.text, font: '12px sans-serif' },
      silent: true,
    })
  })
  if (input.atTick != null && input.threadStates) {
    notes.push({
      type: 'text',
      x: geo.width - PAD,
      y: PAD + 2,
      style: {
        text: `as at tick ${Math.round(input.atTick).toLocaleString('en-US')}`,
        fill: p.selected,
        font: 'bold 11px sans-serif',
        align: 'right',
      },
      silent: true,
    })
  }
  return notes
}

/** The line under the grid for the cores not drawn: those in use past the most drawn, those idle. */
function foldedNote(geo: PowerGeometry): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const idle = geo.foldedCores - geo.cutCores
  if (geo.cutCores === 0) {
    return `… and ${idle} more core${idle === 1 ? '' : 's'} with no vcore (not drawn)`
  }
  const drawn = geo.usedCores - geo.cutCores
  return `… and ${n(geo.cutCores)} more cores in use not drawn (${n(drawn)} of ${n(geo.usedCores)} drawn)${idle ? `; ${n(idle)} with no vcore folded away` : ''}`
}

/** What a figure of the layout leaves out, for its subtitle: cores and doorbells not drawn. */
export function powerLeftOut(
  geo: PowerGeometry,
  doorbellsDrawn: number,
  doorbells: number,
): string[] {
  const n = (x: number) => x.toLocaleString('en-US')
  const out: string[] = []
  if (geo.cutCores) {
    const drawn = geo.usedCores - geo.cutCores
    out.push(`${n(geo.cutCores)} of ${n(geo.usedCores)} cores in use (past the first ${n(drawn)})`)
  }
  const idle = geo.foldedCores - geo.cutCores
  if (idle) out.push(`${n(idle)} idle core${idle === 1 ? '' : 's'}`)
  if (doorbells > doorbellsDrawn) {
    out.push(
      `${n(doorbells - doorbellsDrawn)} of ${n(doorbells)} astray doorbells (${n(doorbellsDrawn)} drawn)`,
    )
  }
  return out
}

/**
 * One thread's cell: its box (blue for a guest, yellow for a thread 0 with no vcpu, a red border
 * when misaligned), hatched while it naps, its vcpu and thread written in it, and the MMU badge.
 */
function threadCell(c: CellGeometry, narrow: boolean, input: PowerLayoutChartInput): unknown {
  const p = input.palette
  const role = c.thread.role
  const napping =
    role === 'no-vcpu-nap' ||
    (input.threadStates ? NAP_STATES.has(input.threadStates.get(c.thread.cpu) ?? '') : false)
  const children: unknown[] = [
    {
      type: 'rect',
      shape: { x: c.x, y: c.y, width: c.w, height: CELL.h, r: 3 },
      style: {
        fill: role === 'guest' ? p.guest : role === 'no-vcpu-nap' ? p.noVcpu : p.idle,
        stroke: c.misaligned ? p.bad : c.along ? p.text : p.grid,
        lineWidth: c.misaligned ? 3 : c.along ? 2 : 1,
        lineDash: c.along && !c.misaligned ? [4, 3] : null,
      },
    },
  ]
  if (napping) {
    children.push({
      type: 'path',
      shape: { pathData: hatchPath(c.x + 1, c.y + 1, c.w - 2, CELL.h - 2) },
      style: { stroke: p.hatch, lineWidth: 1 },
      silent: true,
    })
  }
  children.push(...cellTexts(c, narrow, p, input.cellLabel ?? 'vcpu'))
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
}

/** The two lines in a cell: its vcpu (or "no vcpu"), then its thread and host cpu; or, as
 * chosen, its thread or host cpu first and the other two under it. */
function cellTexts(c: CellGeometry, narrow: boolean, p: Palette, label: CellLabel): unknown[] {
  const guest = c.thread.role === 'guest'
  const t = c.thread
  const vcpu = t.vcpu === null ? '—' : narrow ? `v${t.vcpu}` : `vcpu ${t.vcpu}`
  const [first, second] =
    label === 'thread'
      ? [narrow ? `t${t.thread}` : `thread ${t.thread}`, narrow ? vcpu : `${vcpu} · cpu ${t.cpu}`]
      : label === 'cpu'
        ? [narrow ? `c${t.cpu}` : `cpu ${t.cpu}`, narrow ? vcpu : `t${t.thread} · ${vcpu}`]
        : [cellTitle(c, narrow), narrow ? `t${t.thread}` : `t${t.thread} · cpu ${t.cpu}`]
  return [
    {
      type: 'text',
      x: c.x + c.w / 2,
      y: c.y + 25,
      style: {
        text: first,
        fill: guest ? p.guestText : p.text,
        font: guest ? 'bold 12px sans-serif' : '11px sans-serif',
        align: 'center',
        verticalAlign: 'middle',
      },
    },
    {
      type: 'text',
      x: c.x + c.w / 2,
      y: c.y + 42,
      style: {
        text: second,
        fill: guest ? p.guestText : p.muted,
        font: '10px sans-serif',
        align: 'center',
        verticalAlign: 'middle',
        opacity: 0.85,
      },
    },
  ]
}

/**
 * An arrow from cell `a` arching `lift` px above the higher cell to cell `b`, pushed onto `out`;
 * returns the middle of the arch, where its number goes.
 */
function arrowArc(
  out: unknown[],
  a: CellGeometry,
  b: CellGeometry,
  lift: number,
  colour: string,
  dashed: boolean,
): { x: number; y: number } {
  const x1 = a.x + a.w / 2
  const x2 = b.x + b.w / 2
  const y1 = a.y + 2
  const y2 = b.y + 2
  const cy = Math.min(y1, y2) - lift
  const dir = x2 >= x1 ? 1 : -1
  out.push({
    type: 'path',
    shape: {
      pathData:
        `M${x1} ${y1}Q${(x1 + x2) / 2} ${cy} ${x2} ${y2}` +
        `M${x2 - dir * 3 - 4} ${y2 - 8}L${x2} ${y2}L${x2 + 4 - dir * 3} ${y2 - 9}`,
    },
    style: { fill: 'none', stroke: colour, lineWidth: 2.5, lineDash: dashed ? [5, 4] : null },
    silent: true,
    z: 10,
  })
  return { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - lift / 2 - 4 }
}

/** A doorbell's number in a pill of its colour, over its arrow. */
function numberBadge(x: number, y: number, text: string, colour: string, background: string) {
  return {
    type: 'text',
    x,
    y,
    style: {
      text,
      fill: background,
      backgroundColor: colour,
      borderRadius: 8,
      padding: [1, 4],
      font: 'bold 10px sans-serif',
      align: 'center',
      verticalAlign: 'middle',
    },
    silent: true,
    z: 11,
  }
}

/** Arrows over the grid: from the sender's thread, arching up, to where the doorbell landed. */
function doorbellGraphics(geo: PowerGeometry, input: PowerLayoutChartInput): unknown[] {
  const p = input.palette
  const byCpu = new Map(geo.cells.map((c) => [c.thread.cpu, c]))
  const out: unknown[] = []
  const arc = (a: CellGeometry, b: CellGeometry, lift: number, colour: string, dashed: boolean) =>
    arrowArc(out, a, b, lift, colour, dashed)
  const first = input.doorbellNote ? 1 : 0
  if (input.doorbellNote) {
    out.push({
      type: 'text',
      x: PAD,
      y: geo.notesTop + 8,
      style: {
        text: input.doorbellNote,
        fill: p.muted,
        font: '12px sans-serif',
        verticalAlign: 'middle',
      },
      silent: true,
    })
  }
  ;(input.doorbells ?? []).forEach((d, i) => {
    const n = String(i + 1)
    const colour = d.bad ? p.bad : p.text
    const badge = (x: number, y: number) => out.push(numberBadge(x, y, n, colour, p.background))
    out.push({
      type: 'text',
      x: PAD,
      y: geo.notesTop + (i + first) * NOTE_ROW + 8,
      style: {
        text: `${n}  ${d.label}`,
        fill: colour,
        font: `${d.bad ? 'bold ' : ''}12px sans-serif`,
        verticalAlign: 'middle',
      },
      silent: true,
    })
    const from = byCpu.get(d.fromCpu)
    if (!from) return
    const to = d.toCpu === null ? undefined : byCpu.get(d.toCpu)
    const meant = d.intendedCpu === null ? undefined : byCpu.get(d.intendedCpu)
    if (meant && meant !== to && meant !== from) arc(from, meant, 12 + i * 4, p.good, true)
    if (to && to !== from) {
      const at = arc(from, to, 20 + i * 6, colour, false)
      badge(at.x, at.y)
    } else badge(from.x + from.w - 8, from.y + 8)
  })
  return out
}

/** A thick outline around the selected thread (or the threads of the selected vcpu). */
function selectionGraphics(geo: PowerGeometry, input: PowerLayoutChartInput): unknown[] {
  return geo.cells
    .filter(
      (c) =>
        (input.selectedVcpu != null && c.thread.vcpu === input.selectedVcpu) ||
        (input.selectedCpu != null && c.thread.cpu === input.selectedCpu),
    )
    .map((c) => ({
      type: 'rect',
      shape: { x: c.x - 3, y: c.y - 3, width: c.w + 6, height: CELL.h + 6, r: 5 },
      style: { fill: 'none', stroke: input.palette.selected, lineWidth: 3.5 },
      silent: true,
    }))
}

function cellTitle(c: CellGeometry, narrow: boolean): string {
  if (c.thread.vcpu !== null) return narrow ? `v${c.thread.vcpu}` : `vcpu ${c.thread.vcpu}`
  return c.thread.role === 'no-vcpu-nap' ? 'no vcpu' : '—'
}

function tooltipFor(
  c: CellGeometry | undefined,
  smtMode: number,
  states: ReadonlyMap<number, string> | null,
): string {
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
  if (c.runNote) lines.push(escapeHtml(c.runNote))
  const state = states?.get(t.cpu)
  if (state) lines.push(`state at the chosen tick: ${escapeHtml(state)}`)
  return lines.join('<br>')
}

/** A sentence for screen readers and the accessible summary. */
export function describeLayout(layout: PowerLayout): string {
  // By number: a layout may hold some of the cores only (the grid under an overview).
  const byCore = new Map(layout.cores.map((c) => [c.core, c]))
  const placed = layout.vcores.filter(
    (v) => v.placedOn !== null && byCore.get(v.placedOn.core)?.subcores[v.placedOn.subcore],
  )
  const parts = placed.map((v) => {
    const threads = byCore.get(v.placedOn!.core)!.subcores[v.placedOn!.subcore]!.threads
    const occupied = threads
      .filter((t) => t.vcpu !== null)
      .map((t) => `vcpu ${t.vcpu} on thread ${t.thread}`)
    return `vcore ${v.vcore} on core ${v.placedOn!.core}${layout.subcoresPerCore > 1 ? ` subcore ${v.placedOn!.subcore}` : ''}: ${occupied.join(', ')}`
  })
  const shown = parts.slice(0, 32).join('. ')
  const more = parts.length > 32 ? `. And ${parts.length - 32} more vcores` : ''
  const sched = schedulerNote(layout)
  return `${layout.processor}, ${layout.cores.length} cores of ${layout.threadsPerCore} threads. ${shown}${more}.${sched ? ` ${sched}.` : ''}`
}
