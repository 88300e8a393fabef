/**
 * The run result: one shape for both engines (docs/result.md), so the renderer draws every
 * run with the same few views and the CLI prints it as JSON. Names that are a public format are marked FIXED;
 * the rest are ours and documented in docs/result.md.
 */
import type { Book3sScenario, Processor } from './scenario/book3sScenario'
import type { XenScenario } from './scenario/xenScenario'

export const RESULT_SCHEMA_VERSION = 1

/**
 * How sure the lab is of a behaviour it shows:
 * - `source`: read in the cited kernel or Xen source;
 * - `derived`: the research's reading of the code, never observed on a running system;
 * - `model`: a choice of this model where the sources are silent.
 */
export type Confidence = 'source' | 'derived' | 'model'

/** An invariant or outcome a kernel engineer would assert (fixed: id, ok, message, source). */
export interface Check {
  id: string
  ok: boolean
  message: string
  /** The commit and function the check follows. */
  source: string
  confidence: Confidence
  /** Indices into `events` of the events that broke it (or, when ok, that it rests on). */
  refs: number[]
}

export interface Metric {
  value: number
  unit: string
  label: string
}

export interface Span {
  start: number
  end: number
  state: string
  label?: string
  /** What the span belongs to, e.g. `vcpu:13` or `vcore:1`, for linked selection. */
  ref?: string
}

export interface Track {
  id: string
  label: string
  /** The box the track belongs to, e.g. `core 1` or `vCPU 3`, to group tracks. */
  group: string
  spans: Span[]
}

export interface StateInfo {
  state: string
  label: string
  description: string
}

export interface Timeline {
  /** What one tick stands for, e.g. "1 tick = 10 ns (a model unit)". */
  tickUnit: string
  /** Nanoseconds per tick, for exports that need real time units (traces); absent: a tick is a step. */
  tickNs?: number
  end: number
  /** Every state a span may have, with a one-line description for legends. */
  states: StateInfo[]
  tracks: Track[]
}

// ---------------------------------------------------------------------------------------------
// book3s

export type ThreadRole = 'guest' | 'no-vcpu-nap' | 'idle'

/** FIXED `details.vcpus[]` . */
export interface VcpuDetail {
  id: number
  created: boolean
  /** errno name when KVM refused the vcpu (`"EINVAL"`), else null. */
  error: string | null
  vcore: number | null
  firstVcpuId: number | null
  /** The virtual thread the design fixes; null under `first-come` (assigned per dispatch). */
  ptid: number | null
  /** Why KVM refused it, naming the check and the function; null when created. */
  reason: string | null
}

/** FIXED `details.dispatches[]`: one per vcore entry into the guest . */
export interface Dispatch {
  at: number
  vcore: number
  /** Host CPU number of thread 0 of the (sub)core (of the dynamic subcore in a split run). */
  pcpu: number
  /**
   * The threads of the (sub)core, `thread` its index there; in a run that co-schedules vcores
   * (2015 designs), only the threads this vcore's vcpus started on and, for a subcore's master,
   * the subcore's thread 0.
   */
  threads: { thread: number; vcpu: number | null; role: ThreadRole }[]
  /** When thread 0 finished in the host (vcore INACTIVE again), or null if still running at the end. */
  end: number | null
  core: number
  subcore: number
  /** The vcore whose runner ran this one along (VCORE_PIGGYBACK, ec257165); absent for its own run. */
  runBy?: number
  /** The dynamic split of the core for the run (2 or 4, b4deba5c). */
  split?: 2 | 4
  /** KVM's subcore number in a run with several (a split POWER8 core, or POWER9 dependent threads). */
  kvmSubcore?: number
}

export interface PowerThread {
  /** Index within the physical core. */
  thread: number
  /** Index within the (sub)core: the physical thread number a vcore's virtual thread N lands on. */
  subcoreThread: number
  /** Host CPU number. */
  cpu: number
  vcpu: number | null
  role: ThreadRole
  /** Thread 0 of a (sub)core running a vcore switches the MMU (e0b7ec05). */
  switchesMmu: boolean
  /** Where the thread was when the run ended (a timeline state, or `host`). */
  phase?: string
  /** In a run that co-schedules vcores: the vcore this thread ran for (its vcpu, or its subcore's thread 0). */
  vcore?: number
}

