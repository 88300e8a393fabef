/**
 * The chart options of a run as the exports draw them (light and dark, two widths) and as the app
 * draws them with everything selected at once (a zoomed, scrolled timeline with a selected row,
 * span, event and range and few arrows; a layout with a selected thread or CPU and vcpu, naps at a
 * tick): enough ways in to reach every branch of the option builders.
 */
import { threadStatesAt } from '../../src/shared/charts/layoutLinks'
import { DARK, LIGHT, type ChartOption } from '../../src/shared/charts/palette'
import { powerLayoutOption } from '../../src/shared/charts/powerLayoutOption'
import { prepareTimeline } from '../../src/shared/charts/timelineModel'
import { timelineOption } from '../../src/shared/charts/timelineOption'
import { xenLayoutOption } from '../../src/shared/charts/xenLayoutOption'
import { runFigures } from '../../src/shared/export/figures'
import type { RunResult } from '../../src/shared/result'

export function chartVariants(r: RunResult): Record<string, ChartOption> {
  const out: Record<string, ChartOption> = {}
  for (const [name, palette, width] of [
    ['light', LIGHT, undefined],
    ['dark 700', DARK, 700],
  ] as const) {
    for (const f of runFigures(r, { palette, width })) out[`${f.id} ${name}`] = f.option
  }
  const p = prepareTimeline(r)
  const win = { from: p.end / 4, to: (p.end * 3) / 4 }
  const shown = p.events.filter((e) => e.at >= win.from && e.at <= win.to)
  const event = shown.find((e) => e.toRows.length > 0) ?? shown[0]
  const spanRow = event?.row ?? 0
  out['timeline selected'] = timelineOption({
    prepared: p,
    window: win,
    width: 900,
    firstRow: 1,
    maxRows: Math.max(3, p.tracks.length - 2),
    title: 'selected',
    subtitle: 'zoomed, scrolled',
    palette: LIGHT,
    selectedRows: [1, spanRow],
    selectedEvent: event?.index ?? null,
    selectedSpan: { row: spanRow, span: Math.floor((p.tracks[spanRow]?.spans.length ?? 0) / 2) },
    range: { from: p.end * 0.3, to: p.end * 0.6 },
    binPx: 1,
    maxArrows: 2,
  })
  const tick = Math.round(p.end / 2)
  if (r.engine === 'book3s') {
    const placed = r.layout.cores.flatMap((c) => c.subcores.flatMap((s) => s.threads))
    const withVcpu = placed.find((t) => t.vcpu !== null)
    out['layout selected'] = powerLayoutOption({
      layout: r.layout,
      smtMode: r.scenario.kvm.smtMode,
      title: 'selected',
      subtitle: 'at a tick',
      palette: DARK,
      maxWidth: 640,
      selectedVcpu: withVcpu?.vcpu ?? null,
      selectedCpu: placed.at(-1)?.cpu ?? null,
      threadStates: threadStatesAt(p, tick),
      atTick: tick,
    })
  } else {
    out['layout selected'] = xenLayoutOption({
      layout: r.layout,
      events: r.events,
      title: 'selected',
      subtitle: 'a CPU and a vCPU',
      palette: DARK,
      maxWidth: 640,
      selectedCpu: r.layout.cpus.at(-1)?.cpu ?? null,
      selectedVcpu: r.layout.vcpus[0]?.vcpu ?? null,
    })
  }
  return out
}
