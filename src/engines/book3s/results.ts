/**
 * From the record of a run to what a person reads: the cores × threads layout of the latest
 * dispatch on each (sub)core, the checks a kernel engineer would assert, and the metrics.
 */
import type {
  Book3sEvent,
  Check,
  DoorbellEvent,
  KvmRunBusyEvent,
  Metric,
  PowerCore,
  PowerLayout,
  PowerRunSubcore,
  PowerSubcore,
  PowerThread,
  PowerVcore,
  ThreadRole,
} from '../../shared/result'
import type { Recorder } from './recorder'
import type { DispatchRecord, HwThread, SubcoreFacts, Unit, Vcore } from './state'
import { SOURCE } from './runFlow'
import type { Topology } from './topology'
import { TICK_NS } from './timing'

export const PLACEMENT_RULE =
  "a vcore's runner holds the (sub)core it took (its thread 0 is the runner's host CPU) until it stops, sleeps or is preempted at a host tick after its CFS slice while another waits; a vcore takes its last (sub)core when free, else the first free one, else waits in line"

/** The vcore track's state at the end of the run. */
function vcoreStateAtEnd(vc: Vcore): string {
  if (vc.state === 'PIGGYBACK') return 'piggyback'
  if (vc.preempted) return 'preempted'
  if (vc.queued) return 'waiting-for-core'
  if (vc.state === 'PREEMPT') return 'preempted'
  return vc.state.toLowerCase()
}

/** The records of the latest run on each (sub)core: the runner's and those it took along. */
function latestRuns(rec: Recorder): Map<string, DispatchRecord[]> {
  const latest = new Map<string, DispatchRecord[]>()
  for (const d of rec.dispatches) {
    const key = `${d.core}/${d.subcore}`
    const prev = latest.get(key)
    if (prev && (prev[0] as DispatchRecord).at === d.at) prev.push(d)
    else latest.set(key, [d])
  }
  return latest
}

/** The split and subcores of a co-scheduled run, from its records (one per vcore). */
function runShape(ds: readonly DispatchRecord[]): PowerSubcore['run'] {
  const split = ((ds[0] as DispatchRecord).split ?? 1) as 1 | 2 | 4
  const bySub = new Map<number, PowerRunSubcore>()
  for (const d of ds) {
    const k = d.kvmSubcore ?? 0
    let sc = bySub.get(k)
    if (!sc) {
      sc = { subcore: k, firstThread: d.subFirst, threads: d.subSize, vcores: [] }
      bySub.set(k, sc)
    }
    sc.vcores.push(d.vcore)
  }
  return { split, subcores: [...bySub.values()].sort((a, b) => a.subcore - b.subcore) }
}

/** One thread of the layout from the latest run's records (and the latecomers that joined it). */
function layoutThread(
  topo: Topology,
  u: Unit,
  th: HwThread,
  ds: readonly DispatchRecord[] | undefined,
  shape: PowerSubcore['run'],
): PowerThread {
  let vcpu: number | null = null
  let role: ThreadRole = 'idle'
  let owner: number | undefined
  for (const d of ds ?? []) {
    const slot = d.threads.find((t) => t.thread === th.index)
    const late = d.joined.find((j) => j.thread === th.index)
    if (!slot && !late) continue
    vcpu = late?.vcpu ?? slot?.vcpu ?? null
    role = vcpu !== null ? 'guest' : (slot?.role ?? 'idle')
    owner = d.vcore
    break
  }
  const firsts = shape ? shape.subcores.map((sc) => sc.firstThread) : [0]
  const t: PowerThread = {
    thread: u.subcore * topo.threadsPerSubcore + th.index,
    subcoreThread: th.index,
    cpu: th.cpu,
    vcpu,
    role,
    switchesMmu: ds !== undefined && firsts.includes(th.index),
    phase: th.phase,
  }
  if (shape && owner !== undefined) t.vcore = owner
  return t
}

