/**
 * The run-time state the model keeps, named as the kernel names it at e0b7ec05
 * (arch/powerpc/include/asm/kvm_host.h, kvm_book3s_asm.h): per vcpu, per virtual core, per
 * hardware thread (its PACA `kvm_hstate`), and the units KVM runs a vcore on.
 */
import type { Dispatch, Span, Track } from '../../shared/result'

/**
 * `vcore_state`: INACTIVE, SLEEPING, STARTING, RUNNING, EXITING at e0b7ec05; VCORE_PREEMPT (the
 * runner yielded at the top of kvmppc_run_vcpu's loop, c56dadf3) and VCORE_PIGGYBACK (run by
 * another vcore's kvmppc_run_core, ec257165) in later kernels.
 */
export type VcoreState =
  'INACTIVE' | 'SLEEPING' | 'STARTING' | 'RUNNING' | 'EXITING' | 'PREEMPT' | 'PIGGYBACK'

/** What the vcore track shows beside the kernel's states: waiting for a host CPU (model). */
export type VcoreSpanState = VcoreState | 'WAITING' | 'PREEMPTED'

/** `vcpu->arch.state`: KVMPPC_VCPU_NOTREADY (outside KVM_RUN), RUNNABLE, BUSY_IN_HOST. */
export type VcpuRunState = 'NOTREADY' | 'RUNNABLE' | 'BUSY_IN_HOST'

/**
 * Why a thread left the guest: the trap its exit carries into the host. `doorbell` is
 * BOOK3S_INTERRUPT_H_DOORBELL (0xe80, a msgsnd IPI on POWER8), `none` trap 0 (a napping thread
 * woken by its decrementer, kvm_end_cede and kvm_novcpu_wakeup in the 2015 code).
 */
export type Trap = 'exit' | 'hdec' | 'cede' | 'external' | 'hfac' | 'doorbell' | 'none'

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
  /** The host CPU its task is on when it enters KVM_RUN (a `run` step's `hostCpu`), or null. */
  hostCpu: number | null = null
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
  /** The subcore of that run it is in, and the index of its first thread there (`pvc->pcpu`). */
  sub: SubRun | null = null
  base = 0
  /** The (sub)core whose CPU's preempted_vcores list holds it (kvmppc_vcore_preempt), or null. */
  listedOn: Unit | null = null
  /** The host CPU its runner task is bound to (a `run` step's `hostCpu`): that CPU's (sub)core. */
  pinned: Unit | null = null
  /** The record of the dispatch it is in now (as master or taken along), or null. */
  record: DispatchRecord | null = null
  /** The vcore's timeline span in progress. */
  open: Span | null = null
  /** The flow's callbacks for this vcore, made once and reused for every dispatch. */
  readonly on: VcoreCallbacks = {
    start: null,
    mmuOut: null,
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

  /** vc->num_threads: the vcpus created in it. */
  get numThreads(): number {
    return this.vcpus.length
  }

  /** vc->n_runnable. */
  get nRunnable(): number {
    return this.runnable.length
  }
}

export class HwThread {
  phase: Phase = 'host'
  since = 0
  /** PACA kvm_hstate.kvm_vcpu: the vcpu this thread runs in this dispatch (null: none). */
  vcpu: Vcpu | null = null
  /** The subcore run whose master vcore is this thread's PACA kvm_hstate.kvm_vcore (null: released). */
  sub: SubRun | null = null
  /**
   * PACA kvm_hstate.ptid: the thread's number within that subcore (`cpu - vc->pcpu`), its bit in
   * the entry/exit map, what TIR reads and what msgsndp's tag names.
   */
  ptid = 0
  /** The threads of its (sub)core, by index: where msgsndp's tag lands (its run's subcore while split). */
  siblings: readonly HwThread[] = []
  /** The threads of its static (sub)core, which `siblings` returns to when a split run ends. */
  home: readonly HwThread[] = []
  entered = false
  exited = false
  open: Span | null = null
  /** `[track id]`, shared by every event that points at this thread. */
  readonly asTarget: string[]
  /** The trap of the exit whose state save is under way. */
  savingTrap: Trap = 'hdec'
  /** The trap of the HDEC interrupt or IPI on its way to this thread. */
  pokeTrap: Trap = 'hdec'
  /** The flow's callbacks for this thread, made once and reused. */
  readonly on: ThreadCallbacks = {
    switchedBack: null,
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
  switchedBack: Callback
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
  finish: Callback
  rerun: Callback
  wakeRunner: Callback
  resume: Callback
}

/** A (sub)core: the threads KVM runs one vcore on (`threads_per_subcore`). */
export class Unit {
  busy: Vcore | null = null
  /** The vcores preempted on this (sub)core's thread 0, the CPU's preempted_vcores list (ec257165). */
  readonly preempted: Vcore[] = []
  constructor(
    readonly core: number,
    readonly subcore: number,
    readonly threads: HwThread[],
  ) {
    for (const t of threads) {
      t.siblings = threads
      t.home = threads
    }
  }
}

/**
 * One kvmppc_run_core: the (sub)core it runs on, the runner's (master) vcore, and its subcores:
 * one, or up to four when the run co-schedules vcores (b4deba5c). Made when the run starts and
 * dropped when it ends, so nothing here is ever null and nothing stale survives into the next run.
 */
export class CoreRun {
  /** The host timer interrupt fired while this run was past __kvmppc_vcore_entry. */
  hdecExpired = false
  /** The vcpus started in this run (placed and latecomers), whose exits the host handles. */
  readonly started: Vcpu[] = []
  /** The run's threads were released to the host already (a preempted runner). */
  threadsReleased = false
  /** Subcores whose thread 0 has switched the MMU back. */
  subcoresOut = 0
  readonly subs: SubRun[] = []

