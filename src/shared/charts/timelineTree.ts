/**
 * The timeline's tracks as a tree, as Perfetto groups a process's threads: book3s by core, then
 * subcore when the core is split, each with the vcore placed there first and its hardware threads
 * after; Xen's vCPUs in groups of 32. A group can be collapsed to one summary row (the state that
 * fills most of each pixel across its tracks, and their events), and tracks can be pinned to the
 * top. `displayRows` turns the tree, the collapsed groups and the pinned tracks into the rows a
 * frame draws.
 *
 * Invariants:
 * 1. Every track of the prepared timeline is in the tree exactly once, in a group or at the top.
 * 2. Pure: the same run and choices give the same rows (the summaries are cached, never changed).
 */
import type { PowerLayout, RunResult } from '../result'
import {
  foldColumns,
  lodColumns,
  rangeColumns,
  mergeTouching,
  trackRanges,
  type DrawnRange,
  type RangeColumns,
  type PlacedEvent,
  type PreparedTimeline,
} from './timelineModel'

export type TreeItem = { kind: 'group'; group: TrackGroup } | { kind: 'track'; track: number }

export interface TrackGroup {
  /** Stable across runs of one scenario: `core3`, `core3/sc1`, `xen0`, `group:name`. */
  id: string
  label: string
  depth: number
  items: TreeItem[]
  /** Every track under it (its subgroups' too), in the order they are drawn. */
  all: number[]
}

export interface TrackTree {
  items: TreeItem[]
  groups: ReadonlyMap<string, TrackGroup>
  /** The groups each track sits in, outermost first (empty at the top level). */
  parents: readonly (readonly string[])[]
  /** Summaries and events of collapsed groups, computed once when first drawn. */
  cache: Map<string, unknown>
}

/** Xen vCPUs per group. */
export const XEN_GROUP = 32

/** The tree of a run's tracks (those `p` kept). */
export function trackTree(p: PreparedTimeline, result: RunResult): TrackTree {
  const items =
    result.layout.kind === 'power'
      ? book3sItems(p, result.layout)
      : p.tracks.some((t) => /^vcpu\d+$/.test(t.id))
        ? xenItems(p)
        : plainItems(p)
  const groups = new Map<string, TrackGroup>()
  const parents: string[][] = p.tracks.map(() => [])
  const walk = (list: TreeItem[], chain: string[]) => {
    for (const it of list) {
      if (it.kind === 'track') {
        parents[it.track] = chain
        continue
      }
      groups.set(it.group.id, it.group)
      walk(it.group.items, [...chain, it.group.id])
      it.group.all = it.group.items.flatMap((x) => (x.kind === 'track' ? [x.track] : x.group.all))
    }
  }
  walk(items, [])
  return { items, groups, parents, cache: new Map() }
}

function group(id: string, label: string, depth: number): TrackGroup {
  return { id, label, depth, items: [], all: [] }
}

/** book3s: core → (subcore →) the vcore placed there, then its threads. */
function book3sItems(p: PreparedTimeline, layout: PowerLayout): TreeItem[] {
  const split = layout.subcoresPerCore > 1
  const place = new Map<number, { core: number; subcore: number }>()
  for (const c of layout.cores)
    for (const sc of c.subcores)
      for (const t of sc.threads) place.set(t.cpu, { core: c.core, subcore: sc.subcore })
  const vcoresAt = new Map<string, number[]>()
  const placedOn = new Map<number, { core: number; subcore: number }>()
  for (const v of layout.vcores) {
    if (!v.placedOn) continue
    placedOn.set(v.vcore, v.placedOn)
    const key = split ? `${v.placedOn.core}/${v.placedOn.subcore}` : `${v.placedOn.core}`
    vcoresAt.set(key, [...(vcoresAt.get(key) ?? []), v.vcore])
  }
  const named = (key: string) => {
    const vs = vcoresAt.get(key) ?? []
    return vs.length === 0 ? '' : ` · vcore${vs.length > 1 ? 's' : ''} ${vs.join(', ')}`
  }
  const cores = new Map<number, TrackGroup>()
  const subs = new Map<string, TrackGroup>()
  const top: TreeItem[] = []
  const leftovers: TreeItem[] = []
  const groupOf = (at: { core: number; subcore: number }): TrackGroup => {
    let core = cores.get(at.core)
    if (!core) {
      core = group(`core${at.core}`, `core ${at.core}${split ? '' : named(`${at.core}`)}`, 0)
      cores.set(at.core, core)
      top.push({ kind: 'group', group: core })
    }
    if (!split) return core
    const key = `${at.core}/${at.subcore}`
    let sub = subs.get(key)
    if (!sub) {
      sub = group(`core${at.core}/sc${at.subcore}`, `subcore ${at.subcore}${named(key)}`, 1)
      subs.set(key, sub)
      core.items.push({ kind: 'group', group: sub })
    }
    return sub
  }
  p.tracks.forEach((t, i) => {
    const cpu = /^cpu(\d+)$/.exec(t.id)
    const vcore = /^vcore(\d+)$/.exec(t.id)
    const at = cpu ? place.get(Number(cpu[1])) : vcore ? placedOn.get(Number(vcore[1])) : undefined
    if (!at) {
      leftovers.push({ kind: 'track', track: i })
      return
    }
    const g = groupOf(at)
    // A vcore's track leads its (sub)core's group, before the threads it runs on.
    if (vcore) {
      const firstThread = g.items.findIndex(
        (x) => x.kind !== 'track' || !/^vcore/.test(p.tracks[x.track]!.id),
      )
      g.items.splice(firstThread < 0 ? g.items.length : firstThread, 0, { kind: 'track', track: i })
    } else g.items.push({ kind: 'track', track: i })
  })
  top.sort((a, b) => coreNumber(a) - coreNumber(b))
  return [...top, ...leftovers]
}