/** The layout: each (sub)core as its latest run left it, threads with their phase at the end. */
export function buildLayout(
  topo: Topology,
  units: readonly Unit[],
  vcores: readonly Vcore[],
  rec: Recorder,
  end: number,
): PowerLayout {
  const latest = latestRuns(rec)
  const cores: PowerCore[] = []
  for (const u of units) {
    let core = cores[u.core]
    if (!core) {
      core = { core: u.core, subcores: [] }
      cores[u.core] = core
    }
    const ds = latest.get(`${u.core}/${u.subcore}`)
    const coscheduled = ds !== undefined && ds.length > 1
    const shape = coscheduled ? runShape(ds) : undefined
    const sub: PowerSubcore = {
      subcore: u.subcore,
      vcore: ds ? (ds[0] as DispatchRecord).vcore : null,
      threads: u.threads.map((th) => layoutThread(topo, u, th, ds, shape)),
    }
    if (shape) sub.run = shape
    core.subcores.push(sub)
  }
  const lastOf = new Map<number, DispatchRecord>()
  for (const d of rec.dispatches) lastOf.set(d.vcore, d)
  const layoutVcores: PowerVcore[] = vcores.map((vc) => {
    const d = lastOf.get(vc.id)
    return {
      vcore: vc.id,
      firstVcpuId: vc.firstVcpuId,
      vcpus: vc.vcpus.map((v) => v.id),
      placedOn: d ? { core: d.core, subcore: d.subcore, pcpu: d.pcpu } : null,
      stateAtEnd: vcoreStateAtEnd(vc),
      waitedTicks: vc.waitTicks + (vc.queued ? end - vc.waitSince : 0),
      preemptions: vc.preemptions,
    }
  })
  return {
    kind: 'power',
    processor: topo.processor,
    threadsPerCore: topo.threadsPerCore,
    subcoresPerCore: topo.subcoresPerCore,
    threadsPerSubcore: topo.threadsPerSubcore,
    cores,
    vcores: layoutVcores,
    placement: { rule: PLACEMENT_RULE, confidence: 'model' },
  }
}

/** The events a check can point at, first `REFS` of each. */
const REFS = 50

/**
 * What the checks need from the events, in one pass (a run keeps hundreds of thousands of them:
 * one pass per check read each of them several times).
 */
interface EventScan {
  doorbells: number
  misdelivered: DoorbellEvent[]
  misdeliveredRefs: number[]
  tooLate: number
  tooLateRefs: number[]
  tirReads: number
  tirBad: number
  tirBadRefs: number[]
  busy: KvmRunBusyEvent[]
  busyRefs: number[]
}

function scanEvents(events: readonly Book3sEvent[]): EventScan {
  const out: EventScan = {
    doorbells: 0,
    misdelivered: [],
    misdeliveredRefs: [],
    tooLate: 0,
    tooLateRefs: [],
    tirReads: 0,
    tirBad: 0,
    tirBadRefs: [],
    busy: [],
    busyRefs: [],
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Book3sEvent
    if (e.kind === 'doorbell') {
      out.doorbells++
      if (e.outcome !== 'misdelivered') continue
      out.misdelivered.push(e)
      if (out.misdeliveredRefs.length < REFS) out.misdeliveredRefs.push(i)
    } else if (e.kind === 'secondary-too-late') {
      out.tooLate++
      if (out.tooLateRefs.length < REFS) out.tooLateRefs.push(i)
    } else if (e.kind === 'kvm-run-ebusy') {
      out.busy.push(e)
      if (out.busyRefs.length < REFS) out.busyRefs.push(i)
    } else if (e.kind === 'tir-read') {
      out.tirReads++
      if (e.ok) continue
      out.tirBad++
      if (out.tirBadRefs.length < REFS) out.tirBadRefs.push(i)
    }
  }
  return out
}

/** "in the one dispatch" / "in all 3 dispatches". */
const inAll = (n: number, one: string, many: string) =>
  n === 1 ? `in the one ${one}` : `in all ${n} ${many}`