/** A subcore KVM made for one run (b4deba5c), or the one subcore of a run with piggybacked vcores. */
export interface PowerRunSubcore {
  /** KVM's subcore number in the run. */
  subcore: number
  /** Its first physical thread (index in the (sub)core) and how many threads it has. */
  firstThread: number
  threads: number
  /** The vcores on it, its master first. */
  vcores: number[]
}

export interface PowerSubcore {
  subcore: number
  /** The vcore of the latest run on it (the runner's, when the run co-scheduled vcores). */
  vcore: number | null
  threads: PowerThread[]
  /** When the latest run co-scheduled vcores (ec257165, b4deba5c): its split and its subcores. */
  run?: { split: 1 | 2 | 4; subcores: PowerRunSubcore[] }
}

export interface PowerCore {
  core: number
  subcores: PowerSubcore[]
}

export interface PowerVcore {
  vcore: number
  firstVcpuId: number | null
  vcpus: number[]
  /** Where the vcore runs in this layout, or null when no (sub)core was free for it. */
  placedOn: { core: number; subcore: number; pcpu: number } | null
  /** Where the vcore was at the end: a vcore timeline state (`waiting-for-core`, `preempted`, …) or `inactive`. */
  stateAtEnd: string
  /** Ticks its runner spent waiting for a (sub)core, and how often the host tick preempted it. */
  waitedTicks: number
  preemptions: number
}

export interface PowerLayout {
  kind: 'power'
  processor: Processor
  threadsPerCore: number
  subcoresPerCore: number
  threadsPerSubcore: number
  cores: PowerCore[]
  vcores: PowerVcore[]
  /** How vcores were placed on (sub)cores, and on what authority. */
  placement: { rule: string; confidence: Confidence }
}

export type DoorbellOutcome = 'delivered' | 'misdelivered' | 'lost' | 'ignored'

/**
 * Where an instant event sits on the timeline and where it points: `track` is the id of the
 * timeline track it happened on (every event has one), `toTracks` the tracks an arrow goes to (a
 * doorbell's target thread, the threads an exit pokes); an event without them draws no arrow.
 * What they stand for, kind by kind: `tracks` in src/shared/events.
 */
export interface Placed {
  track: string
  toTracks?: string[]
  /** The function or commit the behaviour follows. */
  source: string
  confidence: Confidence
  /** What the model assumed or left out here, when that matters to a reader. */
  note?: string
}

/** FIXED `events` of kind `doorbell` : one per msgsndp the guest issued. */
export interface DoorbellEvent extends Placed {
  kind: 'doorbell'
  at: number
  from: number
  tag: number
  intended: number | null
  deliveredTo: number | null
  /** The physical thread (index within the (sub)core) it reached; null if ignored or emulated. */
  thread: number | null
  outcome: DoorbellOutcome
  /** Host CPU of that thread. */
  cpu: number | null
}

/** FIXED `events` of kind `latecomer` : a vcpu started into an already running vcore. */
export interface LatecomerEvent extends Placed {
  kind: 'latecomer'
  at: number
  vcore: number
  vcpu: number
  thread: number
}

/** msgclrp: the vcpu clears its own pending doorbell (its thread's DPDES bit; emulated on POWER9). */
export interface MsgclrpEvent extends Placed {
  kind: 'msgclrp'
  at: number
  vcpu: number
  /** Whether a doorbell was pending and is now cleared. */
  cleared: boolean
  /** The instruction was ignored (POWER7 has none; POWER9 emulation ignores a type other than SERVER). */
  ignored: boolean
}

/** The guest read its thread number (mfspr TIR). */
export interface TirReadEvent extends Placed {
  kind: 'tir-read'
  at: number
  vcpu: number
  /** What the guest read; null where the model does not say (POWER7). */
  value: number | null
  /** What the guest believes: id mod threads per virtual core. */
  expected: number
  ok: boolean
}

