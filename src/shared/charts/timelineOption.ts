/**
 * The timeline as an ECharts option (custom series): one row per hardware thread or CPU, spans
 * coloured by state, instant events as marks with arrows from sender to receiver, a state legend,
 * the selected row, span, event and time range. Pure: the app draws every frame with it (zoomed,
 * scrolled) and the CLI can render the same picture headless (issue 7).
 *
 * Each visible row is one custom-series item drawn as one path per state, so a frame has a few
 * hundred elements however many spans the run has (timelineModel's binning does the rest).
 */
import {
  chartTitle,
  escapeHtml,
  overlaySeries,
  stateColor,
  wrapLegend,
  type ChartOption,
  type Palette,
} from './palette'
import {
  formatDuration,
  formatTick,
  niceStep,
  visibleEvents,
  foldMergedEach,
  lodColumns,
  foldColumns,
  type PlacedEvent,
  type PreparedTimeline,
  type TimeWindow,
} from './timelineModel'
import {
  flatRows,
  groupEvents,
  groupRanges,
  type DisplayRow,
  type DisplayRows,
  type TrackTree,
} from './timelineTree'
import type { EventStatus } from '../events'
import { NUMBER_PATH, NumberPath } from './numberPath'

export interface TimelineChartInput {
  prepared: PreparedTimeline
  window: TimeWindow
  /** Chart width in pixels. */
  width: number
  /** First visible row (vertical scroll) and how many rows fit; all rows when absent. */
  firstRow?: number
  maxRows?: number
  /**
   * The rows: a tree's groups and pinned tracks (`displayRows`), with the tree for a collapsed
   * group's summary and events. Absent: every track in order, as the exports draw them.
   */
  rows?: DisplayRows
  tree?: TrackTree
  title: string
  subtitle: string
  palette: Palette
  /** Rows to highlight (linked selection). */
  selectedRows?: readonly number[]
  /** Index into `RunResult.events`. */
  selectedEvent?: number | null
  selectedSpan?: { row: number; span: number } | null
  /** A time range selected by dragging. */
  range?: TimeWindow | null
  /** Pixels per bin when folding narrow spans and close events. */
  binPx?: number
  /** Most arrows drawn; beyond that, marks only (the footer says so). */
  maxArrows?: number
  /** A state picked in the legend: its spans stay, every other state's fade. */
  highlightState?: string | null
  /** An area dragged over some tracks: the range is shaded on their rows only. */
  areaTracks?: ReadonlySet<number> | null
  /** A line under the subtitle saying what the figure left out (exports; timelineLeftOut). */
  leftOut?: string | null
}

/** The second subtitle line's height, when a figure says what it left out. */
export const LEFT_OUT_H = 15

export const TL = {
  pad: 12,
  titleH: 46,
  legendRowH: 20,
  labelW: 176,
  rowH: 22,
  axisH: 28,
  right: 18,
  footerH: 18,
}

export interface LegendItem {
  kind: 'state' | 'event'
  key: string
  text: string
  color: string
  x: number
  y: number
}

export interface TimelineGeometry {
  width: number
  height: number
  plot: { x: number; y: number; w: number; h: number }
  rowH: number
  /** The first scrolled row drawn (an index into `rows.rows`). */
  firstRow: number
  /** Rows drawn: the pinned ones, then `scrollRows` of the scrolling ones. */
  rows: number
  pinned: number
  scrollRows: number
  /** How many rows scroll. */
  total: number
  legend: LegendItem[]
  ticksPerPx: number
}

export function timelineGeometry(input: TimelineChartInput): TimelineGeometry {
  const pinned = input.rows?.pinned.length ?? 0
  const total = input.rows ? input.rows.rows.length : input.prepared.tracks.length
  const all = total + pinned
  const maxRows = Math.max(1, Math.min(input.maxRows ?? all, all || 1))
  const room = Math.max(0, maxRows - pinned)
  const firstRow = Math.max(0, Math.min(input.firstRow ?? 0, Math.max(0, total - room)))
  const scrollRows = Math.min(room, total - firstRow)
  const rows = pinned + scrollRows
  const legend = legendItems(input)
  const last = legend[legend.length - 1]
  const extra = input.leftOut ? LEFT_OUT_H : 0
  const plotY = (last ? last.y + TL.legendRowH : TL.pad + TL.titleH + extra) + 6
  const w = Math.max(80, input.width - TL.labelW - TL.right)
  const h = Math.max(rows, 1) * TL.rowH
  return {
    width: input.width,
    height: plotY + h + TL.axisH + TL.footerH,
    plot: { x: TL.labelW, y: plotY, w, h },
    rowH: TL.rowH,
    firstRow,
    rows,
    pinned,
    scrollRows,
    total,
    legend,
    ticksPerPx: (input.window.to - input.window.from) / w,
  }
}

