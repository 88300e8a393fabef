/**
 * The run-time state the model keeps, named as the kernel names it at e0b7ec05
 * (arch/powerpc/include/asm/kvm_host.h, kvm_book3s_asm.h): per vcpu, per virtual core, per
 * hardware thread (its PACA `kvm_hstate`), and the units KVM runs a vcore on.
 */
import type { Dispatch, Span, Track } from '../../shared/result'

/** `vcore_state` at e0b7ec05: INACTIVE 0, SLEEPING 1, STARTING 2, RUNNING 3, EXITING 4. */
export type VcoreState = 'INACTIVE' | 'SLEEPING' | 'STARTING' | 'RUNNING' | 'EXITING'

/** What the vcore track shows beside the kernel's states: waiting for a host CPU (model). */
export type VcoreSpanState = VcoreState | 'WAITING' | 'PREEMPTED'

/** `vcpu->arch.state`: KVMPPC_VCPU_NOTREADY (outside KVM_RUN), RUNNABLE, BUSY_IN_HOST. */
export type VcpuRunState = 'NOTREADY' | 'RUNNABLE' | 'BUSY_IN_HOST'

/** Why a thread left the guest: the trap its exit carries into the host. */
export type Trap = 'exit' | 'hdec' | 'cede' | 'external' | 'hfac'

/** Where a hardware thread is in the run flow; each is a timeline state (`host` is a gap). */
export type Phase =
  | 'host'
  | 'mmu-in'
  | 'wait-in-guest'
  | 'load-state'
  | 'guest'
  | 'cede-nap'
  | 'novcpu-nap'
  | 'save-state'
  | 'wait-exit'
  | 'too-late'
  | 'mmu-out'
  | 'host-exit'

export class Vcpu {
  runState: VcpuRunState = 'NOTREADY'
  ceded = false
  /** H_PROD arrived while running: the next H_CEDE returns at once. */
  prodded = false
  /** An interrupt is pending: clears `ceded` when the runner next looks (kvmppc_run_vcpu). */
  pending = false
  /** A directed privileged doorbell is pending for it (its thread's DPDES bit; POWER9 doorbell_request). */
  doorbellPending = false
  /** The hardware thread it was started on in the current dispatch. */
  thread: HwThread | null = null
  /** The hardware thread of its latest dispatch (`thread`, kept after the dispatch ends). */
  lastThread: HwThread | null = null
  /** Why it left the guest in the current dispatch. */
  trap: Trap | null = null
  /** Virtual thread within the vcore under `first-come`: assigned at each dispatch. */
  dispatchPtid: number | null = null
  /**
   * Scripted guest instructions due while the vcpu was out of the guest and bound to return (its
   * vcore exiting, waiting for a core, emulating an instruction): run in order when it re-enters.
   * Null when there are none (the common case, checked on every guest entry).
   */
  deferred: DeferredStep[] | null = null
  /** Span label and reference, made once: a run has millions of spans. */
  readonly label: string
  readonly ref: string

  constructor(
    readonly id: number,
    readonly vcore: Vcore,
    /** The fixed virtual thread under `aligned` (e0b7ec05); null under `first-come`. */
    readonly ptid: number | null,
    /** The thread number the guest believes this vcpu is: id mod threads per virtual core. */
    readonly guestThread: number,
  ) {
    this.label = `vcpu ${id}`
    this.ref = `vcpu:${id}`
  }
}

export class Vcore {
  readonly vcpus: Vcpu[] = []
  state: VcoreState = 'INACTIVE'
  stateSince = 0
  /** `vc->runnable_threads` in list (arrival) order. */
  runnable: Vcpu[] = []
  /** The vcpu whose task runs the vcore (`vc->runner`). */
  runner: Vcpu | null = null
  lastUnit: Unit | null = null
  /** Waiting for a free (sub)core (model: the host scheduler's queue). */
  queued = false
  /**
   * The (sub)core whose thread 0 (the host CPU) the runner task holds: from the dispatch that took
   * it until the runner stops, sleeps (kvmppc_vcore_blocked) or is preempted (kvm_resched).
   */
  held: Unit | null = null
  /** When the runner got the host CPU it holds. */
  heldSince = 0
  /** The host tick set need_resched on the runner: it yields at its next kvm_resched. */
  needResched = false
  /** The runner yielded in kvm_resched with the vcore EXITING, and waits for a host CPU. */
  preempted = false
  /** When the vcore last began waiting for a (sub)core, and what it waited in all. */
  waitSince = 0
  waitTicks = 0
  preemptions = 0
  /** vcpu tasks spinning on vc->lock while the runner starts the threads (STARTING). */
  lockWaiters: Vcpu[] = []
  /** The kvmppc_run_core this vcore is in now (as master or piggybacked), or null. */
  run: CoreRun | null = null
  /** The vcore's timeline span in progress. */
  open: Span | null = null
  /** The flow's callbacks for this vcore, made once and reused for every dispatch. */
  readonly on: VcoreCallbacks = {
    start: null,
    mmuOut: null,
    switchedBack: null,
    finish: null,
    rerun: null,
    wakeRunner: null,
    resume: null,
  }