/** H_CEDE in real mode (kvmppc_h_cede): nap, or the last thread to cede takes the vcore out. */
export interface CedeEvent extends Placed {
  kind: 'cede'
  at: number
  vcpu: number
  vcore: number
  thread: number
  outcome: 'nap' | 'exit-to-host' | 'cancelled-by-prod'
  /** `napping_threads` after the cede, and the entry count it was compared with. */
  nappingThreads: number
  entryCount: number
}

/**
 * The first thread to exit pulls the others out: before 2015 it pokes HDEC and IPIs the napping
 * threads (hdec_soon); from 2015 it IPIs every thread that entered (kvmhv_commence_exit), and in a
 * split core asks every other subcore out (VCORE_EXIT_REQ).
 */
export interface ExitSyncEvent extends Placed {
  kind: 'exit-sync'
  at: number
  vcore: number
  thread: number
  trap: string
  /** Threads in the guest that take the HDEC interrupt. */
  hdec: number[]
  /** Threads IPIed: the napping ones (before 2015), every other entered one (from 2015). */
  ipi: number[]
  /** How the IPIs go (2015 on): msgsnd within a POWER8 core, else XICS. */
  method?: 'msgsnd' | 'xics'
  /** msgsnd's RB for each IPI, in `ipi` order: PPC_DBELL_TYPE(PPC_DBELL_SERVER) | thread in core. */
  rb?: number[]
  /** Subcores of a split core asked out with VCORE_EXIT_REQ: their master vcores. */
  exitReq?: number[]
}

/**
 * kvmppc_start_thread woke threads of a run with kvmppc_ipi_thread (2015 on): msgsnd within a
 * POWER8 core (its RB recorded), xics_wake_cpu on POWER7.
 */
export interface ThreadIpiEvent extends Placed {
  kind: 'thread-ipi'
  at: number
  /** The vcore whose runner sent them. */
  vcore: number
  /** Starting a run, a latecomer joining it, or a split core's idle threads sent to nap. */
  why: 'start' | 'latecomer' | 'split-nap'
  /** Physical threads (index in the (sub)core) and their host CPUs. */
  threads: number[]
  cpus: number[]
  method: 'msgsnd' | 'xics'
  rb: number[] | null
}

/**
 * kvmppc_run_core took vcores preempted on its CPU along (collect_piggybacks, ec257165), and on
 * POWER8 may split the core for the run (b4deba5c).
 */
export interface CoscheduleEvent extends Placed {
  kind: 'coschedule'
  at: number
  /** The runner's vcore, master of subcore 0. */
  vcore: number
  core: number
  pcpu: number
  /** 1 (no split), 2 or 4. */
  split: 1 | 2 | 4
  /** KVM's subcores: first physical thread and the vcores on it, each subcore's master first. */
  subcores: { subcore: number; thread: number; vcores: number[] }[]
  /** Vcores of the CPU's list looked at and left there (they did not fit). */
  left: number[]
  /** Vcores dropped from the list: nothing runnable. */
  dropped: number[]
}

/**
 * kvmppc_run_core refused the vcore: the runner's task is not on thread 0 of its (sub)core (or
 * the vcore has more threads than a subcore), so every runnable vcpu's KVM_RUN fails with EBUSY.
 */
export interface KvmRunBusyEvent extends Placed {
  kind: 'kvm-run-ebusy'
  at: number
  vcore: number
  /** The vcpu whose task was the runner, and the host CPU it was on. */
  runner: number
  hostCpu: number
  /** That CPU's thread number within its (sub)core (cpu_thread_in_subcore). */
  threadInSubcore: number
  /** Every vcpu whose KVM_RUN returned -EBUSY. */
  vcpus: number[]
  errno: 'EBUSY'
}

/** A secondary reached kvmppc_hv_entry after the first exit: it does not enter (secondary_too_late). */
export interface TooLateEvent extends Placed {
  kind: 'secondary-too-late'
  at: number
  vcore: number
  thread: number
  vcpu: number | null
}