function legendItems(input: TimelineChartInput): LegendItem[] {
  const p = input.prepared
  const items: Omit<LegendItem, 'x' | 'y'>[] = p.states.map((s, i) => ({
    kind: 'state',
    key: s.state,
    text: s.label,
    color: stateColor(s.state, i, input.palette),
  }))
  if (p.events.length > 0) {
    items.push(
      { kind: 'event', key: 'ok', text: 'event', color: input.palette.text },
      { kind: 'event', key: 'bad', text: 'event that went wrong', color: input.palette.bad },
      { kind: 'event', key: 'arrow', text: 'sender → receiver', color: input.palette.muted },
    )
  }
  const top = TL.pad + TL.titleH + (input.leftOut ? LEFT_OUT_H : 0)
  return wrapLegend(items, TL.pad, top, input.width - TL.pad, TL.legendRowH)
}

const STATUS_ORDER: EventStatus[] = ['ok', 'neutral', 'bad']

/**
 * One frame of the timeline as every part of it sees it: the input, its geometry, where a tick
 * and a row are in pixels, and the bin that folds narrow spans. Built once per option.
 */
interface Frame {
  input: TimelineChartInput
  p: PreparedTimeline
  win: TimeWindow
  pal: Palette
  g: TimelineGeometry
  d: DisplayRows
  /** The rows drawn, top to bottom. */
  visible: VisibleRow[]
  ticksPerBin: number
  xOf: (t: number) => number
  /** The top of the `r`th row drawn. */
  rowTop: (r: number) => number
  /** Where an arrow to a track ends: its row's middle, or the edge it is scrolled past; null
   * when the track is drawn on the row the arrow starts from (a collapsed group). */
  trackY: (track: number, fromR: number) => number | null
  selectedRows: ReadonlySet<number>
}

/** A row drawn: its place among the rows drawn (`r`) and what it is. */
export interface VisibleRow {
  r: number
  item: DisplayRow
}

function timelineFrame(input: TimelineChartInput): Frame {
  const { prepared: p, window: win, palette: pal } = input
  const g = timelineGeometry(input)
  const d = input.rows ?? flatRows(p)
  const span = win.to - win.from
  const rowTop = (r: number) => g.plot.y + r * g.rowH
  const trackY = (track: number, fromR: number): number | null => {
    const at = d.rowOfTrack[track] ?? -1
    if (at < 0) return null
    const r = at < g.pinned ? at : at - g.firstRow
    if (at >= g.pinned && r < g.pinned) return g.plot.y + g.pinned * g.rowH
    if (r >= g.rows) return g.plot.y + g.plot.h
    if (r === fromR) return null
    return rowTop(r) + g.rowH / 2
  }
  return {
    input,
    p,
    win,
    pal,
    g,
    d,
    visible: visibleRows(g, d),
    ticksPerBin: g.ticksPerPx * (input.binPx ?? 2),
    xOf: (t: number) => g.plot.x + ((t - win.from) / span) * g.plot.w,
    rowTop,
    trackY,
    selectedRows: new Set(input.selectedRows ?? []),
  }
}

/** The rows drawn, top to bottom: the pinned ones, then the scrolled ones in view. */
export function visibleRows(g: TimelineGeometry, d: DisplayRows): VisibleRow[] {
  const out: VisibleRow[] = d.pinned.map((item, r) => ({ r, item }))
  for (let k = 0; k < g.scrollRows; k++) {
    out.push({ r: g.pinned + k, item: d.rows[g.firstRow + k]! })
  }
  return out
}

/** Whether a row's tracks include a selected one (a track, or a collapsed group holding it). */
function rowSelected(item: DisplayRow, selected: ReadonlySet<number>): boolean {
  if (selected.size === 0) return false
  if (item.kind === 'track') return selected.has(item.track)
  return item.collapsed && item.tracks.some((t) => selected.has(t))
}

/** The events drawn on a row: its track's, or a collapsed group's tracks'. */
function rowEvents({ p, input }: Frame, item: DisplayRow): readonly PlacedEvent[] {
  if (item.kind === 'track') return p.eventsByRow[item.track] ?? []
  return item.collapsed && input.tree ? groupEvents(input.tree, p, item) : []
}

/**
 * The option of one frame: the spans series (a row each), the events and legend overlays, and the
 * labels, range and footer as graphic elements, in that drawing order.
 */
