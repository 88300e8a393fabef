/**
 * The timeline prepared from a run as the page gets it (packed in the worker, its spans a table of
 * columns: src/shared/packed/spanTable.ts) is the timeline prepared from the run's objects, track
 * for track, and preparing it makes no span object: the layout, links and summaries read the
 * columns too.
 */
import { describe, expect, it } from 'vitest'
import { summarizeArea } from '../../../src/shared/charts/areaSummary'
import { powerLayoutAt, xenLayoutAt } from '../../../src/shared/charts/layoutAtTick'
import { rowsOfVcpu, threadStatesAt } from '../../../src/shared/charts/layoutLinks'
import {
  prepareTimeline,
  textAt,
  type PreparedTimeline,
  type RangeColumns,
} from '../../../src/shared/charts/timelineModel'
import { packRun, unpackRun } from '../../../src/shared/packed/packedRun'
import { trackSpans } from '../../../src/shared/packed/spanTable'
import type { RunResult } from '../../../src/shared/result'
import { allPresetRuns } from '../../support/presetRuns'

/** A track's ranges as plain values, for comparing columns made two ways. */
const plain = (c: RangeColumns) =>
  Array.from({ length: c.n }, (_, i) => [c.start[i], c.end[i], c.states[c.state[i]!]])

/** Marks each table's first span: a span made from it before now does not show the mark. */
function markTables(r: RunResult): () => boolean {
  const marked = r.timeline.tracks.flatMap((t) => {
    const at = trackSpans(t)
    if (!at || at.n === 0) return []
    at.table.end[at.offset] = at.table.end[at.offset]! + 0.25
    return [{ t, end: at.table.end[at.offset]! }]
  })
  return () => marked.every(({ t, end }) => t.spans[0]!.end === end)
}

describe('the timeline prepared from packed columns', () => {
  const runs = allPresetRuns()
  it.each(runs)('%s: the same tracks, states, refs and levels as from objects', (_, r) => {
    const fromObjects = prepareTimeline(r, { hideIdle: true })
    const packed = unpackRun(packRun(r))
    const fromColumns = prepareTimeline(packed, { hideIdle: true })
    expect(fromColumns.states).toEqual(fromObjects.states)
    expect(fromColumns.spanCount).toBe(fromObjects.spanCount)
    expect(fromColumns.tracks.map((t) => t.id)).toEqual(fromObjects.tracks.map((t) => t.id))
    fromColumns.tracks.forEach((t, row) => {
      const o = fromObjects.tracks[row]!
      expect(plain(t.columns)).toEqual(plain(o.columns))
      const refs = (x: typeof t) => Array.from({ length: x.columns.n }, (_, i) => textAt(x.refs, i))
      expect(refs(t)).toEqual(refs(o))
      expect(t.lods.map((l) => [l.binTicks, plain(l.columns)])).toEqual(
        o.lods.map((l) => [l.binTicks, plain(l.columns)]),
      )
      expect(t.spans).toEqual(o.spans)
    })
  })

  it.each(runs.filter(([, r]) => r.timeline.tracks.some((t) => t.spans.length > 0)))(
    '%s: preparing, the links, the layout at a tick and an area summary make no span object',
    (_, r) => {
      const packed = unpackRun(packRun(r))
      const p: PreparedTimeline = prepareTimeline(packed, { hideIdle: true })
      const mid = p.end / 2
      const withObjects = prepareTimeline(r, { hideIdle: true })
      expect(threadStatesAt(p, mid)).toEqual(threadStatesAt(withObjects, mid))
      expect(rowsOfVcpu(p, packed, 1)).toEqual(rowsOfVcpu(withObjects, r, 1))
      const area = { from: p.end / 4, to: mid, tracks: p.tracks.map((_, i) => i) }
      const sum = summarizeArea(p, packed, area)
      expect(sum.rows.map((x) => x.busy)).toEqual(
        summarizeArea(withObjects, r, area).rows.map((x) => x.busy),
      )
      if (r.layout.kind === 'power') {
        expect(powerLayoutAt(r.layout, p, mid)).toEqual(powerLayoutAt(r.layout, withObjects, mid))
      } else {
        expect(xenLayoutAt(r.layout, r.events, p, mid)).toEqual(
          xenLayoutAt(r.layout, r.events, withObjects, mid),
        )
      }
      expect(markTables(packed)()).toBe(true)
    },
  )
})