  constructor(
    readonly id: number,
    readonly firstVcpuId: number | null,
    readonly track: Track,
  ) {}
}

export class HwThread {
  phase: Phase = 'host'
  since = 0
  /** PACA kvm_hstate.kvm_vcpu: the vcpu this thread runs in this dispatch (null: none). */
  vcpu: Vcpu | null = null
  /** The run whose master vcore is this thread's PACA kvm_hstate.kvm_vcore (null: released). */
  run: CoreRun | null = null
  /** The threads of its (sub)core, by index: where msgsndp's tag lands. */
  siblings: readonly HwThread[] = []
  entered = false
  exited = false
  open: Span | null = null
  /** `[track id]`, shared by every event that points at this thread. */
  readonly asTarget: string[]
  /** The trap of the exit whose state save is under way. */
  savingTrap: Trap = 'hdec'
  /** The flow's callbacks for this thread, made once and reused. */
  readonly on: ThreadCallbacks = {
    enter: null,
    mmuIn: null,
    loaded: null,
    saved: null,
    poked: null,
    latecomer: null,
    cedeWake: null,
  }

  constructor(
    readonly cpu: number,
    readonly core: number,
    readonly subcore: number,
    /** Index within the (sub)core: the physical thread number msgsndp addresses. */
    readonly index: number,
    readonly track: Track,
  ) {
    this.asTarget = [track.id]
  }
}

type Callback = (() => void) | null

/** A scripted step waiting for its vcpu to re-enter the guest. */
export interface DeferredStep {
  dueAt: number
  do: string
  tag: number | undefined
  rb: number | undefined
  /** Why the vcpu was out of the guest when the step fell due. */
  reason: string
}

export interface ThreadCallbacks {
  enter: Callback
  mmuIn: Callback
  loaded: Callback
  saved: Callback
  poked: Callback
  latecomer: Callback
  cedeWake: Callback
}

export interface VcoreCallbacks {
  start: Callback
  mmuOut: Callback
  switchedBack: Callback
  finish: Callback
  rerun: Callback
  wakeRunner: Callback
  resume: Callback
}

/** A (sub)core: the threads KVM runs one vcore on (`threads_per_subcore`). */
export class Unit {
  busy: Vcore | null = null
  constructor(
    readonly core: number,
    readonly subcore: number,
    readonly threads: HwThread[],
  ) {
    for (const t of threads) t.siblings = threads
  }
}

/**
 * One kvmppc_run_core: the (sub)core it runs on, its master vcore, the record the checks read, and
 * the counts and flags kvmppc_run_core resets for each run (vc->entry_exit_count, napping_threads,
 * in_guest at e0b7ec05). Made when the run starts and dropped when it ends, so nothing here is
 * ever null and nothing stale survives into the next run.
 */
export class CoreRun {
  entryCount = 0
  exitCount = 0
  nappingThreads = 0
  inGuest = false
  /** The host timer interrupt fired while this run was past __kvmppc_vcore_entry. */
  hdecExpired = false
  /** The vcpus started in this run (placed and latecomers), whose exits the host handles. */
  readonly started: Vcpu[] = []
  /** The run's threads were released to the host already (a preempted runner). */
  threadsReleased = false
  nWoken = 0
  napCount = 0

  constructor(
    readonly unit: Unit,
    readonly master: Vcore,
    readonly record: DispatchRecord,
  ) {}

  get thread0(): HwThread {
    return this.unit.threads[0] as HwThread
  }
}

/** What the checks need from one dispatch, beside the fixed `details.dispatches` entry. */
export interface DispatchRecord extends Dispatch {
  end: number | null
  mmuInEnd: number | null
  mmuOutStart: number | null
  mmuOutBy: number | null
  mmuInBy: number | null
  /** The first guest-state load of the dispatch (-1: none yet). */
  firstLoadAt: number
  firstLoadVcpu: number
  /** The last guest-state save of the dispatch (-1: none yet). */
  lastSaveAt: number
  lastSaveThread: number
  firstExit: number | null
  /** The last increment of the entry count (-1: none yet). */
  lastEntryAt: number
  lastEntryThread: number
  /** Lowest and highest host CPU any vcpu of this dispatch was started on. */
  minCpu: number
  maxCpu: number
  /** Latecomers started into this dispatch: which vcpu on which thread. */
  joined: { thread: number; vcpu: number }[]
  /** Started vcpus whose physical thread differs from the guest's idea of their thread. */
  offThread: { vcpu: number; guestThread: number; thread: number }[]
}