export function timelineOption(input: TimelineChartInput): ChartOption {
  const f = timelineFrame(input)
  const { p, win, pal, g } = f
  const rows = spanRows(f)
  const events = eventPaths(f)
  const legend = legendGraphics(f)
  const graphic: unknown[] = [
    ...trackLabels(f),
    ...legend.texts,
    ...rangeGraphics(f),
    footerGraphic(f, rows.drawnRanges, events.arrowsLeftOut),
  ]
  return {
    animation: false,
    backgroundColor: pal.background,
    aria: {
      enabled: true,
      label: { description: describeTimeline(p, win) },
    },
    title: chartTitle(input.title, input.subtitle, input.width, TL.pad, pal, input.leftOut),
    grid: {
      left: g.plot.x,
      top: g.plot.y,
      width: g.plot.w,
      height: g.plot.h,
      containLabel: false,
    },
    xAxis: tickAxis(f),
    yAxis: { type: 'value', min: 0, max: 1, show: false },
    graphic,
    series: [
      {
        type: 'custom',
        name: 'spans',
        coordinateSystem: 'cartesian2d',
        data: rows.items.map((_, i) => [win.from, i]),
        encode: { x: 0, y: 1 },
        renderItem: (params: { dataIndex: number }) => rows.items[params.dataIndex],
        silent: true,
        z: 1,
      },
      overlaySeries('events', eventGraphics(f, events), 3),
      overlaySeries('legend', legend.symbols, 3),
    ],
  }
}

/**
 * The time axis under the plot: ticks at about every 110 px, the grid lines faint. The labels are
 * given the step ECharts takes between ticks (`niceStep`), to print the decimals that tell each
 * from its neighbours.
 */
function tickAxis({ win, pal, g }: Frame): ChartOption {
  const splitNumber = Math.max(2, Math.floor(g.plot.w / 110))
  const step = niceStep((win.to - win.from) / splitNumber)
  return {
    type: 'value',
    min: win.from,
    max: win.to,
    position: 'bottom',
    splitNumber,
    axisLine: { lineStyle: { color: pal.grid } },
    axisTick: { lineStyle: { color: pal.grid } },
    axisLabel: {
      color: pal.muted,
      formatter: (v: number) => formatTick(v, step),
      hideOverlap: true,
    },
    splitLine: { show: true, lineStyle: { color: pal.grid, opacity: 0.45 } },
    z: 0,
  }
}

/**
 * One custom-series item per visible row: its background, one path per state and the outlines of
 * a selected row and span; and how many folded ranges they draw (the footer counts them).
 */
function spanRows(f: Frame): { items: unknown[]; drawnRanges: number } {
  const colours = f.p.states.map((s, i) => stateColor(s.state, i, f.pal))
  const items: unknown[] = []
  let drawnRanges = 0
  for (const { r, item } of f.visible) {
    const y = f.rowTop(r)
    const boxes = rowBoxes(f, item, y)
    drawnRanges += boxes.count
    const selected = rowSelected(item, f.selectedRows)
    const children: unknown[] = [
      {
        type: 'rect',
        shape: { x: f.g.plot.x, y, width: f.g.plot.w, height: f.g.rowH },
        style: {
          fill: selected
            ? f.pal.highlight
            : item.kind === 'group' || r % 2
              ? f.pal.rowAlt
              : f.pal.background,
        },
        silent: true,
      },
      ...statePaths(f, boxes.paths, colours),
      ...rowSelection(f, item, selected, y),
    ]
    // A track's pin, left of its label (paths draw in a series, not the graphic component).
    if (f.input.rows && item.kind === 'track') {
      children.push(pinGraphic(PIN.x + 4, y + 5, item.pinned, f.pal))
    }
    items.push({ type: 'group', children })
  }
  return { items, drawnRanges }
}

/**
 * What a row draws, as one path of boxes per state (in the order the states first appear) and how
 * many: its track's ranges, a collapsed group's summary, nothing for an open group. A track's are
 * folded straight into the paths, no range made as an object.
 */
function rowBoxes(
  f: Frame,
  item: DisplayRow,
  y: number,
): { paths: Map<string, NumberPath>; count: number } {
  const paths = new Map<string, NumberPath>()
  let count = 0
  const box = (path: NumberPath, start: number, end: number) => {
    const x0 = f.xOf(start)
    path.box(x0, y + 3, Math.max(f.xOf(end) - x0, 1), f.g.rowH - 6)
    count++
  }
  const pathOf = (state: string) => {
    let path = paths.get(state)
    if (!path) paths.set(state, (path = new NumberPath()))
    return path
  }
  if (item.kind === 'track') {
    // Each of the columns' states' path, found once.
    const c = lodColumns(f.p.tracks[item.track]!, f.ticksPerBin)
    const local: (NumberPath | undefined)[] = []
    foldMergedEach(c, f.win.from, f.win.to, f.ticksPerBin, (start, end, st) =>
      box((local[st] ??= pathOf(c.states[st] as string)), start, end),
    )
  } else if (item.collapsed && f.input.tree) {
    const ranges = groupRanges(f.input.tree, f.p, item, f.win.from, f.win.to, f.ticksPerBin)
    for (const rg of ranges) box(pathOf(rg.state), rg.start, rg.end)
  }
  return { paths, count }
}

