/** Properties of the book3s engine over random valid scenarios (fast-check). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../../src/engines'
import { hostTickTicks, schedSliceTicks } from '../../../src/engines/book3s/timing'
import { parseScenario, type Book3sScenario } from '../../../src/shared/scenario'
import { book3sRandomArb as scenarioArb } from '../../support/arbitraries'

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

  it('overcommitted hosts share their (sub)cores: no two dispatches on one at once, no runner starves', () => {
    // Few cores, many vcores (SMT mode 1 on POWER8/POWER7 makes each vcpu a vcore), a random
    // workload for the first 3000 ticks, then the guests run on across host ticks (HZ 1000).
    const overcommitted = fc
      .record({
        processor: fc.constantFrom('POWER7', 'POWER8', 'POWER9'),
        cores: fc.integer({ min: 1, max: 2 }),
        vcpus: fc.integer({ min: 2, max: 10 }),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        cede: fc.integer({ min: 0, max: 20 }),
        wake: fc.integer({ min: 0, max: 20 }),
        exit: fc.integer({ min: 0, max: 5 }),
        run: fc.integer({ min: 0, max: 20 }),
      })
      .map((r) => ({
        schemaVersion: 1,
        name: 'overcommit',
        engine: 'book3s',
        seed: r.seed,
        host: { processor: r.processor, cores: r.cores, hz: 1000 },
        kvm: { design: 'aligned', smtMode: 1 },
        guest: { vcpus: r.vcpus },
        workload: {
          steps: Array.from({ length: r.vcpus }, (_, vcpu) => ({ at: 0, vcpu, do: 'run' })),
          random: {
            until: 3000,
            rates: { cede: r.cede, wake: r.wake, exit: r.exit, run: r.run },
          },
          until: 2_000_000,
        },
      }))
    fc.assert(
      fc.property(overcommitted, (doc) => {
        const s = parse(doc)
        const r = runScenario(s)
        if (r.engine !== 'book3s') return
        const byUnit = new Map<string, { at: number; end: number | null }[]>()
        for (const d of r.details.dispatches) {
          const key = `${d.core}/${d.subcore}`
          const list = byUnit.get(key) ?? []
          const prev = list[list.length - 1]
          // A preempted dispatch ends on whichever core its runner resumes on; only the threads'
          // time on the (sub)core counts here: a later dispatch starts after the earlier's MMU switch.
          if (prev && prev.end !== null) expect(d.at).toBeGreaterThan(prev.at)
          list.push({ at: d.at, end: d.end })
          byUnit.set(key, list)
        }
        const units = s.host.cores * (s.host.processor === 'POWER9' ? 4 : 1)
        const bound = r.layout.vcores.length * (schedSliceTicks(units) + 3 * hostTickTicks(1000))
        for (const t of r.timeline.tracks) {
          for (const sp of t.spans) {
            if (sp.state === 'waiting-for-core' || sp.state === 'preempted') {
              expect(sp.end - sp.start, `${t.id} ${sp.state} from ${sp.start}`).toBeLessThanOrEqual(
                bound,
              )
            }
          }
          // One thread runs one vcpu at a time.
          let last = 0
          for (const sp of t.spans) {
            expect(sp.start).toBeGreaterThanOrEqual(last)
            last = sp.end
          }
        }
      }),
      { numRuns: 40 },
    )
  })
})
