/**
 * Random valid scenarios for property tests (fast-check): documents that `parseScenario` accepts,
 * for both engines.
 */
import fc from 'fast-check'
import type { XenDoc } from './scenarios'

/** A random book3s guest and random workload (run steps at 0, then seeded random verbs). */
export const book3sRandomArb = fc
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

/**
 * A small book3s guest with scripted steps of every verb for random vcpus at random ticks: steps
 * that cannot happen (a vcpu out of the guest, not run yet, or refused by KVM) are the point.
 */
export const book3sScriptedArb = fc
  .record({
    processor: fc.constantFrom('POWER7', 'POWER8', 'POWER9'),
    cores: fc.integer({ min: 1, max: 3 }),
    design: fc.constantFrom('aligned', 'first-come'),
    nrCpus: fc.integer({ min: 8, max: 64 }),
    ids: fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    steps: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 400 }),
        pick: fc.nat(),
        do: fc.constantFrom('run', 'cede', 'wake', 'exit', 'msgsndp', 'msgclrp', 'read-tir'),
        tag: fc.integer({ min: 0, max: 7 }),
      }),
      { maxLength: 30 },
    ),
  })
  .map((r) => ({
    schemaVersion: 1,
    name: 'scripted',
    engine: 'book3s',
    seed: r.seed,
    host: { processor: r.processor, cores: r.cores },
    kvm: { design: r.processor === 'POWER9' ? 'aligned' : r.design, nrCpus: r.nrCpus },
    guest: { vcpuIds: r.ids },
    workload: {
      steps: r.steps.map((s) => ({
        at: s.at,
        vcpu: r.ids[s.pick % r.ids.length],
        do: s.do,
        ...(s.do === 'msgsndp' ? { tag: s.tag } : {}),
      })),
      until: 600,
    },
  }))

const VERSIONS = ['4.4', '4.5', '4.6', '4.7', '4.8', '4.11', '4.17', '4.18', '4.20']
const DESIGNS = [
  'raw-cpu',
  'vcpu-id-mapping',
  'arm-smp-fix',
  'starting-cpu-hypercalls',
  'firmware-ids',
]

/** A random xen guest: type, vCPUs, nr_cpus, event channels, kdump, design, Linux era, Xen. */
export const xenGuestArb = fc
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

/** Random steps of every verb, valid for the guest (CPUs below nr_cpus, exit-mmap on PV only). */
export function xenStepsArb(g: XenDoc): fc.Arbitrary<unknown[]> {
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
    fc.record({
      do: fc.constant('set-affinity'),
      cpu,
      irq: fc.constantFrom('reschedule', 'call-function', 'timer'),
      target: cpu,
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

/** A random xen guest with random steps of every verb. */
export const xenScenarioArb = xenGuestArb.chain((g) =>
  xenStepsArb(g).map((steps) => ({ ...g, steps })),
)