/** A row's paths as elements, each in its state's colour. */
function statePaths(
  { input, p, pal }: Frame,
  paths: ReadonlyMap<string, NumberPath>,
  colours: readonly string[],
): unknown[] {
  return [...paths].map(([state, path]) => ({
    type: NUMBER_PATH,
    shape: { ops: path.ops },
    style: {
      fill: colours[p.stateIndex.get(state) ?? 0] ?? pal.muted,
      ...(faded(input, state) ? { opacity: FADED } : {}),
    },
    silent: true,
  }))
}

/** Opacity of a state's spans and swatch while another state is highlighted. */
const FADED = 0.18

const faded = (input: TimelineChartInput, state: string) =>
  input.highlightState != null && input.highlightState !== state

/** The outline of a selected row (label included) and of the selected span when it is on it. */
function rowSelection(
  { input, win, pal, g, xOf }: Frame,
  item: DisplayRow,
  selected: boolean,
  y: number,
): unknown[] {
  const out: unknown[] = []
  if (selected) {
    out.push({
      type: 'rect',
      shape: {
        x: g.plot.x - TL.labelW + TL.pad,
        y: y + 0.5,
        width: g.plot.w + TL.labelW - TL.pad,
        height: g.rowH - 1,
      },
      style: { fill: 'none', stroke: pal.selected, lineWidth: 2 },
      silent: true,
    })
  }
  if (item.kind !== 'track' || input.selectedSpan?.row !== item.track) return out
  const s = input.prepared.tracks[item.track]!.spans[input.selectedSpan.span]
  if (s && s.end > win.from && s.start < win.to) {
    const x0 = Math.max(xOf(s.start), g.plot.x)
    const x1 = Math.min(xOf(s.end), g.plot.x + g.plot.w)
    out.push({
      type: 'rect',
      shape: { x: x0 - 1, y: y + 1, width: Math.max(x1 - x0, 1) + 2, height: g.rowH - 2 },
      style: { fill: 'none', stroke: pal.selected, lineWidth: 2 },
      silent: true,
    })
  }
  return out
}

interface EventPaths {
  marks: Record<EventStatus, NumberPath>
  arrows: Record<EventStatus, NumberPath>
  /** Arrows beyond `maxArrows`, not drawn. */
  arrowsLeftOut: number
  /** Where the selected event's mark is, when it is in view. */
  selectedMark: { x: number; y: number } | null
}

/** Events closer than this many pixels share one mark (drawn larger: it stands for several). */
const MARK_BIN_PX = 8

const byStatus = (): Record<EventStatus, NumberPath> => ({
  ok: new NumberPath(),
  neutral: new NumberPath(),
  bad: new NumberPath(),
})

/**
 * The events of the visible rows as paths by status: a mark per bin, and an arrow from it to
 * each row the event went to (to the plot's edge for a row scrolled out of view), `maxArrows` at
 * most, counted from the top row.
 */
function eventPaths(f: Frame): EventPaths {
  const { input, win, g, ticksPerBin, xOf, rowTop, trackY } = f
  const out: EventPaths = {
    marks: byStatus(),
    arrows: byStatus(),
    arrowsLeftOut: 0,
    selectedMark: null,
  }
  let arrowCount = 0
  const maxArrows = input.maxArrows ?? 400
  // Marks are 10-12 px wide: closer ones would only cover each other.
  const markBin = Math.max(ticksPerBin * 2, g.ticksPerPx * MARK_BIN_PX)
  for (const { r, item } of f.visible) {
    const y = rowTop(r)
    const events = rowEvents(f, item)
    for (const m of visibleEvents(events, win.from, win.to, markBin)) {
      const x = xOf(m.at)
      const size = m.count > 1 ? 6 : 5
      out.marks[m.status]
        .moveTo(x - size, y + 2)
        .lineTo(x + size, y + 2)
        .lineTo(x, y + size + 5)
      for (const to of m.first.toRows) {
        const yTo = trackY(to, r)
        if (yTo === null) continue
        if (arrowCount >= maxArrows) {
          out.arrowsLeftOut++
          continue
        }
        arrowCount++
        arrowPath(out.arrows[m.status], x, y + g.rowH / 2, yTo)
      }
    }
    if (input.selectedEvent != null) {
      const e = events.find((ev) => ev.index === input.selectedEvent)
      if (e && e.at >= win.from && e.at <= win.to) out.selectedMark = { x: xOf(e.at), y: y + 6 }
    }
  }
  return out
}

/** A vertical arrow at x from yFrom to yTo, its head at yTo. */
function arrowPath(path: NumberPath, x: number, yFrom: number, yTo: number): void {
  const dir = yTo > yFrom ? 1 : -1
  path
    .moveTo(x, yFrom)
    .lineTo(x, yTo)
    .moveTo(x - 4, yTo - dir * 7)
    .lineTo(x, yTo)
    .lineTo(x + 4, yTo - dir * 7)
}