const coreNumber = (it: TreeItem) =>
  it.kind === 'group' ? Number(/^core(\d+)/.exec(it.group.id)?.[1] ?? 0) : 0

/** Xen: its vCPUs' tracks in groups of XEN_GROUP (one group when they fit), the rest on top. */
function xenItems(p: PreparedTimeline): TreeItem[] {
  const vcpus: number[] = []
  const rest: TreeItem[] = []
  p.tracks.forEach((t, i) => {
    if (/^vcpu\d+$/.test(t.id)) vcpus.push(i)
    else rest.push({ kind: 'track', track: i })
  })
  const out: TreeItem[] = []
  for (let k = 0; k < vcpus.length; k += XEN_GROUP) {
    const chunk = vcpus.slice(k, k + XEN_GROUP)
    const num = (i: number) => Number(p.tracks[i]!.id.slice(4))
    const label =
      vcpus.length <= XEN_GROUP
        ? 'Xen vCPUs'
        : `vCPUs ${num(chunk[0]!)}–${num(chunk[chunk.length - 1]!)}`
    const g = group(`xen${num(chunk[0]!)}`, label, 0)
    g.items = chunk.map((track) => ({ kind: 'track' as const, track }))
    out.push({ kind: 'group', group: g })
  }
  return [...out, ...rest]
}

