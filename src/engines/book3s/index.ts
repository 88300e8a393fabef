/**
 * The `book3s` engine: KVM on POWER (Book3S HV). Creates the vcpus (vcore, `first_vcpuid`, ptid or
 * the errno), then runs the workload through the run flow of the chosen design on a timeline per
 * hardware thread and per vcore, and reports the doorbells, the checks and the metrics.
 */
import type { Book3sRunResult, StateInfo, Track } from '../../shared/result'
import type { Book3sScenario } from '../../shared/scenario/book3sScenario'
import {
  MAX_RECORDED,
  RecordBudget,
  Simulation,
  checkRequested,
  countRecorded,
  objectArray,
  type RunHooks,
} from '../kernel'
import { BOOK3S_DESIGN_TABLE } from '../../designs/book3s'
import { BOOK3S_KERNEL_TABLE } from '../../designs/book3sKernels'
import type { CoscheduleSettings } from './coschedule'
import { Recorder } from './recorder'
import { buildChecks, buildLayout, buildMetrics } from './results'
import { PRIORITY, RunFlow, type Action } from './runFlow'
import { HwThread, Unit, Vcore, Vcpu } from './state'
import {
  BOOK3S_REDUCE,
  expireDeferred,
  randomWorkload,
  requestedWork,
  runDeferred,
  scriptedStep,
  type StepContext,
} from './steps'
import { TICK_NS, TICK_UNIT, hostTickTicks, schedSliceTicks } from './timing'
import { topologyOf, type Topology } from './topology'
import { createVcpus } from './vcpuCreate'

export const BOOK3S_ENGINE_VERSION = 'book3s-0.2.0'

export interface EngineOptions {
  maxEvents?: number
  /** Most events and spans the run may record (kernel/recordBudget.ts; MAX_RECORDED if absent). */
  maxRecorded?: number
  hooks?: RunHooks
}

const DEFAULT_MAX_EVENTS = 50_000_000

export const BOOK3S_STATES: StateInfo[] = [
  {
    state: 'mmu-in',
    label: 'MMU switch in',
    description:
      'thread 0 switches LPID/SDR1 to the guest, flushes the TLB, applies the timebase offset',
  },
  {
    state: 'wait-in-guest',
    label: 'waiting for in_guest',
    description: 'a secondary spins until thread 0 has switched the MMU',
  },
  {
    state: 'load-state',
    label: 'loading guest state',
    description: "the vcpu's SLB, SPRs, FP/VMX and GPRs are loaded",
  },
  { state: 'guest', label: 'in guest', description: 'the vcpu runs guest code' },
  {
    state: 'cede-nap',
    label: 'ceded, napping',
    description: 'H_CEDE: the thread naps with its napping_threads bit set',
  },
  {
    state: 'novcpu-nap',
    label: 'no vcpu, napping',
    description: 'thread 0 with no vcpu naps (NAPPING_NOVCPU) until a latecomer or an exit',
  },
  {
    state: 'save-state',
    label: 'saving guest state',
    description: 'the exiting vcpu saves its state before the exit count is bumped',
  },
  {
    state: 'wait-exit',
    label: 'waiting for exits',
    description:
      'thread 0 waits for every entered thread to exit; secondaries wait for in_guest to clear',
  },
  {
    state: 'too-late',
    label: 'too late',
    description: 'secondary_too_late: arrived after the first exit, never entered',
  },
  {
    state: 'mmu-out',
    label: 'MMU switch out',
    description: 'thread 0 switches the MMU back to the host',
  },
  {
    state: 'host-exit',
    label: 'host: handling exits',
    description: 'the runner waits for the secondaries to nap, releases them and handles each exit',
  },
  {
    state: 'starting',
    label: 'vcore STARTING',
    description: 'kvmppc_run_core is starting the threads',
  },
  { state: 'running', label: 'vcore RUNNING', description: 'the vcore is in the guest' },
  {
    state: 'exiting',
    label: 'vcore EXITING',
    description: 'the vcore is back in the host handling exits',
  },
  {
    state: 'sleeping',
    label: 'vcore SLEEPING',
    description: 'every runnable vcpu has ceded: the runner sleeps (kvmppc_vcore_blocked)',
  },
  {
    state: 'waiting-for-core',
    label: 'waiting for a core',
    description:
      "every (sub)core's thread 0 is held by another runner: this one waits until the host scheduler gives it one (model: first come, first served)",
  },
  {
    state: 'preempted',
    label: 'preempted',
    description:
      'the host tick marked the runner need_resched while another waited: it yielded (in kvm_resched with the vcore EXITING before 4.1; as VCORE_PREEMPT at the top of kvmppc_run_vcpu from 4.1) and waits for a host CPU',
  },
  {
    state: 'piggyback',
    label: 'vcore PIGGYBACK',
    description:
      "run along by another vcore's runner on the same core (collect_piggybacks, ec257165): piggybacked onto its subcore or, on POWER8 from b4deba5c, in a subcore of its own",
  },
]