/** The event paths drawn: per status its arrows then its marks, then a ring on the selected one. */
function eventGraphics({ pal }: Frame, e: EventPaths): unknown[] {
  const statusColour = (s: EventStatus) =>
    s === 'bad' ? pal.bad : s === 'neutral' ? pal.muted : pal.text
  const children: unknown[] = []
  for (const s of STATUS_ORDER) {
    if (!e.arrows[s].empty) {
      children.push({
        type: NUMBER_PATH,
        shape: { ops: e.arrows[s].ops },
        style: { fill: 'none', stroke: statusColour(s), lineWidth: 1.5, opacity: 0.85 },
        silent: true,
      })
    }
    if (!e.marks[s].empty) {
      children.push({
        type: NUMBER_PATH,
        shape: { ops: e.marks[s].ops },
        style: { fill: statusColour(s), stroke: pal.background, lineWidth: 0.5 },
        silent: true,
      })
    }
  }
  if (e.selectedMark) {
    children.push({
      type: 'circle',
      shape: { cx: e.selectedMark.x, cy: e.selectedMark.y, r: 8 },
      style: { fill: 'none', stroke: pal.selected, lineWidth: 2.5 },
      silent: true,
    })
  }
  return children
}

/**
 * Track labels right-aligned left of the plot, with a line above each new group. With a tree, a
 * group's row has its caret and name at the left, and every track a pin (filled when pinned).
 */
function trackLabels(f: Frame): unknown[] {
  if (f.input.rows) return treeLabels(f)
  const { p, pal, g, rowTop, selectedRows } = f
  const out: unknown[] = []
  for (const { r, item } of f.visible) {
    const row = (item as Extract<DisplayRow, { kind: 'track' }>).track
    const track = p.tracks[row]!
    const y = rowTop(r)
    const newGroup = row === 0 || p.tracks[row - 1]?.group !== track.group
    if (newGroup && r > 0) {
      out.push({
        type: 'line',
        shape: { x1: TL.pad, y1: y, x2: g.plot.x + g.plot.w, y2: y },
        style: { stroke: pal.grid, lineWidth: 1 },
        silent: true,
      })
    }
    out.push({
      type: 'text',
      x: TL.labelW - 8,
      y: y + g.rowH / 2,
      style: {
        text: clip(track.label, 27),
        fill: selectedRows.has(row) ? pal.selected : pal.text,
        font: `${selectedRows.has(row) ? 'bold ' : ''}11px sans-serif`,
        align: 'right',
        verticalAlign: 'middle',
      },
      silent: true,
    })
  }
  return out
}

/** Where a track row's pin is, from the left of the chart: the width a click toggles it in. */
export const PIN = { x: TL.pad, w: 16 }

function treeLabels({ p, pal, g, rowTop, visible, selectedRows }: Frame): unknown[] {
  const out: unknown[] = []
  const line = (y: number, strong: boolean) =>
    out.push({
      type: 'line',
      shape: { x1: TL.pad, y1: y, x2: g.plot.x + g.plot.w, y2: y },
      style: { stroke: strong ? pal.muted : pal.grid, lineWidth: strong ? 1.5 : 1 },
      silent: true,
    })
  for (const { r, item } of visible) {
    const y = rowTop(r)
    const selected = rowSelected(item, selectedRows)
    if (r === g.pinned && g.pinned > 0) line(y, true)
    else if (r > 0 && item.kind === 'group' && item.depth === 0) line(y, false)
    if (item.kind === 'group') {
      const x = TL.pad + item.depth * 12
      // An open group's row is empty right of its name: the name may run on over it.
      const room = item.collapsed ? Math.floor((TL.labelW - 8 - x) / 6.6) - 2 : 60
      out.push({
        type: 'text',
        x,
        y: y + g.rowH / 2,
        style: {
          text: `${item.collapsed ? '▸' : '▾'} ${clip(item.label, room)}`,
          fill: selected ? pal.selected : pal.text,
          font: 'bold 11px sans-serif',
          verticalAlign: 'middle',
        },
        silent: true,
      })
      continue
    }
    out.push({
      type: 'text',
      x: TL.labelW - 8,
      y: y + g.rowH / 2,
      style: {
        text: clip(shortLabel(p.tracks[item.track]!.label), 25),
        fill: selected ? pal.selected : pal.text,
        font: `${selected ? 'bold ' : ''}11px sans-serif`,
        align: 'right',
        verticalAlign: 'middle',
      },
      silent: true,
    })
  }
  return out
}

/** A thread's label under its core's group: `cpu 1000 (core 125 thread 0)` as `cpu 1000 · thread 0`. */
function shortLabel(label: string): string {
  const m = /^cpu (\d+) \(core \d+ thread (\d+)\)$/.exec(label)
  return m ? `cpu ${m[1]} · thread ${m[2]}` : label
}

