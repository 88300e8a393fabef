/** The timeline's tracks as a tree: groups, collapsed rows, pinned tracks, a group's summary. */
import { describe, expect, it } from 'vitest'
import { runDocument } from '../../../src/services/runDocument'
import { LIGHT } from '../../../src/shared/charts/palette'
import { prepareTimeline } from '../../../src/shared/charts/timelineModel'
import {
  hitTest,
  timelineGeometry,
  timelineOption,
  PIN,
  type TimelineChartInput,
} from '../../../src/shared/charts/timelineOption'
import {
  XEN_GROUP,
  displayRows,
  groupEvents,
  groupRanges,
  trackTree,
  type DisplayRow,
  type TreeItem,
} from '../../../src/shared/charts/timelineTree'
import type { RunResult } from '../../../src/shared/result'
import { presetRun } from '../../support/presetRuns'
import { xenDocument } from '../../support/scenarios'

const flat = (items: readonly TreeItem[]): number[] =>
  items.flatMap((it) => (it.kind === 'track' ? [it.track] : flat(it.group.items)))

function treeOf(r: RunResult, hideIdle = false) {
  const p = prepareTimeline(r, { hideIdle })
  return { p, tree: trackTree(p, r) }
}

describe('trackTree', () => {
  it('groups a split POWER8 core by subcore, each with its vcore first, then its threads', () => {
    const { p, tree } = treeOf(presetRun('book3s-power8-split-core'), true)
    const ids = (items: readonly TreeItem[]): unknown[] =>
      items.map((it) =>
        it.kind === 'track' ? p.tracks[it.track]!.id : { [it.group.label]: ids(it.group.items) },
      )
    expect(ids(tree.items)).toEqual([
      {
        'core 0': [
          { 'subcore 0 · vcore 0': ['vcore0', 'cpu0', 'cpu1'] },
          { 'subcore 1 · vcore 1': ['vcore1', 'cpu2', 'cpu3'] },
          { 'subcore 2 · vcore 6': ['vcore6', 'cpu4', 'cpu5'] },
          { 'subcore 3 · vcore 7': ['vcore7', 'cpu6', 'cpu7'] },
        ],
      },
    ])
    expect(tree.parents[p.rowOf.get('cpu5')!]).toEqual(['core0', 'core0/sc2'])
  })

  it('puts every track in the tree exactly once, for every preset', () => {
    for (const id of [
      'book3s-power8-overcommit',
      'book3s-power9-packing',
      'book3s-power8-runner-off-thread0',
      'xen-pvhvm-kdump-vcpu2-raw',
      'xen-pv-2007-call-function-hang',
    ]) {
      for (const hide of [false, true]) {
        const { p, tree } = treeOf(presetRun(id), hide)
        expect(
          flat(tree.items).sort((a, b) => a - b),
          id,
        ).toEqual(p.tracks.map((_, i) => i))
      }
    }
  })

  it('names every vcore a shared core ran in its group (overcommit: vcores 0 and 8)', () => {
    const { tree } = treeOf(presetRun('book3s-power8-overcommit'))
    const labels = [...tree.groups.values()].map((g) => g.label)
    expect(labels[0]).toMatch(/^core 0 · vcores? /)
  })

  it(`groups a Xen guest's vCPUs by ${XEN_GROUP}, named by their range`, () => {
    const out = runDocument(
      xenDocument({ type: 'pvhvm', maxVcpus: 100, design: 'vcpu-id-mapping' }),
    )
    if (!out.ok) throw new Error(out.error.message)
    const { p, tree } = treeOf(out.value)
    const groups = tree.items.filter((it) => it.kind === 'group')
    expect(groups.map((g) => g.kind === 'group' && g.group.label)).toEqual([
      'vCPUs 0–31',
      'vCPUs 32–63',
      'vCPUs 64–95',
      'vCPUs 96–99',
    ])
    expect(flat(tree.items).length).toBe(p.tracks.length)
  })
})