const list = (xs: string[], max = 4) =>
  xs.slice(0, max).join('; ') + (xs.length > max ? `; and ${xs.length - max} more` : '')

/** What every check rule reads: the dispatches and events of the run, scanned once. */
interface CheckInput {
  ds: readonly DispatchRecord[]
  topo: Topology
  sc: EventScan
  /** A `run` step put a vcpu's task on a host CPU of its own choosing (`hostCpu`). */
  hostCpus: boolean
}

/** One check, or null when it does not apply to the run (no TIR read, …). */
type CheckRule = (x: CheckInput) => Check | null

/**
 * Each subcore's entry into the guest once: the records of vcores that ran in one subcore (a
 * piggybacked vcore rides its master's MMU switch and exit) share their facts.
 */
function subcoreEntries(ds: readonly DispatchRecord[]): SubcoreFacts[] {
  const seen = new Set<SubcoreFacts>()
  for (const d of ds) seen.add(d.facts)
  return [...seen]
}

/** Thread 0 switches the MMU in before any vcpu state is loaded (kvmppc_hv_entry, e0b7ec05). */
const mmuSwitchedByThread0First: CheckRule = ({ ds }) => {
  const all = subcoreEntries(ds)
  const entered = all.filter((d) => d.mmuInEnd !== null)
  const early = entered
    .filter((d) => d.firstLoadAt >= 0 && d.firstLoadAt < (d.mmuInEnd as number))
    .map(
      (d) =>
        `vcpu ${d.firstLoadVcpu} at tick ${d.firstLoadAt} before the switch ended at ${d.mmuInEnd}`,
    )
  const notT0 = entered.filter((d) => d.mmuInBy !== 0)
  const notEntered = all.length - entered.length
  const enteredLabel =
    inAll(entered.length, 'dispatch that entered the guest', 'dispatches that entered the guest') +
    (notEntered > 0
      ? ` (${notEntered} more had not switched the MMU in by the end of the run)`
      : '')
  const noVcpuT0 = entered.filter((d) => d.noVcpuThread0).length
  return {
    id: 'mmu-switched-by-thread0-first',
    ok: early.length === 0 && notT0.length === 0,
    message:
      early.length === 0 && notT0.length === 0
        ? `${enteredLabel}, thread 0 switched the MMU in before any vcpu state was loaded (${noVcpuT0} with no vcpu of its own on thread 0)`
        : `guest state loaded before thread 0's MMU switch: ${list(early)}`,
    source:
      'e0b7ec05: thread 0 switches the MMU in kvmppc_hv_entry before any guest vcpu state is loaded',
    confidence: 'source',
    refs: [],
  }
}

/** Every thread saves its guest state before thread 0 switches the MMU back (hdec_soon). */
const stateSavedBeforeSwitchBack: CheckRule = ({ ds }) => {
  const switchedBack = subcoreEntries(ds).filter((d) => d.mmuOutStart !== null)
  const unsaved = switchedBack
    .filter((d) => d.lastSaveAt > (d.mmuOutStart as number))
    .map(
      (d) =>
        `thread ${d.lastSaveThread} of vcore ${d.vcore} saved at ${d.lastSaveAt}, after the switch at ${d.mmuOutStart}`,
    )
  return {
    id: 'state-saved-before-switch-back',
    ok: unsaved.length === 0,
    message:
      unsaved.length === 0
        ? switchedBack.length === 0
          ? 'no vcore left the guest in this run, so thread 0 never switched the MMU back'
          : `${inAll(switchedBack.length, 'exit', 'exits')}, every thread saved its guest state before thread 0 switched the MMU back`
        : `guest state saved after the switch back: ${list(unsaved)}`,
    source: 'e0b7ec05: all guest vcpu state is saved before the MMU is switched back (hdec_soon)',
    confidence: 'source',
    refs: [],
  }
}