/** Any other timeline: consecutive tracks of one `group` are a group. */
function plainItems(p: PreparedTimeline): TreeItem[] {
  const out: TreeItem[] = []
  let last: TrackGroup | null = null
  p.tracks.forEach((t, i) => {
    if (!last || last.label !== t.group) {
      last = group(`group:${t.group}:${i}`, t.group, 0)
      out.push({ kind: 'group', group: last })
    }
    last.items.push({ kind: 'track', track: i })
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// The rows a frame draws.

export type DisplayRow =
  | { kind: 'track'; track: number; depth: number; pinned: boolean }
  | {
      kind: 'group'
      id: string
      label: string
      depth: number
      collapsed: boolean
      /** Every track under the group. */
      tracks: readonly number[]
    }

export interface DisplayRows {
  /** Pinned tracks, drawn at the top whatever the scroll. */
  pinned: DisplayRow[]
  /** The rows that scroll. */
  rows: DisplayRow[]
  /** For each track, where it is drawn: its index in [...pinned, ...rows] (its own row, or the
   * row of the collapsed group it is folded into). */
  rowOfTrack: Int32Array
}

/** The flat rows of a timeline without a tree: every track, in order (exports, the CLI). */
export function flatRows(p: PreparedTimeline): DisplayRows {
  return {
    pinned: [],
    rows: p.tracks.map((_, track) => ({ kind: 'track', track, depth: 0, pinned: false })),
    rowOfTrack: Int32Array.from(p.tracks, (_, i) => i),
  }
}

/**
 * The rows of a tree: pinned tracks first (in the order they were pinned), then groups and tracks
 * in order, a collapsed group as one row. A pinned track is not drawn again in its group.
 */
export function displayRows(
  tree: TrackTree,
  collapsed: (id: string) => boolean,
  pinned: readonly number[] = [],
): DisplayRows {
  const pinnedSet = new Set(pinned)
  const top: DisplayRow[] = pinned.map((track) => ({
    kind: 'track',
    track,
    depth: 0,
    pinned: true,
  }))
  const rows: DisplayRow[] = []
  const rowOfTrack = new Int32Array(tree.parents.length).fill(-1)
  pinned.forEach((t, i) => (rowOfTrack[t] = i))
  const walk = (list: readonly TreeItem[], depth: number) => {
    for (const it of list) {
      if (it.kind === 'track') {
        if (pinnedSet.has(it.track)) continue
        rowOfTrack[it.track] = top.length + rows.length
        rows.push({ kind: 'track', track: it.track, depth, pinned: false })
        continue
      }
      const g = it.group
      const shut = collapsed(g.id)
      const at = top.length + rows.length
      rows.push({
        kind: 'group',
        id: g.id,
        label: g.label,
        depth,
        collapsed: shut,
        tracks: g.all,
      })
      if (shut) {
        for (const t of g.all) if (!pinnedSet.has(t)) rowOfTrack[t] = at
      } else walk(g.items, depth + 1)
    }
  }
  walk(tree.items, 0)
  return { pinned: top, rows, rowOfTrack }
}

/**
 * The tracks of the rows from `a` to `b` (places among [...pinned, ...rows], either order): a
 * track's row gives its track, a collapsed group's every track under it; an open group's row
 * gives none (its tracks have rows of their own).
 */
export function tracksOfRows(d: DisplayRows, a: number, b: number): number[] {
  const all = [...d.pinned, ...d.rows]
  const out = new Set<number>()
  for (let i = Math.max(0, Math.min(a, b)); i <= Math.min(all.length - 1, Math.max(a, b)); i++) {
    const it = all[i]!
    if (it.kind === 'track') out.add(it.track)
    else if (it.collapsed) for (const t of it.tracks) out.add(t)
  }
  return [...out]
}

// ---------------------------------------------------------------------------------------------
// What a collapsed group draws.

/** Bins over the whole run of a group's cached summary. */
const SUMMARY_BINS = 2048

/**
 * A collapsed group's ranges in `[from, to]`: per bin, the state that fills most of it across the
 * group's tracks. Zoomed out it folds a summary of the whole run computed once; zoomed in past
 * that summary's bins it adds up its tracks' ranges in the window.
 */
export function groupRanges(
  tree: TrackTree,
  p: PreparedTimeline,
  row: Extract<DisplayRow, { kind: 'group' }>,
  from: number,
  to: number,
  ticksPerBin: number,
): DrawnRange[] {
  const key = `ranges:${row.id}`
  let whole = tree.cache.get(key) as { binTicks: number; columns: RangeColumns } | undefined
  if (!whole) {
    const binTicks = p.end / SUMMARY_BINS
    whole = { binTicks, columns: rangeColumns(dominant(p, row.tracks, 0, p.end, binTicks, true)) }
    tree.cache.set(key, whole)
  }
  if (ticksPerBin >= whole.binTicks) {
    return mergeTouching(foldColumns(whole.columns, from, to, ticksPerBin))
  }
  return mergeTouching(dominant(p, row.tracks, from, to, ticksPerBin, false))
}

/**
 * The state filling most of each bin of `[from, to]` across `tracks`, as ranges (one per run of
 * equal bins). `whole` reads each track's finest level of detail coarser than a bin, else its
 * frame ranges.
 */
function dominant(
  p: PreparedTimeline,
  tracks: readonly number[],
  from: number,
  to: number,
  binTicks: number,
  whole: boolean,
): DrawnRange[] {
  const bins = Math.max(1, Math.ceil((to - from) / binTicks))
  const n = p.states.length
  const acc = new Float64Array(bins * n)
  const count = new Uint32Array(bins)
  const add = (start: number, end: number, k: number) => {
    const a = Math.max(start, from)
    const b = Math.min(end, to)
    if (b <= a) return
    const b0 = Math.floor((a - from) / binTicks)
    const b1 = Math.min(bins - 1, Math.floor((b - from - 1e-9) / binTicks))
    for (let bin = b0; bin <= b1; bin++) {
      const lo = Math.max(a, from + bin * binTicks)
      const hi = Math.min(b, from + (bin + 1) * binTicks)
      if (hi > lo) {
        acc[bin * n + k]! += hi - lo
        count[bin]!++
      }
    }
  }
  for (const t of tracks) {
    const track = p.tracks[t]!
    if (whole) {
      // Read from the columns: a track's spans as objects are made only when asked for.
      const c = lodColumns(track, binTicks)
      const k = c.states.map((s) => p.stateIndex.get(s) ?? 0)
      for (let i = 0; i < c.n; i++) add(c.start[i]!, c.end[i]!, k[c.state[i]!]!)
    } else {
      for (const s of trackRanges(track, from, to, binTicks)) {
        add(s.start, s.end, p.stateIndex.get(s.state) ?? 0)
      }
    }
  }
  const out: DrawnRange[] = []
  for (let bin = 0; bin < bins; bin++) {
    let best = -1
    let bestDur = 0
    for (let k = 0; k < n; k++) {
      const d = acc[bin * n + k]!
      if (d > bestDur) {
        best = k
        bestDur = d
      }
    }
    if (best < 0) continue
    const start = from + bin * binTicks
    const end = Math.min(to, start + binTicks)
    const state = p.states[best]!.state
    const last = out[out.length - 1]
    if (last && last.state === state && last.end >= start) {
      last.end = end
      last.count += count[bin]!
    } else out.push({ start, end, state, count: Math.max(2, count[bin]!), span: -1 })
  }
  return out
}

/** A collapsed group's events (its tracks' events, by time), computed once. */
export function groupEvents(
  tree: TrackTree,
  p: PreparedTimeline,
  row: Extract<DisplayRow, { kind: 'group' }>,
): PlacedEvent[] {
  const key = `events:${row.id}`
  let events = tree.cache.get(key) as PlacedEvent[] | undefined
  if (!events) {
    events = row.tracks.flatMap((t) => p.eventsByRow[t] ?? [])
    events.sort((a, b) => a.at - b.at || a.index - b.index)
    tree.cache.set(key, events)
  }
  return events
}