function buildHost(topo: Topology): { units: Unit[]; threads: HwThread[] } {
  const units: Unit[] = []
  const threads: HwThread[] = []
  for (let c = 0; c < topo.cores; c++) {
    for (let sc = 0; sc < topo.subcoresPerCore; sc++) {
      const list: HwThread[] = []
      for (let t = 0; t < topo.threadsPerSubcore; t++) {
        const cpu = c * topo.threadsPerCore + sc * topo.threadsPerSubcore + t
        const thread = sc * topo.threadsPerSubcore + t
        const track: Track = {
          id: `cpu${cpu}`,
          label: `cpu ${cpu} (core ${c} thread ${thread})`,
          group:
            topo.subcoresPerCore > 1 && topo.threadsPerSubcore > 1
              ? `core ${c} subcore ${sc}`
              : `core ${c}`,
          spans: objectArray(),
        }
        const th = new HwThread(cpu, c, sc, t, track)
        list.push(th)
        threads.push(th)
      }
      units.push(new Unit(c, sc, list))
    }
  }
  return { units, threads }
}

/**
 * `threads_per_vcore()` (book3s_hv.c, 45c940ba and later): the threads kvmppc_run_core controls,
 * threads per subcore on POWER7 and POWER8, 1 on POWER9 with independent threads (the default),
 * 4 (the SMT4 core) with indep_threads_mode off.
 */
function controlledThreads(s: Book3sScenario, topo: Topology): number {
  if (s.host.processor === 'POWER9') return s.kvm.indepThreadsMode === false ? 4 : 1
  return topo.threadsPerSubcore
}

/**
 * What collect_piggybacks may take (book3s_hv.c from ec257165): `target_threads` is the
 * controlled threads, lowered by the design's target_smt_mode; null when it can take nothing.
 */
function coscheduleOf(s: Book3sScenario, topo: Topology): CoscheduleSettings | null {
  const kernel = BOOK3S_KERNEL_TABLE[s.kvm.kernel]
  const params = BOOK3S_DESIGN_TABLE[s.kvm.design].moduleParams
  const controlled = controlledThreads(s, topo)
  let target = controlled
  if (params.targetSmtMode > 0 && params.targetSmtMode < target) target = params.targetSmtMode
  if (!kernel.coschedule || target <= 1) return null
  return {
    processor: s.host.processor,
    threadsPerSubcore: topo.threadsPerSubcore,
    targetThreads: target,
    dynamicMtModes: params.dynamicMtModes,
    piggybackSubcore: kernel.piggybackSubcore,
    dynamicSplit: kernel.dynamicSplit,
  }
}

/** The model of one scenario, ready to run: exposed so tests can look inside at any tick. */
export interface Book3sModel {
  sim: Simulation<Action>
  flow: RunFlow
  rec: Recorder
  topo: Topology
  units: Unit[]
  threads: HwThread[]
  vcores: Vcore[]
  vcpuById: Map<number, Vcpu>
  created: ReturnType<typeof createVcpus>
}