describe('displayRows', () => {
  const { p, tree } = treeOf(presetRun('book3s-power8-split-core'), true)
  const cpu5 = p.rowOf.get('cpu5')!

  it('draws a collapsed group as one row that stands for all its tracks', () => {
    const d = displayRows(tree, (id) => id === 'core0/sc2')
    const at = d.rowOfTrack[cpu5]!
    const row = d.rows[at] as Extract<DisplayRow, { kind: 'group' }>
    expect(row).toMatchObject({ kind: 'group', id: 'core0/sc2', collapsed: true, depth: 1 })
    expect(d.rowOfTrack[p.rowOf.get('vcore6')!]).toBe(at)
    // core 0, four subcores, their tracks but the collapsed one's three
    expect(d.rows.length).toBe(1 + 4 + 12 - 3)
    const all = displayRows(tree, () => true)
    expect(all.rows.length).toBe(1)
  })

  it('pins tracks to the top, in the order pinned, and not again in their group', () => {
    const cpu0 = p.rowOf.get('cpu0')!
    const d = displayRows(tree, () => false, [cpu5, cpu0])
    expect(d.pinned.map((r) => r.kind === 'track' && r.track)).toEqual([cpu5, cpu0])
    expect(d.rowOfTrack[cpu5]).toBe(0)
    expect(d.rowOfTrack[cpu0]).toBe(1)
    expect(d.rows.some((r) => r.kind === 'track' && (r.track === cpu5 || r.track === cpu0))).toBe(
      false,
    )
  })
})

describe('a collapsed group on the timeline', () => {
  const r = presetRun('book3s-power8-random-doorbells')
  const { p, tree } = treeOf(r, true)
  const d = displayRows(tree, () => true)
  const input = (over: Partial<TimelineChartInput> = {}): TimelineChartInput => ({
    prepared: p,
    window: { from: 0, to: p.end },
    width: 1000,
    title: 'T',
    subtitle: 'S',
    palette: LIGHT,
    rows: d,
    tree,
    ...over,
  })

  it('summarises its tracks: per bin the state that fills most of it', () => {
    const row = d.rows[0] as Extract<DisplayRow, { kind: 'group' }>
    const ranges = groupRanges(tree, p, row, 0, p.end, p.end / 100)
    expect(ranges.length).toBeGreaterThan(0)
    // Each range's state is one some track of the group is in over that range.
    for (const rg of ranges.slice(0, 20)) {
      const mid = (rg.start + rg.end) / 2
      const states = row.tracks.flatMap((t) =>
        p.tracks[t]!.spans.filter((s) => s.start <= rg.end && s.end >= rg.start).map(
          (s) => s.state,
        ),
      )
      expect(states, `${mid}`).toContain(rg.state)
    }
    // Zoomed in past the summary's bins, it adds up the window itself.
    const deep = groupRanges(tree, p, row, 1000, 1100, 1)
    expect(deep.every((x) => x.start >= 1000 && x.end <= 1100)).toBe(true)
    expect(groupEvents(tree, p, row).length).toBe(
      row.tracks.reduce((n, t) => n + (p.eventsByRow[t]?.length ?? 0), 0),
    )
  })

  it('answers a click on its name, a track’s pin, and draws the pinned ones on top', () => {
    const g = timelineGeometry(input())
    const y = g.plot.y + g.rowH / 2
    expect(hitTest(input(), 30, y)).toMatchObject({ kind: 'group', id: 'core0', collapsed: true })
    const open = displayRows(tree, () => false, [p.rowOf.get('cpu3')!])
    const hit = hitTest(input({ rows: open }), PIN.x + 6, y)
    expect(hit).toEqual({ kind: 'pin', row: p.rowOf.get('cpu3') })
    const opt = timelineOption(input({ rows: open, maxRows: 6 }))
    const texts = (opt.graphic as { type: string; style?: { text?: string } }[])
      .filter((x) => x.type === 'text')
      .map((x) => x.style?.text ?? '')
    expect(texts[0]).toBe('cpu 3 · thread 3')
    expect(texts.some((t) => t.includes('1 pinned'))).toBe(true)
  })
})
