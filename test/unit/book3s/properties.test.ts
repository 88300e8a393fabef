/** Properties of the book3s engine over random valid scenarios (fast-check). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../../src/engines'
import { parseScenario, type Book3sScenario } from '../../../src/shared/scenario'

const scenarioArb = fc
  .record({
    processor: fc.constantFrom('POWER7', 'POWER8', 'POWER9'),
    cores: fc.integer({ min: 1, max: 6 }),
    split: fc.constantFrom(1, 2, 4),
    design: fc.constantFrom('aligned', 'first-come'),
    nrCpus: fc.integer({ min: 8, max: 128 }),
    ids: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    rates: fc.record({
      run: fc.integer({ min: 0, max: 20 }),
      cede: fc.integer({ min: 0, max: 20 }),
      wake: fc.integer({ min: 0, max: 20 }),
      exit: fc.integer({ min: 0, max: 5 }),
      msgsndp: fc.integer({ min: 0, max: 20 }),
      'read-tir': fc.integer({ min: 0, max: 5 }),
    }),
    siblingTagsOnly: fc.boolean(),
  })
  .map((r) => ({
    schemaVersion: 1,
    name: 'prop',
    engine: 'book3s',
    seed: r.seed,
    host: {
      processor: r.processor,
      cores: r.cores,
      subcoresPerCore: r.processor === 'POWER8' && r.design === 'aligned' ? r.split : 1,
    },
    kvm: { design: r.processor === 'POWER9' ? 'aligned' : r.design, nrCpus: r.nrCpus },
    guest: { vcpuIds: r.ids },
    workload: {
      steps: [...new Set(r.ids)].map((vcpu) => ({ at: 0, vcpu, do: 'run' })),
      random: { until: 3000, rates: r.rates, siblingTagsOnly: r.siblingTagsOnly },
      until: 3000,
    },
  }))

function parse(doc: unknown): Book3sScenario {
  const r = parseScenario(doc)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r.scenario as Book3sScenario
}

describe('book3s properties', () => {
  it('every generated scenario is valid, runs without an exception, and repeats byte for byte', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const s = parse(doc)
        expect(JSON.stringify(runScenario(s))).toBe(JSON.stringify(runScenario(s)))
      }),
      { numRuns: 150 },
    )
  })

  it('aligned never puts a vcpu off its virtual thread and never misdelivers a doorbell', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const s = parse(doc)
        if (s.kvm.design !== 'aligned') return
        const r = runScenario(s)
        expect(r.checks.find((c) => c.id === 'virtual-thread-is-physical-thread')!.ok).toBe(true)
        expect(r.checks.find((c) => c.id === 'no-misdelivered-doorbell')!.ok).toBe(true)
        expect(
          r.events.filter((e) => e.kind === 'doorbell' && e.outcome === 'misdelivered'),
        ).toEqual([])
      }),
      { numRuns: 150 },
    )
  })

  it('under both designs thread 0 switches the MMU first, state is saved before the switch back, no entry after the first exit', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const r = runScenario(parse(doc))
        for (const id of [
          'mmu-switched-by-thread0-first',
          'state-saved-before-switch-back',
          'entry-only-before-first-exit',
        ]) {
          expect(
            r.checks.find((c) => c.id === id),
            id,
          ).toMatchObject({ ok: true })
        }
      }),
      { numRuns: 150 },
    )
  })

  it('every span of a timeline lies within the run and spans of one track never overlap', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const r = runScenario(parse(doc))
        for (const t of r.timeline.tracks) {
          let last = 0
          for (const sp of t.spans) {
            expect(sp.start).toBeGreaterThanOrEqual(last)
            expect(sp.end).toBeGreaterThan(sp.start)
            expect(sp.end).toBeLessThanOrEqual(r.timeline.end)
            last = sp.end
          }
        }
      }),
      { numRuns: 100 },
    )
  })

  it('every created vcpu has a vcore; every refused one an errno and a reason', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const r = runScenario(parse(doc))
        if (r.engine !== 'book3s') return
        for (const v of r.details.vcpus) {
          if (v.created) expect(v.vcore).not.toBeNull()
          else
            expect([v.error, typeof v.reason]).toEqual([
              expect.stringMatching(/^E[A-Z]+$/),
              'string',
            ])
        }
      }),
      { numRuns: 150 },
    )
  })
})
