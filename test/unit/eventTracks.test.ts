/**
 * The engines place every event they record: `track` names a track of the run's timeline, every
 * `toTracks` entry does too, only kinds whose record says they draw arrows have any, and the
 * timeline puts every event on a row. For every preset and for seeded random scenarios of both
 * engines.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../src/engines'
import { prepareTimeline } from '../../src/shared/charts/timelineModel'
import { kindSpec } from '../../src/shared/events'
import type { LabEvent, RunResult } from '../../src/shared/result'
import { parseScenario } from '../../src/shared/scenario'
import { book3sRandomArb, book3sScriptedArb, xenScenarioArb } from '../support/arbitraries'
import { allPresetRuns } from '../support/presetRuns'
import { xenDocument } from '../support/scenarios'

/** What is wrong with where the run's events are placed, one line each (none: all placed). */
function placementProblems(r: RunResult): string[] {
  const ids = new Set(r.timeline.tracks.map((t) => t.id))
  const named = new Set<string>()
  const out: string[] = []
  ;(r.events as LabEvent[]).forEach((e, i) => {
    const where = `event ${i} (${e.kind})`
    if (typeof e.track !== 'string' || !ids.has(e.track)) out.push(`${where}: track ${e.track}`)
    named.add(e.track)
    for (const to of e.toTracks ?? []) {
      if (!ids.has(to)) out.push(`${where}: toTracks names ${to}`)
      named.add(to)
    }
    if (e.toTracks !== undefined && kindSpec(e.kind)?.tracks.to === null)
      out.push(`${where}: has toTracks, but its kind draws no arrows`)
  })
  // The tracks made only when needed are there only when an event is on them.
  for (const id of ['refused-vcpus', 'no-vcpu'])
    if (ids.has(id) && !named.has(id)) out.push(`track ${id} with no event on it`)
  const unplaced = prepareTimeline(r).unplaced
  if (unplaced > 0) out.push(`${unplaced} events the timeline cannot draw`)
  return out
}

function run(doc: unknown): RunResult {
  const parsed = parseScenario(doc)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return runScenario(parsed.scenario)
}

describe('every event the engines record is on a timeline track', () => {
  it.each(allPresetRuns())('preset %s', (_, r) => {
    expect(r.events.length).toBeGreaterThan(0)
    expect(placementProblems(r)).toEqual([])
  })

  it('book3s: random workloads', () => {
    fc.assert(
      fc.property(book3sRandomArb, (doc) => {
        expect(placementProblems(run(doc))).toEqual([])
      }),
      { numRuns: 60, seed: 13 },
    )
  })

  it('book3s: scripted steps that cannot all happen (a vcpu out of the guest, not run yet, refused)', () => {
    let refused = 0
    fc.assert(
      fc.property(book3sScriptedArb, (doc) => {
        const r = run(doc)
        if (r.timeline.tracks.some((t) => t.id === 'refused-vcpus')) refused++
        expect(placementProblems(r)).toEqual([])
      }),
      { numRuns: 150, seed: 13 },
    )
    expect(refused).toBeGreaterThan(0)
  })

  it('xen: random guests and workloads', () => {
    let noVcpu = 0
    fc.assert(
      fc.property(xenScenarioArb, (d) => {
        const r = run(xenDocument(d))
        if (r.timeline.tracks.some((t) => t.id === 'no-vcpu')) noVcpu++
        expect(placementProblems(r)).toEqual([])
      }),
      { numRuns: 250, seed: 13 },
    )
    expect(noVcpu).toBeGreaterThan(0)
  })
})