/** A scripted step that could not happen when it was due, and why. */
export interface StepSkippedEvent extends Placed {
  kind: 'step-skipped'
  at: number
  vcpu: number
  do: string
  reason: string
}

/**
 * A scripted guest instruction that fell due while its vcpu was out of the guest and bound to
 * return (an exit the model caused: an emulated instruction, the host tick, another thread's exit,
 * a vcore waiting for a core): the guest runs it when it re-enters, `delay` ticks late.
 */
export interface StepDelayedEvent extends Placed {
  kind: 'step-delayed'
  at: number
  vcpu: number
  do: string
  dueAt: number
  delay: number
  reason: string
}

/** A vcore's runner found every (sub)core held by another runner and waits for one (model). */
export interface VcoreWaitEvent extends Placed {
  kind: 'vcore-wait'
  at: number
  vcore: number
  /** The vcpu whose task is the runner. */
  runner: number | null
  /** How long a runner keeps its host CPU while another waits (model, timing.ts). */
  sliceTicks: number
  /** When the host's timer next ticks, the first moment the scheduler can preempt a holder. */
  nextHostTick: number
}

/** A runner marked need_resched by the host tick yielded in kvm_resched, its vcore EXITING. */
export interface VcorePreemptedEvent extends Placed {
  kind: 'vcore-preempted'
  at: number
  vcore: number
  core: number
  subcore: number
  pcpu: number
  /** Ticks the runner had held the host CPU. */
  heldFor: number
  /** The vcore whose runner gets the (sub)core. */
  by: number
  /** 2015 on: the vcore was put on the CPU's preempted_vcores list (kvmppc_vcore_preempt). */
  listed?: boolean
}

export type Book3sEvent =
  | ThreadIpiEvent
  | CoscheduleEvent
  | KvmRunBusyEvent
  | StepDelayedEvent
  | VcoreWaitEvent
  | VcorePreemptedEvent
  | DoorbellEvent
  | LatecomerEvent
  | TirReadEvent
  | MsgclrpEvent
  | CedeEvent
  | ExitSyncEvent
  | TooLateEvent
  | StepSkippedEvent

export interface Book3sDetails {
  vcpus: VcpuDetail[]
  dispatches: Dispatch[]
}

// ---------------------------------------------------------------------------------------------
// xen

export type CpuState = 'online' | 'offline' | 'failed'

/** FIXED `details.cpus[]` . */
export interface CpuDetail {
  cpu: number
  /** The Xen vCPU this Linux CPU actually runs on; null if it never ran. */
  vcpu: number | null
  /** `x86_cpu_to_acpiid[cpu]` (4294967295 when Linux holds U32_MAX); null on PV and ARM. */
  acpiId: number | null
  /** The local APIC id Linux starts this CPU at; null on PV and ARM. */
  apicId: number | null
  state: CpuState
  /** A short text when failed ("init_control -ENOENT at CPU_UP_PREPARE"), or why it is offline. */
  reason: string | null
}

/** Where a CPU's `xen_vcpu_id` came from (docs/engines.md: `xen_vcpu_setup`, `init_hvm_pv_info`, `xen_cpu_up_prepare_hvm`, `xen_starting_cpu`). */
export type VcpuIdSource =
  | 'raw-cpu'
  | 'direct'
  | 'cpuid'
  | 'smp-processor-id'
  | 'acpi-id'
  | 'fallback-cpu'
  | 'mpidr'
  | 'before-set'

/** The hypercall that made a CPU fail, for the layout. */
export interface FailedCall {
  /** Index into `events`. */
  event: number
  op: string
  vcpu: number | null
  rc: number
  errno: string | null
}

/** One Linux CPU in the layout: the fixed detail plus what the layout views draw. */
export interface XenLayoutCpu extends CpuDetail {
  /** The id its hypercalls carry at the end of the run (unsigned 32-bit): `xen_vcpu_nr(cpu)`, or
   * the Linux cpu number under raw-cpu and the 2007 code. */
  vcpuId: number
  idSource: VcpuIdSource
  /** The vCPU the kernel starts this CPU on (APIC id / 2, MPIDR, or the VCPUOP_up target). */
  startsOn: number | null
  /** ARM: the MPIDR Linux reads from the device tree for this CPU. */
  mpidr: number | null
  /** Whose vcpu_info this CPU reads: the vCPU it registered (or whose shared_info slot it uses). */
  readsVcpuInfoOf: number | null
  failedCall: FailedCall | null
}