/** Virtual thread N ran on physical thread N (kvmppc_start_thread: cpu = vc->pcpu + ptid). */
const virtualThreadIsPhysicalThread: CheckRule = ({ ds }) => {
  const offThread = ds.flatMap((d) =>
    d.offThread.map(
      (o) =>
        `vcpu ${o.vcpu} (virtual thread ${o.guestThread}) on physical thread ${o.thread} at tick ${d.at}`,
    ),
  )
  const piggy = ds.reduce((n, d) => n + d.piggyOffThread.length, 0)
  const piggyNote =
    piggy > 0
      ? `; ${piggy} placement(s) of piggybacked 1-thread vcores were off thread 0 of the subcore, which can_piggyback allows on POWER8 because such a guest has no sibling thread (its TIR read is off)`
      : ''
  return {
    id: 'virtual-thread-is-physical-thread',
    ok: offThread.length === 0,
    message:
      offThread.length === 0
        ? `every vcpu ran on the physical thread its guest believes it is (id mod threads): msgsndp tags and TIR agree with the hardware${piggyNote}`
        : `${offThread.length} placement(s) put a vcpu off its virtual thread: ${list(offThread)}${piggyNote}`,
    source:
      'e0b7ec05 "Align physical and virtual CPU thread numbers" (kvmppc_start_thread: cpu = vc->pcpu + ptid)' +
      (piggy > 0 ? '; can_piggyback_subcore (ec257165): only 1-thread vcores on POWER8' : ''),
    confidence: 'source',
    refs: [],
  }
}

/** A vcore's vcpus run on the threads of the one (sub)core of its dispatch. */
const vcoreOnOneSubcore: CheckRule = ({ ds, topo }) => {
  const strays = ds
    .filter((d) => d.minCpu < d.basePcpu || d.maxCpu >= d.basePcpu + d.span)
    .map(
      (d) =>
        `vcore ${d.vcore} at tick ${d.at}: cpus ${d.minCpu}-${d.maxCpu} outside ${d.basePcpu}-${d.basePcpu + d.span - 1}`,
    )
  const notStarted = ds.flatMap((d) =>
    d.notStarted.map(
      (n) =>
        `vcore ${d.vcore} at tick ${d.at}: vcpu ${n.vcpu} not started (thread ${n.thread} ${n.why})`,
    ),
  )
  const bad = [...strays, ...notStarted]
  const n = topo.threadsPerSubcore
  return {
    id: 'vcore-on-one-subcore',
    ok: bad.length === 0,
    message:
      bad.length === 0
        ? `every vcpu of a vcore ran on the threads of the one (sub)core of its dispatch (${n} threads each)`
        : `vcpus started outside their vcore's (sub)core: ${list(bad)}`,
    source: 'kvmppc_start_thread: cpu = vc->pcpu + ptid (book3s_hv.c @e0b7ec05)',
    confidence: 'source',
    refs: [],
  }
}

/** No msgsndp reached another vcpu than the one the guest meant (e0b7ec05's message). */
const noMisdeliveredDoorbell: CheckRule = ({ sc }) => {
  const bad = sc.misdelivered
  return {
    id: 'no-misdelivered-doorbell',
    ok: bad.length === 0,
    message:
      bad.length === 0
        ? `none of ${sc.doorbells} doorbells reached a vcpu other than the one the guest meant`
        : `${bad.length} of ${sc.doorbells} doorbells reached another vcpu: ${list(bad.map((e) => `vcpu ${e.from} tag ${e.tag} meant ${e.intended === null ? 'no vcpu' : `vcpu ${e.intended}`}, reached vcpu ${e.deliveredTo} at tick ${e.at}`))}`,
    source:
      'e0b7ec05 commit message: msgsndp takes the destination physical thread, so virtual thread N must run on physical thread N',
    confidence: 'source',
    refs: sc.misdeliveredRefs,
  }
}

