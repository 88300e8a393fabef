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

  it('aligned never puts a vcpu off its virtual thread', () => {
    fc.assert(
      fc.property(scenarioArb, (doc) => {
        const s = parse(doc)
        if (s.kvm.design !== 'aligned') return
        const r = runScenario(s)
        expect(r.checks.find((c) => c.id === 'virtual-thread-is-physical-thread')!.ok).toBe(true)
      }),
      { numRuns: 150 },
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