export function buildBook3sModel(
  s: Book3sScenario,
  budget = new RecordBudget(Infinity, ''),
): Book3sModel {
  const topo = topologyOf(
    s.host.processor,
    s.host.cores,
    s.host.subcoresPerCore,
    s.kvm.indepThreadsMode !== false,
  )
  const created = createVcpus(s, topo)
  const { units, threads } = buildHost(topo)
  const p9 = s.host.processor === 'POWER9'
  const design = BOOK3S_DESIGN_TABLE[s.kvm.design]
  const kernel = BOOK3S_KERNEL_TABLE[s.kvm.kernel]

  const vcoreById = new Map<number, Vcore>()
  const vcpuById = new Map<number, Vcpu>()
  for (const c of created) {
    if (!c.created || c.vcore === null) continue
    let vc = vcoreById.get(c.vcore)
    if (!vc) {
      vc = new Vcore(c.vcore, c.firstVcpuId, {
        id: `vcore${c.vcore}`,
        label: `vcore ${c.vcore}`,
        group: 'vcores',
        spans: objectArray(),
      })
      vcoreById.set(c.vcore, vc)
    }
    // On POWER9 each vcpu is alone on its thread and the doorbell facility is emulated by id.
    const guestThread = p9 ? 0 : c.id % s.kvm.smtMode
    const v = new Vcpu(c.id, vc, design.fixedThread ? c.ptid : null, guestThread)
    vc.vcpus.push(v)
    vcpuById.set(c.id, v)
  }
  const vcores = [...vcoreById.values()].sort((a, b) => a.id - b.id)

  const sim = new Simulation<Action>(s.seed, (action) => action())
  const rec = new Recorder(budget)
  const flow = new RunFlow(sim, rec, units, {
    design,
    kernel,
    processor: s.host.processor,
    cosched: coscheduleOf(s, topo),
    controlledThreads: controlledThreads(s, topo),
    piggybackLatecomers: kernel.piggybackLatecomers,
    hostTick: hostTickTicks(s.host.hz),
    // The host CPUs online beside KVM: thread 0 of each (sub)core (secondaries are offline).
    slice: schedSliceTicks(units.length),
    until: s.workload.until,
  })
  const ctx: StepContext = { s, flow, rec, vcpuById }
  flow.onGuestEntry = (v) => sim.at(sim.now, PRIORITY.step, () => runDeferred(ctx, v, sim.now))

  for (const step of s.workload.steps) {
    sim.at(step.at, PRIORITY.step, () => scriptedStep(ctx, step, sim.now))
  }

  randomWorkload(ctx, sim, PRIORITY.step)
  return { sim, flow, rec, topo, units, threads, vcores, vcpuById, created }
}

export function runBook3s(s: Book3sScenario, options: EngineOptions = {}): Book3sRunResult {
  const limit = options.maxRecorded ?? MAX_RECORDED
  checkRequested(requestedWork(s), limit)
  const budget = new RecordBudget(limit, BOOK3S_REDUCE)
  const model = buildBook3sModel(s, budget)
  const { sim, flow, rec, topo, units, threads, vcores, created } = model
  const run = sim.run(
    { until: s.workload.until, maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS },
    { ...countRecorded(options.hooks, budget), describePending: () => flow.describePending() },
  )
  const end = s.workload.until
  expireDeferred({ s, flow, rec, vcpuById: model.vcpuById }, end)
  rec.closeAll(threads, vcores, end)

  const refused = created.filter((v) => !v.created).length
  return {
    schemaVersion: 1,
    engine: 'book3s',
    design: s.kvm.design,
    seed: s.seed,
    engineVersion: BOOK3S_ENGINE_VERSION,
    scenario: s,
    layout: buildLayout(topo, units, vcores, rec, end),
    timeline: {
      tickUnit: TICK_UNIT,
      tickNs: TICK_NS,
      end,
      states: BOOK3S_STATES,
      tracks: [
        ...threads.map((t) => t.track),
        ...vcores.map((v) => v.track),
        ...(rec.refused ? [rec.refused] : []),
      ],
    },
    events: rec.events,
    metrics: buildMetrics(rec, units, end, vcores, {
      created: created.length - refused,
      refused,
    }),
    checks: buildChecks(
      rec,
      topo,
      s.workload.steps.some((st) => st.hostCpu !== undefined),
    ),
    details: {
      vcpus: created,
      dispatches: rec.dispatches.map((d) => ({
        at: d.at,
        vcore: d.vcore,
        pcpu: d.pcpu,
        threads: d.threads,
        end: d.end,
        core: d.core,
        subcore: d.subcore,
        ...(d.runBy !== undefined ? { runBy: d.runBy } : {}),
        ...(d.split !== undefined ? { split: d.split } : {}),
        ...(d.kvmSubcore !== undefined ? { kvmSubcore: d.kvmSubcore } : {}),
      })),
    },
    run,
  }
}