export interface XenLayoutVcpu {
  vcpu: number
  /** Online when the domain was built (MADT entry enabled, xenstore availability "online"). */
  online: boolean
  /** Xen's view at the end of the run: running (not `_VPF_down`). */
  up: boolean
  /** MADT Local APIC entry Xen builds for it (PVHVM); null when the table has no entry. */
  acpiId: number | null
  apicId: number | null
  /** ARM vMPIDR (`MPIDR_SMP | vcpuid_to_vaffinity(n)`). */
  mpidr: number | null
  /** The Linux CPU running on it at the end of the run. */
  cpu: number | null
  vcpuInfo: 'shared' | 'registered' | 'dummy'
  fifoControlBlock: boolean
}

export interface XenLayout {
  kind: 'xen'
  guestType: 'pv' | 'pvhvm' | 'pvh' | 'arm'
  xenVersion: string
  /** The Linux code the run follows, e.g. "v4.8.15 (CPU notifiers)" or "f87e4cac (2007)". */
  linuxCode: string
  design: string
  eventChannels: { requested: 'fifo' | '2l'; effective: 'fifo' | '2l'; why: string | null }
  idBeforeSet: { kind: string; value: number; read: boolean }
  /** Whether Xen would build this domain (HVM_MAX_VCPUS; ARM MAX_VIRT_CPUS per Xen version). */
  domain: { buildable: boolean; why: string | null }
  /** Tick at which the boot settled; workload `at` ticks count from here. */
  bootEnd: number
  outcome: 'booted' | 'panicked' | 'not-started'
  cpus: XenLayoutCpu[]
  vcpus: XenLayoutVcpu[]
}

export interface XenDetails {
  cpus: CpuDetail[]
}

/** Every Xen event carries where its behaviour comes from and how sure the lab is of it. */
interface XenEventBase {
  at: number
  /** The Linux and Xen functions (and files) the behaviour follows. */
  source: string
  confidence: Confidence
  /** The track it happened on (its vCPU's, or `no-vcpu`), and where its arrows go (see `Placed`). */
  track: string
  toTracks?: string[]
}

/** FIXED `events` of kind `hypercall` . */
export interface HypercallEvent extends XenEventBase {
  kind: 'hypercall'
  op: string
  /** The Linux CPU whose code issued it. */
  cpu: number
  /** The Xen vCPU it executed on. */
  onVcpu: number
  side: 'boot' | 'starting' | 'self'
  /** The vCPU argument as Xen reads it (unsigned 32-bit), or null when the call names none. */
  vcpu: number | null
  rc: number
  errno: string | null
  /** The Linux CPU the call sets up or acts for (the one coming up, for the boot side). */
  forCpu: number
  /** Event-channel port the call returned or used, when there is one. */
  port: number | null
  /** What the call was for, e.g. "VIRQ_TIMER" or "RESCHEDULE". */
  what: string | null
}

/** A CPU's `xen_vcpu_id` being set. */
export interface VcpuIdEvent extends XenEventBase {
  kind: 'vcpu-id'
  cpu: number
  /** The value written (unsigned 32-bit). */
  vcpu: number
  via: VcpuIdSource
}

/** The boot side starting a CPU: INIT/SIPI, PSCI CPU_ON, or (PV) VCPUOP_up. */
export interface ApStartEvent extends XenEventBase {
  kind: 'ap-start'
  from: number
  to: number
  method: 'INIT/SIPI' | 'PSCI CPU_ON' | 'VCPUOP_up'
  /** The vCPU that starts running. */
  vcpu: number
  apicId: number | null
  mpidr: number | null
}

/** A Linux CPU changing state (online, offline, failed). */
export interface CpuStateEvent extends XenEventBase {
  kind: 'cpu-state'
  cpu: number
  state: CpuState
  reason: string | null
}

