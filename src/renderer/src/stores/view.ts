/**
 * What the person is looking at: which engine's run the timeline, checks and events show, the
 * timeline's window and scroll, and the linked selection (a thread or CPU, a vcpu, an event, a
 * span, a time range, a tick) that every view highlights.
 *
 * Invariants:
 * 1. The selection always refers to the active run; a new run of that engine clears it.
 * 2. Selecting in one view selects the same thing in every view: a thread selects its row and
 *    its vcpu, a row selects its thread, an event selects the row it happened on.
 */
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import {
  cpuOfTrack,
  cpuOfVcpu,
  rowOfCpu,
  rowsOfVcpu,
  selectionOfRow,
  vcpuOfCpu,
} from '../../../shared/charts/layoutLinks'
import {
  clampWindow,
  fullWindow,
  panWindow,
  prepareTimeline,
  textAt,
  windowAround,
  zoomWindow,
  type PreparedTimeline,
  type TimeWindow,
} from '../../../shared/charts/timelineModel'
import {
  displayRows,
  trackTree,
  type DisplayRows,
  type TrackTree,
} from '../../../shared/charts/timelineTree'
import type { Area } from '../../../shared/charts/areaSummary'
import type { RunResult } from '../../../shared/result'
import type { Engine } from '../../../shared/scenario/scenario'
import { useRunStore } from './run'

/** A run of more tracks than this starts with its groups collapsed. */
export const OPEN_UP_TO = 64

/** The store's state: the active engine's run and its prepared timeline, the timeline's window
 * and scroll, and the linked selection. */
function viewState(runs: ReturnType<typeof useRunStore>) {
  const activeEngine = ref<Engine>('book3s')
  const activeRun = computed<RunResult | null>(() =>
    activeEngine.value === 'book3s' ? runs.latestBook3s : runs.latestXen,
  )
  const showIdle = ref(false)
  const prepared = computed<PreparedTimeline | null>(() =>
    activeRun.value
      ? markRaw(prepareTimeline(activeRun.value, { hideIdle: !showIdle.value }))
      : null,
  )

  const window = shallowRef<TimeWindow>({ from: 0, to: 1 })
  /** The first scrolled row in view (an index into `rows.rows`). */
  const firstRow = ref(0)
  /** Rows the timeline has room for (its pane sets it from the window's height). */
  const visibleRowCount = ref(14)

  // The tracks as a tree (core → vcore → thread, vCPU groups), collapsed groups and pinned tracks.
  const tree = computed<TrackTree | null>(() =>
    prepared.value && activeRun.value ? markRaw(trackTree(prepared.value, activeRun.value)) : null,
  )
  const collapsedByDefault = computed(() => (prepared.value?.tracks.length ?? 0) > OPEN_UP_TO)
  /** Groups opened or closed against the default. */
  const toggled = shallowRef<ReadonlySet<string>>(new Set())
  /** Pinned tracks by id, in the order they were pinned. */
  const pinnedIds = ref<string[]>([])
  const pinned = computed<number[]>(() => {
    const p = prepared.value
    if (!p) return []
    return pinnedIds.value.map((id) => p.rowOf.get(id)).filter((r) => r !== undefined)
  })
  const rows = computed<DisplayRows | null>(() => {
    const t = tree.value
    if (!t) return null
    const def = collapsedByDefault.value
    const flipped = toggled.value
    return markRaw(displayRows(t, (id) => def !== flipped.has(id), pinned.value))
  })

  const cpu = ref<number | null>(null)
  const vcpu = ref<number | null>(null)
  /** A row selected by its label (a vcore track has no cpu). */
  const row = ref<number | null>(null)
  const event = ref<number | null>(null)
  const span = ref<{ row: number; span: number } | null>(null)
  const range = shallowRef<TimeWindow | null>(null)
  /** An area dragged over the tracks: its time range and the tracks it covers. */
  const area = shallowRef<Area | null>(null)
  /** The tick last clicked in the timeline: the layout shows each thread's state then. */
  const tick = ref<number | null>(null)
  /** A state picked in the timeline's legend: its spans stand out, the others fade. */
  const highlightState = ref<string | null>(null)
  /** The timeline's find box is open (Ctrl+F, `/`). */
  const findOpen = ref(false)

  return {
    activeEngine,
    activeRun,
    showIdle,
    prepared,
    window,
    firstRow,
    visibleRowCount,
    tree,
    collapsedByDefault,
    toggled,
    pinnedIds,
    pinned,
    rows,
    cpu,
    vcpu,
    row,
    event,
    span,
    range,
    area,
    tick,
    highlightState,
    findOpen,
  }
}
type ViewState = ReturnType<typeof viewState>

