/** Comparing two designs of one scenario: metric differences and the checks that differ. */
import { describe, expect, it } from 'vitest'
import { runBook3s } from '../../../src/engines/book3s'
import { compareRuns } from '../../../src/shared/lab/compare'
import { book3sScenario } from '../../support/scenarios'

const scenario = (design: 'first-come' | 'aligned') =>
  book3sScenario({ processor: 'POWER7', cores: 1, design, vcpuIds: [5, 6] })

describe('compareRuns', () => {
  it('POWER7 vcpus 5 and 6: first-come puts 2 vcpus off their thread, aligned none', () => {
    const c = compareRuns(runBook3s(scenario('first-come')), runBook3s(scenario('aligned')))
    expect(c.designs).toEqual(['first-come', 'aligned'])
    const mis = c.metrics.find((m) => m.key === 'misalignedPlacements')!
    expect([mis.a, mis.b, mis.delta]).toEqual([2, 0, -2])
    const verdict = c.checks.find((x) => x.id === 'virtual-thread-is-physical-thread')!
    expect(verdict.change).toBe('verdict')
    expect([verdict.a?.ok, verdict.b?.ok]).toEqual([false, true])
    expect(c.checks[0]!.change).toBe('verdict')
  })

  it('finds nothing to report between a run and itself', () => {
    const r = runBook3s(scenario('aligned'))
    const c = compareRuns(r, r)
    expect(c.checks).toEqual([])
    expect(c.changedMetrics).toBe(0)
    expect(c.sameChecks).toBe(r.checks.length)
  })

  it('reports a check or metric only one run has', () => {
    const a = runBook3s(scenario('aligned'))
    const b = structuredClone(a)
    b.checks.push({ id: 'new', ok: true, message: 'm', source: 's', confidence: 'model', refs: [] })
    b.metrics.extra = { value: 3, unit: 'x', label: 'extra' }
    const c = compareRuns(a, b)
    expect(c.checks).toEqual([expect.objectContaining({ id: 'new', change: 'only-b' })])
    expect(c.metrics.find((m) => m.key === 'extra')).toMatchObject({ a: null, b: 3, delta: null })
  })
})