export type IpiOutcome = 'delivered' | 'misdelivered' | 'lost' | 'not-sent'

/** FIXED `events` of kind `ipi` : `from` and `to` are Linux CPUs. */
export interface IpiEvent extends XenEventBase {
  kind: 'ipi'
  from: number
  to: number
  vector: 'reschedule' | 'call-function' | 'call-function-single' | 'reboot' | 'stop'
  /** The vCPU the port is bound to (null when nothing was sent). */
  boundVcpu: number | null
  /** The Linux CPU whose handler ran, or null when no CPU saw it. */
  deliveredToCpu: number | null
  port: number | null
  /** Tick the handler started (null when never seen). */
  arrivedAt: number | null
  outcome: IpiOutcome
  /** Why it was lost, misdelivered or not sent. */
  cause: string | null
}

/** FIXED `events` of kind `call-function` . */
export interface CallFunctionEvent extends XenEventBase {
  kind: 'call-function'
  from: number
  targets: number[]
  wait: boolean
  started: number
  finished: number
  /** Tick the caller returned; null when it is still spinning at the end of the run (a hang). */
  doneAt: number | null
  /** What the call ran: "function", "drop_other_mm_ref", "stop_self". */
  func: string
  /** Targets whose function never ran (the caller spins on them). */
  missing: number[]
  /** CPUs that ran the function. */
  ranOn: number[]
  hung: boolean
}

/** FIXED `events` of kind `lazy-tlb-drop` : one per CPU that leaves the mm. */
export interface LazyTlbDropEvent extends XenEventBase {
  kind: 'lazy-tlb-drop'
  cpu: number
}

/** A BUG/BUG_ON that fired; `panic` when it brings the guest down. */
export interface BugEvent extends XenEventBase {
  kind: 'bug'
  cpu: number
  where: string
  panic: boolean
}

/** The soft reset before a kdump crash kernel (xen/common/domain.c `domain_soft_reset`). */
export interface SoftResetEvent extends XenEventBase {
  kind: 'soft-reset'
  crashedVcpu: number
  /** vCPUs left `_VPF_down` (HLT with interrupts off). */
  downVcpus: number[]
  supported: boolean
}

/** A kernel message the model shows, as the release's source prints it (printk, pr_warn_once). */
export interface PrintkEvent extends XenEventBase {
  kind: 'printk'
  /** The Linux CPU that printed it. */
  cpu: number
  level: 'debug' | 'info' | 'warning'
  text: string
}

/** A workload step: when it ran, or why it did not. */
export interface StepEvent extends XenEventBase {
  kind: 'step'
  cpu: number
  do: string
  /** Index into `scenario.workload.steps`. */
  step: number
  outcome: 'ran' | 'skipped' | 'refused'
  reason: string | null
}

export type XenEvent =
  | HypercallEvent
  | VcpuIdEvent
  | ApStartEvent
  | CpuStateEvent
  | IpiEvent
  | CallFunctionEvent
  | LazyTlbDropEvent
  | BugEvent
  | SoftResetEvent
  | PrintkEvent
  | StepEvent

// ---------------------------------------------------------------------------------------------

export type LabEvent = Book3sEvent | XenEvent

export interface RunStats {
  /** Simulation events processed. */
  events: number
  /** The tick the run ended at. */
  end: number
  stoppedBy: 'until' | 'drained'
}

interface RunResultOf<E extends string, S, L, D, V extends LabEvent = LabEvent> {
  schemaVersion: 1
  engine: E
  design: string
  seed: number
  engineVersion: string
  scenario: S
  layout: L
  timeline: Timeline
  events: V[]
  metrics: Record<string, Metric>
  checks: Check[]
  details: D
  run: RunStats
}

export type Book3sRunResult = RunResultOf<
  'book3s',
  Book3sScenario,
  PowerLayout,
  Book3sDetails,
  Book3sEvent
>
export type XenRunResult = RunResultOf<'xen', XenScenario, XenLayout, XenDetails, XenEvent>
export type RunResult = Book3sRunResult | XenRunResult