/** The selection as a whole: clearing it, the timeline rows it covers, and scrolling to them. */
function selectionBasics(s: ViewState) {
  const { prepared, activeRun, firstRow, cpu, vcpu, row, event, span, range, area, tick } = s
  const { tree, rows, toggled, collapsedByDefault, visibleRowCount } = s

  /** Clears the selection; `keepTick` keeps the tick the layouts show (a thread or track picked
   * keeps the time the person is looking at). */
  function clearSelection(keepTick = false): void {
    cpu.value = null
    vcpu.value = null
    row.value = null
    event.value = null
    span.value = null
    range.value = null
    area.value = null
    if (!keepTick) tick.value = null
  }

  const selectedRows = computed<number[]>(() => {
    const p = prepared.value
    const r = activeRun.value
    if (!p || !r) return []
    const rows = new Set<number>()
    if (row.value !== null) rows.add(row.value)
    if (cpu.value !== null) {
      const x = rowOfCpu(p, cpu.value, r)
      if (x !== null) rows.add(x)
    }
    if (vcpu.value !== null) for (const x of rowsOfVcpu(p, r, vcpu.value)) rows.add(x)
    return [...rows].sort((a, b) => a - b)
  })

  /**
   * Shows a track (the first selected one when none is named): the groups it is in are opened,
   * and the timeline scrolls to it unless it is pinned or already in view.
   */
  function revealRows(track?: number): void {
    const t = track ?? selectedRows.value[0]
    const tr = tree.value
    if (t === undefined || !tr) return
    const shut = (tr.parents[t] ?? []).filter(
      (id) => collapsedByDefault.value !== toggled.value.has(id),
    )
    if (shut.length) {
      const next = new Set(toggled.value)
      for (const id of shut) {
        if (next.has(id)) next.delete(id)
        else next.add(id)
      }
      toggled.value = next
    }
    const d = rows.value
    if (!d) return
    const at = (d.rowOfTrack[t] ?? -1) - d.pinned.length
    if (at < 0) return
    const room = Math.max(1, visibleRowCount.value - d.pinned.length)
    if (at < firstRow.value || at >= firstRow.value + room) {
      firstRow.value = Math.max(0, at - 2)
    }
  }

  return { clearSelection, selectedRows, revealRows }
}

/** Following the runs: a new run of the active engine resets the view; a new run shows itself. */
function followRuns(
  s: ViewState,
  runs: ReturnType<typeof useRunStore>,
  clearSelection: (keepTick?: boolean) => void,
): void {
  const { activeEngine, activeRun, prepared, window, firstRow, highlightState } = s
  watch(activeRun, () => {
    clearSelection()
    highlightState.value = null
    s.toggled.value = new Set()
    s.pinnedIds.value = []
    firstRow.value = 0
    window.value = prepared.value ? fullWindow(prepared.value) : { from: 0, to: 1 }
  })
  // A new run shows itself.
  watch(
    () => runs.latest,
    (r) => {
      if (r) activeEngine.value = r.engine
    },
  )
}