/** A push pin: a round head and its point; solid when pinned, faint when not. */
function pinGraphic(x: number, y: number, pinned: boolean, pal: Palette): unknown {
  return {
    type: 'path',
    shape: {
      pathData: `M${x} ${y + 4}a3.5 3.5 0 1 1 7 0a3.5 3.5 0 1 1 -7 0ZM${x + 3.5} ${y + 7.5}v5`,
    },
    style: pinned
      ? { fill: pal.selected, stroke: pal.selected, lineWidth: 1.5 }
      : { fill: 'none', stroke: pal.grid, lineWidth: 1.2 },
    silent: true,
  }
}

/** The legend: a swatch per state, a mark and an arrow for events (symbols), and their texts. */
function legendGraphics({ input, pal, g }: Frame): { symbols: unknown[]; texts: unknown[] } {
  const symbol = (it: LegendItem) =>
    it.kind === 'state'
      ? {
          type: 'rect',
          shape: { x: it.x, y: it.y + 2, width: 14, height: 12, r: 2 },
          style: { fill: it.color, ...(faded(input, it.key) ? { opacity: FADED } : {}) },
          silent: true,
        }
      : it.key === 'arrow'
        ? {
            type: 'path',
            shape: { pathData: `M${it.x} ${it.y + 8}h14M${it.x + 9} ${it.y + 4}l5 4l-5 4` },
            style: { fill: 'none', stroke: it.color, lineWidth: 1.5 },
            silent: true,
          }
        : {
            type: 'path',
            shape: { pathData: `M${it.x + 1} ${it.y + 3}h12l-6 9Z` },
            style: { fill: it.color },
            silent: true,
          }
  const lit = (it: LegendItem) => it.kind === 'state' && input.highlightState === it.key
  const text = (it: LegendItem) => ({
    type: 'text',
    x: it.x + 20,
    y: it.y + 8,
    style: {
      text: it.text,
      fill: it.kind === 'state' && faded(input, it.key) ? pal.muted : pal.text,
      font: `${lit(it) ? 'bold ' : ''}12px sans-serif`,
      verticalAlign: 'middle',
    },
    silent: true,
  })
  // A ring around the highlighted entry: click it again to clear.
  const rings = g.legend.filter(lit).map((it) => ({
    type: 'rect',
    shape: { x: it.x - 3, y: it.y, width: legendItemWidth(it) - 10, height: 16, r: 3 },
    style: { fill: 'none', stroke: pal.selected, lineWidth: 1.5 },
    silent: true,
  }))
  return { symbols: [...g.legend.map(symbol), ...rings], texts: g.legend.map(text) }
}

/** How wide a legend entry is (its swatch, text and the gap after it), as `wrapLegend` lays it. */
function legendItemWidth(it: LegendItem): number {
  return 20 + it.text.length * 6.5 + 16
}

/** The legend entry under the pointer, if any. */
export function legendAt(g: TimelineGeometry, x: number, y: number): LegendItem | null {
  return (
    g.legend.find(
      (it) =>
        x >= it.x - 3 &&
        x < it.x + legendItemWidth(it) - 10 &&
        y >= it.y &&
        y < it.y + TL.legendRowH,
    ) ?? null
  )
}

/** The time range selected by dragging, shaded, with its length above it. */
function rangeGraphics({ input, p, pal, g, xOf, visible, rowTop }: Frame): unknown[] {
  const range = input.range
  if (!range || range.to <= range.from) return []
  const x0 = Math.max(xOf(range.from), g.plot.x)
  const x1 = Math.min(xOf(range.to), g.plot.x + g.plot.w)
  if (x1 <= x0) return []
  // Over the spans (series z 1), under the event marks (z 3); graphic elements default to z 0,
  // where the rows' backgrounds hid the range.
  const shade = (y: number, h: number, strong = false) => ({
    type: 'rect',
    shape: { x: x0, y, width: x1 - x0, height: h },
    style: {
      fill: pal.selected,
      opacity: strong ? 0.28 : 0.16,
      stroke: pal.selected,
      lineWidth: strong ? 2 : 1,
    },
    silent: true,
    z: 2,
  })
  // An area: the rows its tracks are on, each run of rows one rectangle.
  const area = input.areaTracks
  const bands: unknown[] = []
  if (area) {
    let start = -1
    let end = -1
    const flush = () => {
      if (start >= 0) {
        const y = rowTop(start)
        const h = (end - start + 1) * g.rowH
        // The area's edge over the event marks (z 3) too, so dense marks never hide it.
        bands.push(shade(y, h, true), {
          type: 'rect',
          shape: { x: x0, y, width: x1 - x0, height: h },
          style: { fill: 'none', stroke: pal.selected, lineWidth: 2 },
          silent: true,
          z: 5,
        })
      }
      start = -1
    }
    for (const { r, item } of visible) {
      // An open group's row is its header: its tracks have rows of their own.
      const inside =
        item.kind === 'track'
          ? area.has(item.track)
          : item.collapsed && item.tracks.some((t) => area.has(t))
      if (!inside) flush()
      else if (start < 0) start = end = r
      else end = r
    }
    flush()
  }
  return [
    ...(area ? bands : [shade(g.plot.y, g.plot.h)]),
    {
      type: 'text',
      x: (x0 + x1) / 2,
      y: g.plot.y + 2,
      style: {
        text: `Δ ${formatDuration(range.to - range.from, p.tickNs ?? p.tickUnit)}`,
        fill: pal.text,
        backgroundColor: pal.background,
        padding: [1, 4],
        font: 'bold 11px sans-serif',
        align: 'center',
        verticalAlign: 'top',
      },
      silent: true,
      z: 4,
    },
  ]
}

