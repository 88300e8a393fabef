/**
 * The figures of a run, as they go into exports and reports: the engine's layout (POWER cores ×
 * threads, or Linux CPU ↔ Xen vCPU) and the whole timeline, each a pure ECharts option with its
 * size, title, legend and the scenario's name. The app's export buttons and `lab export` draw the
 * same figures; only the renderer (canvas in the page, SVG server-side) differs.
 */
import { doorbellArrows } from '../charts/layoutLinks'
import type { ChartOption, Palette } from '../charts/palette'
import { powerGeometry, powerLayoutOption, powerLeftOut } from '../charts/powerLayoutOption'
import { fullWindow, prepareTimeline } from '../charts/timelineModel'
import {
  timelineGeometry,
  timelineLeftOut,
  timelineOption,
  type TimelineChartInput,
} from '../charts/timelineOption'
import { xenGeometry, xenLayoutOption } from '../charts/xenLayoutOption'
import type { Book3sRunResult, RunResult, XenRunResult } from '../result'

export type FigureId = 'layout' | 'timeline'

export interface Figure {
  id: FigureId
  /** A short name for file names and captions: "layout", "timeline". */
  caption: string
  width: number
  height: number
  option: ChartOption
}

export interface FigureOptions {
  palette: Palette
  /** Width of the figures in pixels (layouts may be narrower when they need less). */
  width?: number
  /** Most timeline rows drawn (a timeline of thousands of tracks is cut, and says so). */
  maxRows?: number
}

const DEFAULT_WIDTH = 1200
const DEFAULT_MAX_ROWS = 64

/** The subtitle of a POWER layout: processor, cores, split, design, SMT mode. */
export function powerSubtitle(r: Book3sRunResult): string {
  const h = r.scenario.host
  return (
    `${h.processor} · ${h.cores} core${h.cores === 1 ? '' : 's'}` +
    `${h.subcoresPerCore > 1 ? ` split ${h.subcoresPerCore} ways` : ''}` +
    ` · design ${r.design} · kernel ${r.scenario.kvm.kernel} · smt mode ${r.scenario.kvm.smtMode}`
  )
}

/** The subtitle of a Xen layout: guest type, vCPUs, nr_cpus, boot, Xen version, events, Linux. */
export function xenSubtitle(r: XenRunResult): string {
  const g = r.scenario.guest
  const L = r.layout
  return (
    `${L.guestType.toUpperCase()}${g.gic ? ` (GIC${g.gic})` : ''} · ${g.maxVcpus} vCPUs, ${g.onlineVcpus} online · nr_cpus ${g.nrCpus} · ` +
    `${g.boot.kind === 'kdump' ? `kdump on vCPU ${g.boot.crashedVcpu} · ` : ''}Xen ${L.xenVersion} · ` +
    `${L.eventChannels.effective} events · ${L.linuxCode}`
  )
}

export function layoutFigure(r: RunResult, opts: FigureOptions): Figure {
  const maxWidth = opts.width ?? DEFAULT_WIDTH
  if (r.engine === 'book3s') {
    const prepared = prepareTimeline(r)
    // Doorbells that went astray are drawn as arrows, as the app's layout pane does.
    const allAstray = r.events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.kind === 'doorbell' && e.outcome !== 'delivered')
    const astray = allAstray.slice(0, 6).map(({ i }) => i)
    const doorbells = doorbellArrows(prepared, r, astray)
    const threadStates = new Map<number, string>()
    for (const c of r.layout.cores)
      for (const sc of c.subcores)
        for (const t of sc.threads) if (t.phase) threadStates.set(t.cpu, t.phase)
    const smt = r.scenario.kvm.smtMode
    const left = powerLeftOut(
      powerGeometry(r.layout, smt, maxWidth, doorbells.length),
      doorbells.length,
      allAstray.length,
    )
    const leftOut = left.length ? `Not drawn: ${left.join(' · ')}` : null
    const geo = powerGeometry(r.layout, smt, maxWidth, doorbells.length, leftOut !== null)
    return {
      id: 'layout',
      caption: 'layout',
      width: geo.width,
      height: geo.height,
      option: powerLayoutOption({
        layout: r.layout,
        smtMode: r.scenario.kvm.smtMode,
        title: r.scenario.name,
        subtitle: powerSubtitle(r),
        palette: opts.palette,
        maxWidth,
        threadStates,
        doorbells,
        leftOut,
      }),
    }
  }
  const first = xenGeometry({ layout: r.layout, events: r.events, maxWidth })
  const n = (x: number) => x.toLocaleString('en-US')
  const left: string[] = []
  if (first.hiddenCpus) {
    left.push(
      `${n(first.hiddenCpus)} of ${n(r.layout.cpus.length)} Linux CPUs (past the first ${first.cpus.length})`,
    )
  }
  if (first.hiddenVcpus)
    left.push(`${n(first.hiddenVcpus)} of ${n(r.layout.vcpus.length)} Xen vCPUs`)
  const leftOut = left.length ? `Not drawn: ${left.join(' · ')}` : null
  const input = { layout: r.layout, events: r.events, maxWidth, leftOut }
  const geo = xenGeometry(input)
  return {
    id: 'layout',
    caption: 'layout',
    width: geo.width,
    height: geo.height,
    option: xenLayoutOption({
      ...input,
      title: r.scenario.name,
      subtitle: xenSubtitle(r),
      palette: opts.palette,
    }),
  }
}

export function timelineFigure(r: RunResult, opts: FigureOptions): Figure {
  const prepared = prepareTimeline(r, { hideIdle: true })
  const input: TimelineChartInput = {
    prepared,
    window: fullWindow(prepared),
    width: opts.width ?? DEFAULT_WIDTH,
    firstRow: 0,
    maxRows: opts.maxRows ?? DEFAULT_MAX_ROWS,
    title: `${r.scenario.name} · timeline`,
    subtitle: `design ${r.design} · ${prepared.tickUnit}`,
    palette: opts.palette,
  }
  input.leftOut = timelineLeftOut(input) || null
  const geo = timelineGeometry(input)
  return {
    id: 'timeline',
    caption: 'timeline',
    width: geo.width,
    height: geo.height,
    option: timelineOption(input),
  }
}

/** Every figure of a run, layout first. */
export function runFigures(r: RunResult, opts: FigureOptions): Figure[] {
  return [layoutFigure(r, opts), timelineFigure(r, opts)]
}

/**
 * Stacks SVG documents (as ECharts renders them) into one, top to bottom, each nested as an
 * `<svg>` at its offset, on a background of `background`.
 */
export function stackSvg(
  parts: readonly { svg: string; width: number; height: number }[],
  background: string,
  gap = 16,
): string {
  const width = Math.max(...parts.map((p) => p.width))
  let y = 0
  const inner: string[] = []
  for (const p of parts) {
    const body = p.svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg\b/, `<svg x="0" y="${y}"`)
    inner.push(body)
    y += p.height + gap
  }
  const height = Math.max(0, y - gap)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="${background}"/>${inner.join('')}</svg>`
  )
}