/** Selecting in a layout: an engine's pane, a hardware thread or Linux CPU, or a vcpu. */
function layoutSelectActions(
  s: ViewState,
  clearSelection: (keepTick?: boolean) => void,
  revealRows: (track?: number) => void,
) {
  const { activeEngine, activeRun, cpu, vcpu } = s

  function activate(engine: Engine): void {
    if (activeEngine.value !== engine) activeEngine.value = engine
  }

  /** A hardware thread (book3s) or Linux CPU (xen) picked in a layout, with the vcpu on it
   * when the layout knows it. */
  function selectCpu(engine: Engine, n: number | null, onIt?: number | null): void {
    activate(engine)
    clearSelection(true)
    if (n === null) return
    cpu.value = n
    const r = activeRun.value
    vcpu.value = onIt !== undefined ? onIt : r ? vcpuOfCpu(r, n) : null
    revealRows()
  }

  function selectVcpu(engine: Engine, v: number): void {
    activate(engine)
    clearSelection(true)
    vcpu.value = v
    const r = activeRun.value
    cpu.value = r ? cpuOfVcpu(r, v) : null
    revealRows()
  }

  return { activate, selectCpu, selectVcpu }
}

/** Selecting in the timeline or the events table: a row, a span on a row, or an event. */
function timelineSelectActions(
  s: ViewState,
  clearSelection: (keepTick?: boolean) => void,
  revealRows: (track?: number) => void,
) {
  const { prepared, activeRun, window, cpu, vcpu, row, event, span, tick } = s

  function selectRow(r: number): void {
    const p = prepared.value
    const run = activeRun.value
    clearSelection(true)
    row.value = r
    if (p && run) {
      const s = selectionOfRow(p, run, r)
      cpu.value = s.cpu
      vcpu.value = s.vcpu
    }
  }

  function selectSpan(r: number, s: number, at: number): void {
    selectRow(r)
    span.value = { row: r, span: s }
    tick.value = at
    const refs = prepared.value?.tracks[r]?.refs
    const ref = refs ? textAt(refs, s) : undefined
    const m = ref ? /^vcpu:(\d+)$/.exec(ref) : null
    if (m) vcpu.value = Number(m[1])
  }

  /** An event (index into the run's events); `reveal` zooms the timeline to it. */
  function selectEvent(index: number, reveal = true): void {
    const p = prepared.value
    const placed = p?.events.find((e) => e.index === index)
    clearSelection()
    event.value = index
    const at = activeRun.value?.events[index]?.at ?? null
    tick.value = at
    if (placed && p) {
      const n = cpuOfTrack(p.tracks[placed.row]?.id)
      if (n !== null) cpu.value = n
      else row.value = placed.row
    }
    if (reveal && p && at !== null) {
      const w = window.value
      if (at < w.from || at > w.to) window.value = windowAround(at, at, p.end)
      revealRows(placed?.row)
    }
  }

  /**
   * From an event's mark to the row its arrow points at (the `k`th receiver): that row is
   * selected and scrolled into view; the event stays selected, the window and its tick kept.
   */
  function jumpToReceiver(index: number, k = 0): void {
    const p = prepared.value
    const placed = p?.events.find((e) => e.index === index)
    const to = placed?.toRows[k]
    if (to === undefined) return
    const at = placed!.at
    selectRow(to)
    event.value = index
    tick.value = at
    revealRows(to)
  }

  return { selectRow, selectSpan, selectEvent, jumpToReceiver }
}

