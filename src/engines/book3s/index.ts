/**
 * The `book3s` engine: KVM on POWER (Book3S HV). This slice creates the vcpus (vcore,
 * `first_vcpuid`, ptid, or the errno) and lays the vcores out on the host's (sub)cores; the run
 * flow on a timeline per hardware thread comes with the full engine.
 */
import type { Book3sRunResult, Check, Metric } from '../../shared/result'
import type { Book3sScenario } from '../../shared/scenario/book3sScenario'
import { Simulation, type RunHooks } from '../kernel'
import { buildStaticLayout } from './staticLayout'
import { topologyOf } from './topology'
import { createVcpus, type CreatedVcpu } from './vcpuCreate'

export const BOOK3S_ENGINE_VERSION = 'book3s-0.1.0'

export interface EngineOptions {
  maxEvents?: number
  hooks?: RunHooks
}

const DEFAULT_MAX_EVENTS = 50_000_000

/** Simulation event: one KVM_CREATE_VCPU ioctl, in the order the scenario lists the ids. */
type Book3sEvent = { kind: 'create-vcpu'; index: number }

export function runBook3s(s: Book3sScenario, options: EngineOptions = {}): Book3sRunResult {
  const topo = topologyOf(s.host.processor, s.host.cores, s.host.subcoresPerCore)
  const created = createVcpus(s, topo)
  const createdInOrder: CreatedVcpu[] = []
  const sim = new Simulation<Book3sEvent>(s.seed, (ev) => {
    createdInOrder.push(created[ev.index] as CreatedVcpu)
  })
  created.forEach((_, index) => sim.at(0, 0, { kind: 'create-vcpu', index }))
  const run = sim.run(
    { until: s.workload.until, maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS },
    options.hooks,
  )

  const layout = buildStaticLayout(topo, s.kvm.design, createdInOrder)
  const threads = layout.cores.flatMap((c) =>
    c.subcores.flatMap((sc) => sc.threads.map((t) => ({ core: c.core, sc, t }))),
  )
  const placed = threads.filter((x) => x.t.vcpu !== null)
  const guestThread = (id: number) => id % s.kvm.smtMode
  const misaligned = placed.filter((x) => guestThread(x.t.vcpu as number) !== x.t.subcoreThread)
  const vcoreOf = new Map(createdInOrder.filter((v) => v.created).map((v) => [v.id, v.vcore]))
  const strays = placed.filter((x) => vcoreOf.get(x.t.vcpu as number) !== x.sc.vcore)

  const checks: Check[] = [
    {
      id: 'virtual-thread-is-physical-thread',
      ok: misaligned.length === 0,
      message:
        misaligned.length === 0
          ? 'every vcpu runs on the physical thread its guest believes it is (id mod threads), so msgsndp tags and TIR reads agree with the hardware'
          : `${misaligned.length} vcpu(s) run on a physical thread other than their virtual thread: ` +
            misaligned
              .slice(0, 8)
              .map(
                (x) =>
                  `vcpu ${x.t.vcpu} is virtual thread ${guestThread(x.t.vcpu as number)} on physical thread ${x.t.subcoreThread} of core ${x.core}`,
              )
              .join('; '),
      source: 'e0b7ec05 "Align physical and virtual CPU thread numbers" (kvmppc_start_thread)',
      confidence: 'source',
      refs: [],
    },
    {
      id: 'vcore-on-one-subcore',
      ok: strays.length === 0,
      message:
        strays.length === 0
          ? 'every vcpu of a vcore runs on the same physical (sub)core'
          : `${strays.length} vcpu(s) sit on a (sub)core that runs another vcore`,
      source: 'kvmppc_run_core: every runnable vcpu is started at vc->pcpu + ptid (e0b7ec05)',
      confidence: 'source',
      refs: [],
    },
  ]

  const refused = created.filter((v) => !v.created).length
  const m = (value: number, unit: string, label: string): Metric => ({ value, unit, label })
  const metrics: Record<string, Metric> = {
    vcpusCreated: m(created.length - refused, 'vcpus', 'vcpus created'),
    vcpusRefused: m(refused, 'vcpus', 'vcpus KVM refused'),
    vcores: m(layout.vcores.length, 'vcores', 'virtual cores'),
    vcoresUnplaced: m(
      layout.vcores.filter((v) => v.placedOn === null).length,
      'vcores',
      'vcores with no free (sub)core',
    ),
    threadsWithVcpu: m(placed.length, 'threads', 'hardware threads running a vcpu'),
    thread0NoVcpu: m(
      threads.filter((x) => x.t.role === 'no-vcpu-nap').length,
      'threads',
      'thread 0s with no vcpu (MMU switch, then nap)',
    ),
    misalignedVcpus: m(misaligned.length, 'vcpus', 'vcpus off their virtual thread'),
  }

  return {
    schemaVersion: 1,
    engine: 'book3s',
    design: s.kvm.design,
    seed: s.seed,
    engineVersion: BOOK3S_ENGINE_VERSION,
    scenario: s,
    layout,
    timeline: {
      tickUnit: '1 tick = 1 timebase tick (1/512 µs on POWER7 to POWER9)',
      end: run.end,
      states: [],
      tracks: threads.map((x) => ({
        id: `cpu${x.t.cpu}`,
        label: `cpu ${x.t.cpu} (core ${x.core} thread ${x.t.thread})`,
        group: `core ${x.core}`,
        spans: [],
      })),
    },
    events: [],
    metrics,
    checks,
    details: {
      vcpus: created,
      dispatches: [],
    },
    run,
  }
}