/** No thread enters after a thread of its vcore began to exit (kvmppc_hv_entry's counts). */
const entryOnlyBeforeFirstExit: CheckRule = ({ ds, sc }) => {
  const lateEntries = subcoreEntries(ds)
    .filter((d) => d.firstExit !== null && d.lastEntryAt > d.firstExit)
    .map((d) => `thread ${d.lastEntryThread} of vcore ${d.vcore} at tick ${d.lastEntryAt}`)
  return {
    id: 'entry-only-before-first-exit',
    ok: lateEntries.length === 0,
    message:
      lateEntries.length === 0
        ? `no thread entered after a thread of its vcore began to exit (${sc.tooLate} secondary_too_late)`
        : `entries after the first exit: ${list(lateEntries)}`,
    source:
      'kvmppc_hv_entry: the entry count grows only while the exit count is 0 (book3s_hv_rmhandlers.S @e0b7ec05)',
    confidence: 'source',
    refs: sc.tooLateRefs,
  }
}

/** Every TIR read gave the guest's thread number (runs only when the guest read TIR). */
const tirMatchesGuestThread: CheckRule = ({ sc }) => {
  if (sc.tirReads === 0) return null
  return {
    id: 'tir-matches-guest-thread',
    ok: sc.tirBad === 0,
    message:
      sc.tirBad === 0
        ? 'every TIR read gave the thread number the guest expects'
        : `${sc.tirBad} TIR read(s) gave another thread number than the guest expects`,
    source:
      'TIR is the physical thread number (e0b7ec05 commit message; SPRN_DOORBELL_CPUTAG = SPRN_TIR, dbell.h); emulated on POWER9 (kvmppc_emulate_doorbell_instr, book3s_hv.c @1e175d2e)',
    confidence: 'derived',
    refs: sc.tirBadRefs,
  }
}

/**
 * Every runner's task was on thread 0 of its (sub)core (runs only when a `run` step chose a host
 * CPU): otherwise on_primary_thread fails and every runnable vcpu's KVM_RUN returns -EBUSY.
 */
const runnerOnPrimaryThread: CheckRule = ({ sc, hostCpus }) => {
  if (!hostCpus) return null
  const bad = sc.busy.map(
    (e) =>
      `at tick ${e.at} vcore ${e.vcore}'s runner (vcpu ${e.runner}) was on cpu ${e.hostCpu}, thread ${e.threadInSubcore} of its (sub)core: vcpus ${e.vcpus.join(', ')} got -EBUSY`,
  )
  return {
    id: 'runner-on-primary-thread',
    ok: bad.length === 0,
    message:
      bad.length === 0
        ? 'every runner task was on thread 0 of its (sub)core, so on_primary_thread held'
        : `KVM_RUN failed with EBUSY: ${list(bad)}`,
    source: SOURCE.ebusy,
    confidence: 'source',
    refs: sc.busyRefs,
  }
}

/** The book3s checks, in the order the result lists them. */
const RULES: readonly CheckRule[] = [
  mmuSwitchedByThread0First,
  stateSavedBeforeSwitchBack,
  virtualThreadIsPhysicalThread,
  vcoreOnOneSubcore,
  noMisdeliveredDoorbell,
  entryOnlyBeforeFirstExit,
  tirMatchesGuestThread,
  runnerOnPrimaryThread,
]

export function buildChecks(rec: Recorder, topo: Topology, hostCpus: boolean): Check[] {
  const x: CheckInput = { ds: rec.dispatches, topo, sc: scanEvents(rec.events), hostCpus }
  return RULES.map((rule) => rule(x)).filter((c): c is Check => c !== null)
}

/** Events by kind, doorbells by outcome, and cedes that took the vcore out, in one pass. */
function countEvents(events: readonly Book3sEvent[]) {
  const kinds = new Map<string, number>()
  const outcomes = new Map<string, number>()
  let cedeExits = 0
  for (const e of events) {
    kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1)
    if (e.kind === 'doorbell') outcomes.set(e.outcome, (outcomes.get(e.outcome) ?? 0) + 1)
    else if (e.kind === 'cede' && e.outcome === 'exit-to-host') cedeExits++
  }
  return {
    kind: (k: string) => kinds.get(k) ?? 0,
    by: (o: string) => outcomes.get(o) ?? 0,
    cedeExits,
  }
}