/** The timeline's window: set, zoom, pan, fit to the selection, and step from event to event. */
function windowActions(s: ViewState, selectEvent: (index: number, reveal?: boolean) => void) {
  const { prepared, activeRun, window, event, span, range } = s

  function setWindow(w: TimeWindow): void {
    if (prepared.value) window.value = clampWindow(w, prepared.value.end)
  }
  function zoom(factor: number, anchor?: number): void {
    const p = prepared.value
    if (!p) return
    const w = window.value
    window.value = zoomWindow(w, factor, anchor ?? (w.from + w.to) / 2, p.end)
  }
  function pan(fraction: number): void {
    if (prepared.value) window.value = panWindow(window.value, fraction, prepared.value.end)
  }
  /** F: frame the selected range, span or event, else the whole run. */
  function fit(): void {
    const p = prepared.value
    if (!p) return
    const s = span.value ? p.tracks[span.value.row]?.spans[span.value.span] : undefined
    const at = event.value !== null ? activeRun.value?.events[event.value]?.at : undefined
    if (range.value) window.value = clampWindow(range.value, p.end)
    else if (s) window.value = windowAround(s.start, s.end, p.end)
    else if (at !== undefined) window.value = windowAround(at, at, p.end)
    else window.value = fullWindow(p)
  }
  /** `.` and `,`: the next or previous event after the selected one (or the window's start). */
  function stepEvent(dir: 1 | -1): void {
    const p = prepared.value
    if (!p || p.events.length === 0) return
    const at = event.value !== null ? activeRun.value?.events[event.value]?.at : undefined
    const i = at === undefined ? -1 : p.events.findIndex((e) => e.index === event.value)
    let next: number
    if (i >= 0) next = i + dir
    else {
      const from = window.value.from
      next = dir > 0 ? p.events.findIndex((e) => e.at >= from) : p.events.length - 1
    }
    const e = p.events[Math.max(0, Math.min(p.events.length - 1, next))]
    if (e) selectEvent(e.index)
  }

  return { setWindow, zoom, pan, fit, stepEvent }
}

/** The tree's rows: a group opened or closed, all of them at once, a track pinned or unpinned. */
function treeActions(s: ViewState) {
  const { tree, toggled, collapsedByDefault, pinnedIds, prepared, firstRow } = s

  function isCollapsed(id: string): boolean {
    return collapsedByDefault.value !== toggled.value.has(id)
  }
  function toggleGroup(id: string): void {
    const next = new Set(toggled.value)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    toggled.value = next
  }
  /** Every group open (`false`) or closed (`true`); the view goes back to the top. */
  function collapseAll(collapsed: boolean): void {
    const t = tree.value
    if (!t) return
    toggled.value = collapsed === collapsedByDefault.value ? new Set() : new Set(t.groups.keys())
    firstRow.value = 0
  }
  function togglePin(track: number): void {
    const id = prepared.value?.tracks[track]?.id
    if (id === undefined) return
    pinnedIds.value = pinnedIds.value.includes(id)
      ? pinnedIds.value.filter((x) => x !== id)
      : [...pinnedIds.value, id]
  }

  /** P: the track clicked last (or the first of the selection) pinned, or unpinned. */
  function pinSelected(selected: readonly number[]): void {
    const p = prepared.value
    const run = s.activeRun.value
    const own =
      s.row.value ??
      (s.cpu.value !== null && p && run ? rowOfCpu(p, s.cpu.value, run) : null) ??
      selected[0]
    if (own !== undefined && own !== null) togglePin(own)
  }

  return { isCollapsed, toggleGroup, collapseAll, togglePin, pinSelected }
}

export const useViewStore = defineStore('view', () => {
  const runs = useRunStore()
  const state = viewState(runs)

  const { clearSelection, selectedRows, revealRows } = selectionBasics(state)
  followRuns(state, runs, clearSelection)
  const { activate, selectCpu, selectVcpu } = layoutSelectActions(state, clearSelection, revealRows)
  const { selectRow, selectSpan, selectEvent, jumpToReceiver } = timelineSelectActions(
    state,
    clearSelection,
    revealRows,
  )
  const { setWindow, zoom, pan, fit, stepEvent } = windowActions(state, selectEvent)
  const { isCollapsed, toggleGroup, collapseAll, togglePin, pinSelected } = treeActions(state)

  return {
    // Every piece of state as the refs viewState made (pinia exposes each by its name).
    ...state,
    selectedRows,
    activate,
    clearSelection,
    selectCpu,
    selectVcpu,
    selectRow,
    selectSpan,
    selectEvent,
    jumpToReceiver,
    revealRows,
    setWindow,
    zoom,
    pan,
    fit,
    stepEvent,
    isCollapsed,
    toggleGroup,
    collapseAll,
    togglePin,
    pinSelected: () => pinSelected(selectedRows.value),
  }
})