/**
 * What a figure of the whole run leaves out, for the line under its subtitle: the tracks past its
 * rows, idle tracks, arrows past the most drawn, events with no track. Empty: nothing.
 */
export function timelineLeftOut(input: TimelineChartInput): string {
  const f = timelineFrame(input)
  const { p, g } = f
  const n = (x: number, one: string) => `${x.toLocaleString('en-US')} ${one}${x === 1 ? '' : 's'}`
  const out: string[] = []
  if (g.scrollRows < g.total) {
    out.push(
      `${(g.total - g.scrollRows).toLocaleString('en-US')} of ${n(g.total, 'track')} (past the first ${g.scrollRows})`,
    )
  }
  if (p.hiddenIdle) out.push(n(p.hiddenIdle, 'idle track'))
  const arrows = eventPaths(f).arrowsLeftOut
  if (arrows) out.push(`${n(arrows, 'arrow')} (past the first ${input.maxArrows ?? 400})`)
  if (p.unplaced) out.push(`${n(p.unplaced, 'event')} with no track`)
  return out.length ? `Not drawn: ${out.join(' · ')}` : ''
}

/** The line under the axis: what the frame drew, and what it left out and why. */
function footerGraphic({ p, pal, g }: Frame, drawnRanges: number, arrowsLeftOut: number): unknown {
  const footer: string[] = [
    `${p.spanCount.toLocaleString('en-US')} spans on ${p.tracks.length} tracks`,
    `${drawnRanges.toLocaleString('en-US')} ranges drawn`,
  ]
  if (g.scrollRows < g.total) {
    footer.push(`rows ${g.firstRow + 1}–${g.firstRow + g.scrollRows} of ${g.total}`)
  }
  if (g.pinned) footer.push(`${g.pinned} pinned`)
  if (arrowsLeftOut) footer.push(`${arrowsLeftOut} arrows left out: zoom in to see them`)
  if (p.unplaced) footer.push(`${p.unplaced} events with no track (see the events table)`)
  if (p.hiddenIdle) footer.push(`${p.hiddenIdle} idle tracks hidden`)
  return {
    type: 'text',
    // From the chart's left edge, not the plot's: a narrow window had it run off the right.
    x: TL.pad,
    y: g.height - TL.footerH + 2,
    style: {
      text: footer.join(' · '),
      fill: pal.muted,
      font: '11px sans-serif',
      width: g.width - 2 * TL.pad,
      overflow: 'truncate',
    },
    silent: true,
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

/** A sentence for screen readers. */
export function describeTimeline(p: PreparedTimeline, win: TimeWindow): string {
  const bad = p.badEvents
  return (
    `Timeline of ${p.tracks.length} tracks from tick ${Math.round(win.from)} to ${Math.round(win.to)}; ` +
    `${p.spanCount} spans, ${p.events.length} events on tracks` +
    (bad ? `, ${bad} of which went wrong` : '') +
    '.'
  )
}

/** The tooltip text for a span (HTML, escaped). */
export function spanTooltip(p: PreparedTimeline, row: number, spanIndex: number): string {
  const track = p.tracks[row]
  const s = track?.spans[spanIndex]
  if (!track || !s) return ''
  const info = p.states[p.stateIndex.get(s.state) ?? -1]
  const lines = [
    `<b>${escapeHtml(info?.label ?? s.state)}</b> on ${escapeHtml(track.label)}`,
    `${s.start.toLocaleString('en-US')} → ${s.end.toLocaleString('en-US')}: ${escapeHtml(formatDuration(s.end - s.start, p.tickNs ?? p.tickUnit))}`,
  ]
  if (s.label) lines.push(escapeHtml(s.label))
  if (info?.description) lines.push(`<span class="muted">${escapeHtml(info.description)}</span>`)
  return lines.join('<br>')
}

// ---------------------------------------------------------------------------------------------
// What lies under the pointer.

export type TimelineHit =
  | { kind: 'event'; index: number; row: number }
  | { kind: 'span'; row: number; span: number }
  | { kind: 'folded'; row: number; from: number; to: number; count: number }
  | { kind: 'row'; row: number }
  /** A group's row: its label (a click opens or closes it), or its summary. */
  | { kind: 'group'; id: string; label: string; collapsed: boolean; tracks: number }
  /** A track's pin, left of its label. */
  | { kind: 'pin'; row: number }

/** The tick under pixel x of the plot (clamped to the window). */
export function tickAtX(g: TimelineGeometry, win: TimeWindow, x: number): number {
  const f = Math.min(Math.max((x - g.plot.x) / g.plot.w, 0), 1)
  return win.from + f * (win.to - win.from)
}

/** The track drawn at pixel y (a collapsed group: none), else null. */
export function rowAtY(input: TimelineChartInput, y: number): number | null {
  const it = itemAtY(input, timelineGeometry(input), y)
  return it?.kind === 'track' ? it.track : null
}

/** The row drawn at pixel y: a track or a group. */
export function itemAtY(
  input: TimelineChartInput,
  g: TimelineGeometry,
  y: number,
): DisplayRow | null {
  if (y < g.plot.y || y >= g.plot.y + g.rows * g.rowH) return null
  const r = Math.floor((y - g.plot.y) / g.rowH)
  const d = input.rows
  if (!d) return { kind: 'track', track: g.firstRow + r, depth: 0, pinned: false }
  return (r < g.pinned ? d.pinned[r] : d.rows[g.firstRow + r - g.pinned]) ?? null
}

/** The place of the row at pixel y among all rows (pinned first, then the scrolled ones),
 * clamped to the rows drawn. */
export function rowIndexAtY(g: TimelineGeometry, y: number): number {
  const r = Math.max(0, Math.min(g.rows - 1, Math.floor((y - g.plot.y) / g.rowH)))
  return r < g.pinned ? r : g.firstRow + r
}

/** An event mark within 7 px, else the span under the pointer, else the row. */
export function hitTest(input: TimelineChartInput, x: number, y: number): TimelineHit | null {
  const g = timelineGeometry(input)
  const item = itemAtY(input, g, y)
  if (item === null) return null
  if (item.kind === 'group') {
    const group = {
      kind: 'group' as const,
      id: item.id,
      label: item.label,
      collapsed: item.collapsed,
      tracks: item.tracks.length,
    }
    if (x < g.plot.x || !item.collapsed || !input.tree)
      return x > g.plot.x + g.plot.w ? null : group
    const near = eventNear(input, g, groupEvents(input.tree, input.prepared, item), x)
    return near ? { kind: 'event', index: near.index, row: near.row } : group
  }
  const row = item.track
  if (x < g.plot.x) {
    return input.rows && x >= PIN.x && x < PIN.x + PIN.w
      ? { kind: 'pin', row }
      : { kind: 'row', row }
  }
  if (x > g.plot.x + g.plot.w) return null
  const p = input.prepared
  const t = tickAtX(g, input.window, x)
  const best = eventNear(input, g, p.eventsByRow[row] ?? [], x)
  if (best) return { kind: 'event', index: best.index, row }
  const track = p.tracks[row]
  if (!track) return { kind: 'row', row }
  const binTicks = (input.binPx ?? 2) * g.ticksPerPx
  // The track's columns, folded near the pointer only (a binary search finds where to start).
  const ranges = foldColumns(
    track.columns,
    Math.max(input.window.from, t - binTicks),
    Math.min(input.window.to, t + binTicks),
    binTicks,
  )
  const under = ranges.find((r) => r.start <= t + g.ticksPerPx && r.end >= t - g.ticksPerPx)
  if (!under) return { kind: 'row', row }
  if (under.count === 1) return { kind: 'span', row, span: under.span }
  return { kind: 'folded', row, from: under.start, to: under.end, count: under.count }
}

/** The event of `events` (sorted by time) nearest pixel x within 7 px; a bad one wins a tie. */
function eventNear(
  input: TimelineChartInput,
  g: TimelineGeometry,
  events: readonly PlacedEvent[],
  x: number,
): PlacedEvent | null {
  const t = tickAtX(g, input.window, x)
  const tol = 7 * g.ticksPerPx
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (events[mid]!.at < t - tol) lo = mid + 1
    else hi = mid
  }
  let best: { e: PlacedEvent; d: number } | null = null
  for (let i = lo; i < events.length; i++) {
    const e = events[i]!
    if (e.at > t + tol) break
    const d = Math.abs(e.at - t)
    if (!best || d < best.d || (d === best.d && e.status === 'bad')) best = { e, d }
  }
  return best?.e ?? null
}
