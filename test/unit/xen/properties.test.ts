/** Properties of the xen engine over random valid guests and workloads (fast-check). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runScenario } from '../../../src/engines'
import type { XenRunResult } from '../../../src/shared/result'
import { parseScenario, type XenScenario } from '../../../src/shared/scenario'
import { hypercalls, xenDocument, type XenDoc } from './support'

const VERSIONS = ['4.4', '4.5', '4.6', '4.7', '4.8', '4.11', '4.17', '4.18', '4.20']
const DESIGNS = [
  'raw-cpu',
  'vcpu-id-mapping',
  'arm-smp-fix',
  'starting-cpu-hypercalls',
  'firmware-ids',
]

const guestArb = fc
  .record({
    type: fc.constantFrom('pv', 'pvhvm', 'arm') as fc.Arbitrary<XenDoc['type']>,
    maxVcpus: fc.integer({ min: 1, max: 8 }),
    offline: fc.integer({ min: 0, max: 7 }),
    nrExtra: fc.integer({ min: -4, max: 4 }),
    eventChannels: fc.constantFrom('fifo', '2l') as fc.Arbitrary<'fifo' | '2l'>,
    kdump: fc.option(fc.nat(), { nil: undefined }),
    design: fc.constantFrom(...DESIGNS),
    era: fc.constantFrom('4.8', '4.9') as fc.Arbitrary<'4.8' | '4.9'>,
    idBeforeSet: fc.option(fc.constantFrom('minus-one', 'zero', 'boot-id', 'u32-max'), {
      nil: undefined,
    }),
    version: fc.constantFrom(...VERSIONS),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  })
  .map((r): XenDoc => {
    const online = Math.max(1, r.maxVcpus - r.offline)
    return {
      type: r.type,
      maxVcpus: r.maxVcpus,
      onlineVcpus: online,
      nrCpus: Math.max(1, r.maxVcpus + r.nrExtra),
      eventChannels: r.eventChannels,
      ...(r.type === 'pvhvm' && r.kdump !== undefined ? { kdump: r.kdump % online } : {}),
      design: r.design,
      era: r.era,
      ...(r.idBeforeSet ? { idBeforeSet: r.idBeforeSet } : {}),
      version: r.version,
      seed: r.seed,
    }
  })

/** Random steps of every verb, valid for the guest (CPUs below nr_cpus). */
function stepsArb(g: XenDoc): fc.Arbitrary<unknown[]> {
  const nr = g.nrCpus ?? g.maxVcpus
  const cpu = fc.integer({ min: 0, max: nr - 1 })
  const cpus = fc.array(cpu, { maxLength: 4 })
  const verbs: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.record({
      do: fc.constant('send-ipi'),
      cpu,
      target: cpu,
      vector: fc.constantFrom('reschedule', 'call-function'),
    }),
    fc.record({ do: fc.constant('call-function'), cpu, targets: cpus, wait: fc.boolean() }),
    fc.record({ do: fc.constant('offline'), cpu }),
    fc.record({ do: fc.constant('online'), cpu }),
    fc.record({ do: fc.constant('stop-others'), cpu }),
    fc.record({
      do: fc.constant('vcpu-hot-add'),
      cpu,
      vcpu: fc.integer({ min: 0, max: g.maxVcpus - 1 }),
    }),
  ]
  if (g.type === 'pv') {
    verbs.push(
      fc.record({
        do: fc.constant('exit-mmap'),
        cpu,
        lazyCpus: cpus,
        order: fc.constantFrom('drop-first', 'unpin-first'),
      }),
    )
  }
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.oneof(...verbs)), { maxLength: 6 })
    .map((xs) => xs.map(([at, s]) => ({ at, ...s })))
}

const scenarioArb = guestArb.chain((g) => stepsArb(g).map((steps) => ({ ...g, steps })))

function run(d: XenDoc): XenRunResult {
  const parsed = parseScenario(xenDocument(d))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return runScenario(parsed.scenario as XenScenario) as XenRunResult
}

/** The designs that name the right vCPU for this guest: the mapping on x86, the ARM fix anywhere. */
const mapped = (d: XenDoc) =>
  d.design === 'arm-smp-fix' || (d.design === 'vcpu-id-mapping' && d.type !== 'arm')

describe('xen properties', () => {
  it('every valid scenario runs without an exception, and the same seed gives a byte-identical result', () => {
    fc.assert(
      fc.property(scenarioArb, (d) => {
        expect(JSON.stringify(run(d))).toBe(JSON.stringify(run(d)))
      }),
      { numRuns: 250 },
    )
  })

  it('under vcpu-id-mapping (x86) and arm-smp-fix every normal boot brings every CPU online, and every call naming a vCPU returns 0', () => {
    fc.assert(
      fc.property(
        guestArb.filter((d) => mapped(d) && d.kdump === undefined),
        (d) => {
          const r = run(d)
          expect(r.checks.find((c) => c.id === 'expected-cpus-online')?.ok).toBe(true)
          expect(r.layout.outcome).toBe('booted')
          for (const e of hypercalls(r)) {
            if (e.vcpu === null) continue
            // VCPUOP_is_up answers 1 or 0 (and -ENOENT for ids beyond the domain when nr_cpus
            // is larger); XENPMU_* get -EOPNOTSUPP from a Xen whose vPMU is off, its default.
            if (e.op === 'VCPUOP_is_up')
              expect(e.rc === 0 || e.rc === 1 || (e.rc === -2 && e.vcpu >= d.maxVcpus)).toBe(true)
            else if (e.op.startsWith('XENPMU_')) expect(e.errno).toBe('EOPNOTSUPP')
            else expect([e.op, e.vcpu, e.rc]).toEqual([e.op, e.vcpu, 0])
          }
          expect(r.checks.find((c) => c.id === 'hypercall-targets-own-vcpu')?.ok).toBe(true)
        },
      ),
      { numRuns: 200 },
    )
  })
})