  constructor(
    readonly unit: Unit,
    readonly master: Vcore,
    /** 1, or 2 or 4 when POWER8 dynamic micro-threading splits the core for this run. */
    readonly split: 1 | 2 | 4,
  ) {}

  get thread0(): HwThread {
    return this.unit.threads[0] as HwThread
  }

  /** Every vcore of the run: each subcore's master, then those piggybacked on it. */
  vcores(): Vcore[] {
    const out: Vcore[] = []
    for (const sub of this.subs) for (const vc of sub.vcores) out.push(vc)
    return out
  }
}

/**
 * One subcore of a run: the state kvmppc_run_core resets for its master vcore (init_master_vcore,
 * init_vcore_to_run): the entry and exit counts (e0b7ec05) or the entry/exit map (2015), the napping
 * threads, in_guest. A run that does not co-schedule has one, spanning the (sub)core. Thread bits
 * are PACA ptids, thread numbers within the subcore.
 */
export class SubRun {
  entryMap = 0
  exitMap = 0
  /** VCORE_EXIT_REQ: another subcore's first exiter asked this one out (b4deba5c). */
  exitReq = false
  nappingThreads = 0
  inGuest = false
  nWoken = 0
  napCount = 0
  /** The vcores running here, the master first (its list in core_info). */
  readonly vcores: Vcore[] = []
  /** The threads kvmppc_start_thread set up, in the order it did (the IPIs go in this order). */
  readonly startOrder: HwThread[] = []

  constructor(
    readonly run: CoreRun,
    /** KVM's subcore number in the run (0 when the run does not split). */
    readonly index: number,
    /** The physical threads of the subcore, in order; threads[0] switches the MMU. */
    readonly threads: HwThread[],
    readonly facts: SubcoreFacts,
  ) {}

  get master(): Vcore {
    return this.vcores[0] as Vcore
  }

  get thread0(): HwThread {
    return this.threads[0] as HwThread
  }

  /** VCORE_IS_EXITING: an exit bit is set, or EXIT_REQ (which `>> 8` counts as one). */
  get exiting(): boolean {
    return this.exitMap !== 0 || this.exitReq
  }

  get entryCount(): number {
    return popcount(this.entryMap)
  }
}

export function popcount(x: number): number {
  let n = 0
  for (let v = x; v !== 0; v &= v - 1) n++
  return n
}

/**
 * What the checks need from one subcore's entry into the guest, shared by the dispatch records of
 * every vcore running in it (a piggybacked vcore rides its master's MMU switch and exit).
 */
export interface SubcoreFacts {
  /** The subcore's master vcore. */
  vcore: number
  mmuInEnd: number | null
  mmuOutStart: number | null
  mmuOutBy: number | null
  mmuInBy: number | null
  /** Thread 0 of the subcore had no vcpu of its own. */
  noVcpuThread0: boolean
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
}

/** What the checks need from one dispatch, beside the fixed `details.dispatches` entry. */
export interface DispatchRecord extends Dispatch {
  end: number | null
  /** The subcore's entry and exit, shared with the vcores that ran in the same subcore. */
  facts: SubcoreFacts
  /** Host CPU of the vcore's first thread (`pvc->pcpu`) and the threads it may use from there. */
  basePcpu: number
  span: number
  /** The first thread (index in the (sub)core) and size of the subcore it ran in. */
  subFirst: number
  subSize: number
  /** Lowest and highest host CPU any vcpu of this dispatch was started on. */
  minCpu: number
  maxCpu: number
  /** Latecomers started into this dispatch: which vcpu on which thread. */
  joined: { thread: number; vcpu: number }[]
  /** Started vcpus whose physical thread differs from the guest's idea of their thread. */
  offThread: { vcpu: number; guestThread: number; thread: number }[]
  /**
   * vcpus of a piggybacked 1-thread vcore started off thread 0 of the subcore: off their virtual
   * thread too, which can_piggyback allows on POWER8 because such a guest has no sibling to
   * doorbell (its TIR read is off; ec257165).
   */
  piggyOffThread: { vcpu: number; thread: number }[]
  /** vcpus the run could not start: their thread is outside the (sub)core or taken (`pcpu + ptid`). */
  notStarted: { vcpu: number; thread: number; why: string }[]
}