export function buildMetrics(
  rec: Recorder,
  units: readonly Unit[],
  end: number,
  vcores: readonly Vcore[],
  counts: { created: number; refused: number },
): Record<string, Metric> {
  const m = (value: number, unit: string, label: string): Metric => ({ value, unit, label })
  const { kind, by, cedeExits } = countEvents(rec.events)
  // Only threads of (sub)cores that ran a vcore have spans; count those threads for utilisation.
  const usedKeys = new Set(rec.dispatches.map((d) => d.core * 64 + d.subcore))
  const usedThreads = units
    .filter((u) => usedKeys.has(u.core * 64 + u.subcore))
    .reduce((n, u) => n + u.threads.length, 0)
  const guestTicks = rec.guestTicks
  const novcpu = rec.novcpuTicks
  const capacity = usedThreads * end
  let waited = 0
  for (const vc of vcores) waited += vc.waitTicks + (vc.queued ? end - vc.waitSince : 0)
  return {
    vcpusCreated: m(counts.created, 'vcpus', 'vcpus created'),
    vcpusRefused: m(counts.refused, 'vcpus', 'vcpus KVM refused'),
    vcores: m(vcores.length, 'vcores', 'virtual cores'),
    dispatches: m(rec.dispatches.length, 'dispatches', 'vcore dispatches (kvmppc_run_core)'),
    dispatchesEntered: m(
      rec.dispatches.reduce((n, d) => n + (d.facts.mmuInEnd !== null ? 1 : 0), 0),
      'dispatches',
      'dispatches that entered the guest (thread 0 switched the MMU in)',
    ),
    preemptions: m(
      kind('vcore-preempted'),
      'preemptions',
      'runners preempted by the host tick (kvm_resched; VCORE_PREEMPT from 4.1)',
    ),
    coreWait: m(
      Math.round((waited * TICK_NS) / 10) / 100,
      'µs',
      'time vcore runners waited for a (sub)core',
    ),
    latecomers: m(kind('latecomer'), 'vcpus', 'latecomers started into a running vcore'),
    doorbells: m(kind('doorbell'), 'doorbells', 'msgsndp issued'),
    doorbellsDelivered: m(by('delivered'), 'doorbells', 'doorbells delivered to the vcpu meant'),
    doorbellsMisdelivered: m(
      by('misdelivered'),
      'doorbells',
      'doorbells misdelivered to another vcpu',
    ),
    doorbellsLost: m(by('lost'), 'doorbells', 'doorbells lost on a thread with no vcpu'),
    doorbellsIgnored: m(by('ignored'), 'doorbells', 'doorbells ignored'),
    doorbellsMisdeliveredShare: m(
      kind('doorbell') > 0 ? Math.round((by('misdelivered') / kind('doorbell')) * 1000) / 10 : 0,
      '%',
      'share of doorbells misdelivered',
    ),
    thread0NoVcpuNap: m(
      Math.round((novcpu * TICK_NS) / 10) / 100,
      'µs',
      'thread 0 napping with no vcpu (NAPPING_NOVCPU)',
    ),
    threadUtilisation: m(
      capacity > 0 ? Math.round((guestTicks / capacity) * 1000) / 10 : 0,
      '%',
      'time threads of used (sub)cores spent in the guest',
    ),
    cedeExits: m(cedeExits, 'exits', 'last thread to cede took the vcore out'),
    secondaryTooLate: m(kind('secondary-too-late'), 'threads', 'secondaries too late to enter'),
    misalignedPlacements: m(
      rec.dispatches.reduce((n, d) => n + d.offThread.length, 0),
      'placements',
      'vcpus placed off their virtual thread',
    ),
  }
}
