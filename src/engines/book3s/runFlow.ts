/**
 * The run flow of KVM Book3S HV as events on the simulation kernel: kvmppc_run_vcpu, kvmppc_run_core
 * and the real-mode entry and exit of book3s_hv_rmhandlers.S, in the form of the scenario's
 * `kvm.kernel` (src/designs/book3sKernels) and design (src/designs/book3s):
 * - e0b7ec05 "Align physical and virtual CPU thread numbers" and the 2013 first-come placement
 *   before it (book3s_hv.c @4b8473c9): entry and exit counts, hdec_soon, kvm_resched;
 * - the 2015 code (read @c56dadf3 and in later copies): the entry/exit map, kvmhv_commence_exit,
 *   kvmppc_ipi_thread, VCORE_PREEMPT; with ec257165 and b4deba5c, vcores preempted on a CPU run
 *   along with its next runner (piggybacked, or in a subcore of a dynamically split POWER8 core).
 *
 * Invariants the model keeps (and the checks verify on the record):
 * 1. Thread 0 of each (sub)core of a run switches the MMU in before any thread loads guest state,
 *    whether or not it has a vcpu (e0b7ec05); with no vcpu it naps as NAPPING_NOVCPU.
 * 2. A subcore's entries grow only while no thread has begun to exit (and, split, no other subcore
 *    has asked it out); a later secondary takes `secondary_too_late` and never enters.
 * 3. Every exiting thread saves its guest state before it sets its exit bit; thread 0 switches the
 *    MMU back only when every thread that entered has exited.
 * 4. The first exiter pulls the others out: e0b7ec05 writes HDEC = 0 (unless its trap is HDEC) and
 *    IPIs the napping threads; from 2015 it IPIs every thread that entered but itself, none when
 *    its trap is HDEC, and in a split core sets VCORE_EXIT_REQ on the other subcores and IPIs them.
 * 5. H_CEDE naps unless every entered thread would then be napping; the last one takes the vcore
 *    out (`kvm_cede_exit`), and with every runnable vcpu ceded the runner sleeps
 *    (`kvmppc_vcore_blocked`).
 * 6. The host shares its CPUs (timing.ts): HDEC holds the host's decrementer, so at each host timer
 *    tick every run past __kvmppc_vcore_entry leaves the guest; a runner holds its (sub)core's
 *    thread 0 until it stops, sleeps, or, marked need_resched by the tick while another runner
 *    waits, yields (in kvm_resched with the vcore EXITING, or from 2015 as VCORE_PREEMPT at the top
 *    of its loop). Waiting runners get (sub)cores first come, first served.
 */
import type {
  CedeEvent,
  CoscheduleEvent,
  KvmRunBusyEvent,
  ThreadIpiEvent,
  VcorePreemptedEvent,
  VcoreWaitEvent,
} from '../../shared/result'
import type { Book3sDesignSpec } from '../../designs/book3s'
import type { Book3sKernelSpec } from '../../designs/book3sKernels'
import type { Processor } from '../../shared/scenario/book3sScenario'
import type { Simulation } from '../kernel'
import { collectPiggybacks, planSplit, type Collected, type CoscheduleSettings } from './coschedule'
import { DBELL_SERVER_RB } from './doorbell'
import type { Recorder } from './recorder'
import {
  CoreRun,
  SubRun,
  popcount,
  type DispatchRecord,
  type HwThread,
  type SubcoreFacts,
  type Trap,
  type Unit,
  type Vcore,
  type Vcpu,
} from './state'
import { DURATION, HDEC_SOON } from './timing'

export { popcount }

export type Action = () => void

/** Within a tick, the hardware's own events run before the workload's steps. */
export const PRIORITY = { hardware: 0, step: 1 } as const

export const SOURCE = {
  tooLate: 'secondary_too_late in kvmppc_hv_entry (book3s_hv_rmhandlers.S @e0b7ec05)',
  cede: 'kvmppc_h_cede (book3s_hv_rmhandlers.S @e0b7ec05)',
  exit: 'hdec_soon (book3s_hv_rmhandlers.S @e0b7ec05)',
  hdec: 'HDEC = the host decrementer at __kvmppc_vcore_entry (book3s_hv_interrupts.S); hdec_soon IPIs the nappers (book3s_hv_rmhandlers.S @e0b7ec05)',
  commenceExit:
    'kvmhv_commence_exit (book3s_hv_builtin.c, 2015): the first exiter IPIs every thread that entered but itself, none when its trap is HDEC; IPIed threads exit with H_DOORBELL (0xe80, msgsnd) or EXTERNAL (0x500, XICS), kvmppc_interrupt_hv',
  exitReq:
    'kvmhv_commence_exit (book3s_hv_builtin.c, b4deba5c): in a split core every other subcore gets VCORE_EXIT_REQ and an IPI to each thread that entered, whatever the trap',
  decWake:
    'kvmppc_h_cede sets DEC to the smaller of DEC and HDEC before napping, kvmppc_primary_no_guest copies HDEC into DEC (book3s_hv_rmhandlers.S, 2015): nappers wake by their decrementer at the host tick; a ceded thread re-enters and takes HDEC, thread 0 with no vcpu exits with trap 0',
  ipiThread:
    'kvmppc_start_thread → kvmppc_ipi_thread (book3s_hv.c @c56dadf3): msgsnd RB = PPC_DBELL_TYPE(PPC_DBELL_SERVER) | cpu_thread_in_core(cpu) within a POWER8 core; xics_wake_cpu otherwise',
  splitNap:
    'kvmppc_run_core (b4deba5c): when splitting, the inactive threads are IPIed so they reach the nap in kvm_do_nap, which speeds the unsplit',
  preempt:
    'kvm_resched after kvmppc_run_core sets the vcore EXITING (book3s_hv.c @e0b7ec05, @4b8473c9); need_resched from CFS check_preempt_tick at the host tick (model slice, timing.ts)',
  vcorePreempt:
    'kvmppc_run_vcpu: need_resched() at the top of the loop → VCORE_PREEMPT and cond_resched_lock (book3s_hv.c @c56dadf3); kvmppc_vcore_preempt puts a vcore with fewer threads than a subcore on this CPU’s preempted_vcores (ec257165); need_resched from CFS check_preempt_tick at the host tick (model slice, timing.ts)',
  coschedule:
    'kvmppc_run_core → collect_piggybacks, can_piggyback (book3s_hv.c, ec257165; b4deba5c: can_dynamic_split, subcore_config_ok, HID0 split, subcore_thread_map {0, 4, 2, 6})',
  ebusy:
    'kvmppc_run_core: threads_per_core > 1 and !on_primary_thread() → every runnable vcpu gets -EBUSY (book3s_hv.c, before and @e0b7ec05; cpu_thread_in_subcore and vc->num_threads > threads_per_subcore @c56dadf3)',
  wait: 'model: every (sub)core thread 0 is held by another runner; the host scheduler runs waiting runners first come, first served',
} as const

export interface FlowConfig {
  design: Book3sDesignSpec
  kernel: Book3sKernelSpec
  processor: Processor
  /** Model ticks between host timer interrupts (1 / HZ). */
  hostTick: number
  /** How long a runner keeps its host CPU while another waits, before the tick preempts it. */
  slice: number
  /** The run's last tick: no host tick is scheduled past it. */
  until: number
  /**
   * What collect_piggybacks may take, or null when kvmppc_run_core runs the runner's vcore alone
   * (a kernel before ec257165, or a design with target_smt_mode 1).
   */
  cosched: CoscheduleSettings | null
  /** threads_per_vcore (`controlled_threads`): a vcore with fewer goes on the preempted list. */
  controlledThreads: number
  /** A vcpu entering KVM_RUN joins a PIGGYBACK vcore at once (false: it waits, the trylock of c0093f1a's message). */
  piggybackLatecomers: boolean
}

export class RunFlow {
  /** Vcores whose runner waits for a free (sub)core, first come first served (a model choice). */
  private readonly waiting: Vcore[] = []
  private tickScheduled = false
  private readonly tickCb: Action = () => this.onHostTick()
  /** Called when a vcpu with deferred steps enters the guest (steps.ts runs them). */
  onGuestEntry: ((v: Vcpu) => void) | null = null
  /** The 2015 exit path (entry/exit map, kvmhv_commence_exit, VCORE_PREEMPT). */
  private readonly modern: boolean

  constructor(
    private readonly sim: Simulation<Action>,
    private readonly rec: Recorder,
    private readonly units: readonly Unit[],
    private readonly cfg: FlowConfig,
  ) {
    this.modern = cfg.kernel.exitSync === 'commence-exit'
  }

  private get now(): number {
    return this.sim.now
  }

  private later(delay: number, action: Action): void {
    this.sim.after(delay, PRIORITY.hardware, action)
  }

  // ---------------------------------------------------------------------------------------------
  // kvmppc_run_vcpu, kvmppc_vcore_blocked

  /** The vcpu's task enters KVM_RUN. Returns why nothing happened, or null. */
  enterKvmRun(v: Vcpu): string | null {
    if (v.runState !== 'NOTREADY') return 'the vcpu is already in KVM_RUN'
    const vc = v.vcore
    v.runState = 'RUNNABLE'
    if (vc.state === 'STARTING') {
      // The runner holds vc->lock from STARTING until RUNNING: this task gets it then (below).
      vc.lockWaiters.push(v)
      return null
    }
    vc.runnable.push(v)
    const sub = vc.sub
    const joinable =
      vc.state === 'RUNNING' || (vc.state === 'PIGGYBACK' && this.cfg.piggybackLatecomers)
    if (joinable && sub !== null && !sub.exiting) this.latecomer(sub, v)
    else if (vc.state === 'SLEEPING') this.wakeRunner(vc)
    else if (vc.state === 'PREEMPT' && vc.runner === null && !vc.queued) {
      // kvmppc_run_vcpu: a PREEMPT vcore with no runner is ended, and this task runs it.
      this.endPreempt(vc)
      vc.runner = v
      this.runnerLoop(vc)
    } else if (vc.state === 'INACTIVE' && vc.runner === null && !vc.queued) {
      vc.runner = v
      this.runnerLoop(vc)
    }
    // Otherwise it waits in kvmppc_wait_for_exec and joins the next kvmppc_run_core.
    return null
  }

  /** One turn of the runner's loop in kvmppc_run_vcpu with the vcore INACTIVE. */
  runnerLoop(vc: Vcore): void {
    if (vc.state !== 'INACTIVE') return
    for (const v of vc.runnable) {
      // A vcpu with a pending exception has its ceded flag cleared.
      if (v.pending) {
        v.ceded = false
        v.pending = false
      }
    }
    if (vc.runnable.length === 0) {
      vc.runner = null
      this.releaseHost(vc)
      return
    }
    if (!vc.runner || vc.runner.runState !== 'RUNNABLE') vc.runner = vc.runnable[0] as Vcpu
    let ceded = 0
    for (const v of vc.runnable) if (v.ceded) ceded++
    if (ceded === vc.runnable.length) {
      // kvmppc_vcore_blocked: the runner sleeps in schedule(), giving up its host CPU.
      this.rec.vcoreState(vc, 'SLEEPING', this.now)
      this.releaseHost(vc)
    } else if (this.cfg.kernel.preemptAt === 'vcore-preempt' && vc.needResched) {
      vc.needResched = false
      if (this.waiting.length > 0 && vc.held !== null) this.vcorePreempt(vc, vc.held)
      else this.runCore(vc)
    } else this.runCore(vc)
  }

  /** A kick of a ceded vcpu wakes the runner sleeping on vc->wq. */
  wakeRunner(vc: Vcore): void {
    this.later(
      DURATION.wakeRunner,
      (vc.on.wakeRunner ??= () => {
        if (vc.state !== 'SLEEPING') return
        this.rec.vcoreState(vc, 'INACTIVE', this.now)
        this.runnerLoop(vc)
      }),
    )
  }

  // ---------------------------------------------------------------------------------------------
  // kvmppc_run_core, kvmppc_start_thread

  private acquire(vc: Vcore): Unit | null {
    if (vc.pinned) return vc.pinned.busy === null ? vc.pinned : null
    if (vc.lastUnit && vc.lastUnit.busy === null) return vc.lastUnit
    for (const u of this.units) if (u.busy === null) return u
    return null
  }

  private runCore(vc: Vcore): void {
    if (this.refuseOffPrimary(vc)) return
    if (vc.held !== null && vc.pinned !== null && vc.held !== vc.pinned) this.releaseHost(vc)
    let unit = vc.held
    if (!unit) {
      unit = this.acquire(vc)
      if (!unit) {
        if (!vc.queued) this.queue(vc)
        return
      }
      unit.busy = vc
      vc.held = unit
      vc.heldSince = this.now
    }
    vc.queued = false
    this.rec.vcoreState(vc, 'STARTING', this.now)
    this.ensureTick()
    const r = this.buildRun(vc, unit)
    vc.run = r
    this.wakeThreads(r)
    this.later(
      DURATION.startCore,
      (vc.on.start ??= () => {
        const now = runOfVcore(vc)
        this.rec.vcoreState(vc, 'RUNNING', this.now)
        // The runner's own thread enters; the others were IPIed by kvmppc_start_thread.
        const sub0 = now.subs[0] as SubRun
        this.threadEnter(sub0, now.thread0)
        // vcpu tasks that waited for the lock during STARTING now find the vcore RUNNING.
        for (const w of vc.lockWaiters.splice(0)) {
          vc.runnable.push(w)
          this.latecomer(sub0, w)
        }
      }),
    )
  }

  /**
   * on_primary_thread(): the runner's task must be on thread 0 of its (sub)core, whose other
   * threads are offline (the model keeps them offline, as KVM requires). A task the workload put on
   * another CPU (`hostCpu`) fails: every runnable vcpu's KVM_RUN returns -EBUSY.
   */
  private refuseOffPrimary(vc: Vcore): boolean {
    const runner = vc.runner
    const cpu = runner === null ? null : runner.hostCpu
    const unit = cpu === null ? null : this.unitOfCpu(cpu)
    vc.pinned = unit
    if (runner === null || cpu === null || unit === null || this.cfg.controlledThreads <= 1) {
      return false
    }
    const index = unit.threads.findIndex((t) => t.cpu === cpu)
    if (index === 0) return false
    const vcpus = vc.runnable.map((v) => v.id)
    for (const v of vc.runnable) {
      v.runState = 'NOTREADY'
      v.ceded = false
      v.prodded = false
    }
    vc.runnable = []
    vc.runner = null
    vc.pinned = null
    const e: KvmRunBusyEvent = {
      kind: 'kvm-run-ebusy',
      at: this.now,
      vcore: vc.id,
      runner: runner.id,
      hostCpu: cpu,
      threadInSubcore: index,
      vcpus,
      errno: 'EBUSY',
      track: vc.track.id,
      toTracks: [(unit.threads[index] as HwThread).track.id],
      source: SOURCE.ebusy,
      confidence: 'source',
    }
    this.rec.event(e)
    this.releaseHost(vc)
    return true
  }

  /** The (sub)core a host CPU is a thread of, or null. */
  unitOfCpu(cpu: number): Unit | null {
    for (const u of this.units) {
      const first = (u.threads[0] as HwThread).cpu
      if (cpu >= first && cpu < first + u.threads.length) return u
    }
    return null
  }

  /**
   * kvmppc_run_core up to the thread starts: which vcores run (collect_piggybacks), the split, the
   * subcores, each vcore's vcpus on `pvc->pcpu + ptid` and the dispatch records.
   */
  private buildRun(vc: Vcore, unit: Unit): CoreRun {
    const cs = this.cfg.cosched
    const picked: { ci: { subcores: Vcore[][] }; looked: Collected<Vcore>[] } =
      cs !== null && this.cfg.kernel.coschedule
        ? collectPiggybacks(cs, vc, unit.preempted)
        : { ci: { subcores: [[vc]] }, looked: [] }
    for (const l of picked.looked) {
      if (l.outcome === 'dropped') this.dropFromList(l.vcore)
      else if (l.outcome !== 'left') this.takePiggyback(l.vcore)
    }
    const subcores = picked.ci.subcores
    const plan = planSplit(
      this.cfg.processor,
      subcores.length,
      cs?.dynamicMtModes ?? 0,
      unit.threads.length,
    )
    const r = new CoreRun(unit, vc, plan.split)
    const coscheduled = subcores.length > 1 || (subcores[0] as Vcore[]).length > 1
    for (const th of unit.threads) {
      th.entered = false
      th.exited = false
    }
    subcores.forEach((list, k) => {
      const first = plan.firstThread[k] as number
      const threads =
        subcores.length === 1 ? unit.threads : unit.threads.slice(first, first + plan.subcoreSize)
      const sub = new SubRun(r, k, threads, newFacts((list[0] as Vcore).id))
      r.subs.push(sub)
      for (const pvc of list) sub.vcores.push(pvc)
      this.placeSubcore(r, sub, coscheduled)
    })
    if (subcores.length > 1) {
      for (const sub of r.subs)
        for (const pvc of sub.vcores) if (pvc.record) pvc.record.kvmSubcore = sub.index
    }
    if (coscheduled) this.recordCoschedule(r, picked.looked)
    return r
  }

  /** A vcore on the CPU's list with nothing runnable leaves it (collect_piggybacks). */
  private dropFromList(pvc: Vcore): void {
    this.unlist(pvc)
    if (pvc.runner === null && pvc.state === 'PREEMPT')
      this.rec.vcoreState(pvc, 'INACTIVE', this.now)
  }

  /** collect_piggybacks took `pvc`: off the list, VCORE_PIGGYBACK until the run ends. */
  private takePiggyback(pvc: Vcore): void {
    this.unlist(pvc)
    this.rec.vcoreState(pvc, 'PIGGYBACK', this.now)
  }

  /**
   * The vcores of one subcore onto its threads: each from `thr` (`pvc->pcpu = pcpu + thr`, then
   * `thr += num_threads`), its vcpus on `pvc->pcpu + ptid` as the design places them; thread 0 of
   * the subcore is set up whether or not it has a vcpu (kvmppc_start_thread(NULL, vc)).
   */
  private placeSubcore(r: CoreRun, sub: SubRun, coscheduled: boolean): void {
    const design = this.cfg.design
    let thr = 0
    for (const pvc of sub.vcores) {
      pvc.run = r
      pvc.sub = sub
      pvc.base = thr
      const placed: [Vcpu, HwThread][] = []
      const notStarted: DispatchRecord['notStarted'] = []
      for (const [v, i] of design.placeThreads(pvc.runnable)) {
        const th = sub.threads[thr + i]
        if (!th || th.vcpu !== null) {
          const why = th ? `thread taken by vcpu ${th.vcpu?.id}` : 'outside the subcore'
          notStarted.push({ vcpu: v.id, thread: thr + i, why })
          continue
        }
        if (!design.fixedThread) v.dispatchPtid = i
        placed.push([v, th])
      }
      const d = this.dispatchRecord(pvc, sub, placed, coscheduled)
      d.notStarted = notStarted
      this.rec.dispatches.push(d)
      pvc.record = d
      for (const [v, th] of placed) {
        this.startVcpu(sub, v, th)
        sub.startOrder.push(th)
      }
      // kvmppc_start_thread(NULL, pvc) right after the master's vcpus when none is on thread 0.
      if (pvc === sub.master && sub.thread0.vcpu === null) sub.startOrder.push(sub.thread0)
      thr += pvc.vcpus.length
    }
    for (let i = 0; i < sub.threads.length; i++) {
      const th = sub.threads[i] as HwThread
      th.siblings = sub.threads
      th.ptid = i
    }
    sub.thread0.sub = sub
    sub.facts.noVcpuThread0 = sub.thread0.vcpu === null
  }

  /** kvmppc_start_thread's PACA stores: the thread runs `v` in subcore `sub`. */
  private startVcpu(sub: SubRun, v: Vcpu, th: HwThread): void {
    th.vcpu = v
    th.sub = sub
    v.thread = th
    v.lastThread = th
    v.trap = null
    sub.run.started.push(v)
  }

  /**
   * start_thread IPIs every thread it starts but the runner's own (n_woken counts them); from 2015
   * through kvmppc_ipi_thread, whose msgsnd RB the event records, and in a split core the idle
   * threads too, so they nap.
   */
  private wakeThreads(r: CoreRun): void {
    const t0 = r.thread0
    const woken: HwThread[] = []
    for (const sub of r.subs) {
      for (const th of sub.startOrder) {
        if (th === t0) continue
        sub.nWoken++
        woken.push(th)
        this.later(DURATION.startCore + DURATION.ipiWake, this.enterCb(th))
      }
    }
    if (!this.cfg.kernel.msgsndWake) return
    if (woken.length > 0) this.threadIpi(r, 'start', woken)
    if (r.split > 1) {
      const idle = r.unit.threads.filter((th) => th !== t0 && th.sub === null)
      if (idle.length > 0) this.threadIpi(r, 'split-nap', idle)
    }
  }

  /** A `thread-ipi` event: kvmppc_ipi_thread to each thread, msgsnd within a POWER8 core. */
  private threadIpi(r: CoreRun, why: ThreadIpiEvent['why'], threads: HwThread[]): void {
    const msgsnd = this.cfg.processor !== 'POWER7'
    const e: ThreadIpiEvent = {
      kind: 'thread-ipi',
      at: this.now,
      vcore: r.master.id,
      why,
      threads: threads.map((t) => t.index),
      cpus: threads.map((t) => t.cpu),
      method: msgsnd ? 'msgsnd' : 'xics',
      rb: msgsnd ? threads.map((t) => msgsndRb(t, this.cfg.processor)) : null,
      track: r.thread0.track.id,
      toTracks: threads.map((t) => t.track.id),
      source: why === 'split-nap' ? SOURCE.splitNap : SOURCE.ipiThread,
      confidence: 'source',
    }
    this.rec.event(e)
  }

  /** The `coschedule` event: which vcores run where in this run, and what stayed on the list. */
  private recordCoschedule(r: CoreRun, looked: readonly { vcore: Vcore; outcome: string }[]): void {
    const t0 = r.thread0
    const others = r.vcores().slice(1)
    const e: CoscheduleEvent = {
      kind: 'coschedule',
      at: this.now,
      vcore: r.master.id,
      core: r.unit.core,
      pcpu: t0.cpu,
      split: r.split,
      subcores: r.subs.map((s) => ({
        subcore: s.index,
        thread: s.thread0.index,
        vcores: s.vcores.map((v) => v.id),
      })),
      left: looked.filter((l) => l.outcome === 'left').map((l) => l.vcore.id),
      dropped: looked.filter((l) => l.outcome === 'dropped').map((l) => l.vcore.id),
      track: r.master.track.id,
      toTracks: others.map((v) => v.track.id),
      source: SOURCE.coschedule,
      confidence: 'source',
    }
    this.rec.event(e)
  }

  /** The record `details.dispatches[]` and the checks read, as the dispatch starts. */
  private dispatchRecord(
    vc: Vcore,
    sub: SubRun,
    placed: [Vcpu, HwThread][],
    coscheduled: boolean,
  ): DispatchRecord {
    const r = sub.run
    const t0 = sub.thread0
    const base = sub.threads[vc.base] ?? t0
    const isSubMaster = sub.master === vc
    const shown = coscheduled
      ? sub.threads.filter((th) => placed.some(([, t]) => t === th) || (isSubMaster && th === t0))
      : r.unit.threads
    const d: DispatchRecord = {
      at: this.now,
      vcore: vc.id,
      pcpu: t0.cpu,
      threads: shown.map((th) => {
        const p = placed.find(([, t]) => t === th)
        return {
          thread: th.index,
          vcpu: p ? p[0].id : null,
          role: p ? 'guest' : th === t0 ? 'no-vcpu-nap' : 'idle',
        }
      }),
      end: null,
      core: r.unit.core,
      subcore: r.unit.subcore,
      facts: sub.facts,
      basePcpu: base.cpu,
      span: coscheduled ? sub.threads.length - vc.base : r.unit.threads.length,
      subFirst: t0.index,
      subSize: sub.threads.length,
      minCpu: placed.reduce((m, [, th]) => Math.min(m, th.cpu), base.cpu),
      maxCpu: placed.reduce((m, [, th]) => Math.max(m, th.cpu), base.cpu),
      joined: [],
      offThread: [],
      piggyOffThread: [],
      notStarted: [],
    }
    if (vc !== r.master) d.runBy = r.master.id
    if (r.split > 1) d.split = r.split as 2 | 4
    for (const [v, th] of placed) this.noteThread(d, v, sub.threads.indexOf(th))
    return d
  }

  /**
   * Whether `v` runs on the thread its guest believes it is (`thread`: its number in the subcore,
   * what TIR reads), as the checks read it.
   */
  private noteThread(d: DispatchRecord, v: Vcpu, thread: number): void {
    if (v.guestThread === thread) return
    if (d.runBy !== undefined && v.vcore.vcpus.length === 1) {
      d.piggyOffThread.push({ vcpu: v.id, thread })
      return
    }
    d.offThread.push({ vcpu: v.id, guestThread: v.guestThread, thread })
  }

  /** A vcpu entering KVM_RUN while its vcore runs and no thread has begun to exit. */
  private latecomer(sub: SubRun, v: Vcpu): void {
    const vc = v.vcore
    const d = vc.record
    const design = this.cfg.design
    const index = design.latecomerThread(v, vc.runnable.length)
    if (!design.fixedThread) v.dispatchPtid = index
    const th = sub.threads[vc.base + index]
    if (!th || th.vcpu !== null || d === null) return // it waits for the next run
    this.startVcpu(sub, v, th)
    d.joined.push({ thread: th.index, vcpu: v.id })
    d.minCpu = Math.min(d.minCpu, th.cpu)
    d.maxCpu = Math.max(d.maxCpu, th.cpu)
    this.noteThread(d, v, sub.threads.indexOf(th))
    const t0 = sub.thread0
    this.rec.event({
      kind: 'latecomer',
      at: this.now,
      vcore: vc.id,
      vcpu: v.id,
      thread: th.index,
      track: t0.track.id,
      toTracks: [th.track.id],
      source: this.cfg.design.latecomerSource,
      confidence: 'source',
    })
    if (th === t0) {
      // PACA[P].kvm_vcpu = vcpu and an IPI to P; n_woken is not incremented (test vector 8).
      if (th.phase === 'novcpu-nap') {
        this.later(DURATION.ipiWake, (th.on.latecomer ??= () => this.novcpuWake(th, 'latecomer')))
      }
      // Otherwise thread 0 is still switching the MMU and finds its vcpu when it looks.
      return
    }
    sub.nWoken++
    if (this.cfg.kernel.msgsndWake) this.threadIpi(sub.run, 'latecomer', [th])
    this.later(DURATION.ipiWake, this.enterCb(th))
  }

  // ---------------------------------------------------------------------------------------------
  // kvmppc_hv_entry

  private threadEnter(sub: SubRun, th: HwThread): void {
    const f = sub.facts
    if (sub.exiting) {
      this.rec.event({
        kind: 'secondary-too-late',
        at: this.now,
        vcore: sub.master.id,
        thread: th.index,
        vcpu: th.vcpu ? th.vcpu.id : null,
        track: th.track.id,
        source: SOURCE.tooLate,
        confidence: 'source',
      })
      this.rec.phase(th, 'too-late', this.now)
      return
    }
    sub.entryMap |= 1 << th.ptid
    th.entered = true
    f.lastEntryAt = this.now
    f.lastEntryThread = th.index
    if (th === sub.thread0) {
      this.rec.phase(th, 'mmu-in', this.now)
      this.later(
        DURATION.mmuSwitchIn,
        (th.on.mmuIn ??= () => {
          const s = subOf(th)
          s.inGuest = true
          s.facts.mmuInEnd = this.now
          s.facts.mmuInBy = th.ptid
          for (const t of s.threads) {
            if (t !== th && t.phase === 'wait-in-guest') this.afterInGuest(s, t)
          }
          this.afterInGuest(s, th)
        }),
      )
    } else if (sub.inGuest) this.afterInGuest(sub, th)
    else this.rec.phase(th, 'wait-in-guest', this.now, vcpuLabel(th.vcpu), vcpuRef(th.vcpu))
  }

  /** After in_guest: HDEC check, then the vcpu (or, for thread 0 with none, the no-guest nap). */
  private afterInGuest(sub: SubRun, th: HwThread): void {
    const v = th.vcpu
    if (!sub.exiting && (sub.run.hdecExpired || this.hdecSoon())) {
      // "Check if HDEC expires soon" (kvmppc_hv_entry): the host's timer is due, so no guest runs.
      if (v && v.trap === null) v.trap = 'hdec'
      this.countExit(sub, th, 'hdec')
      return
    }
    if (!v) {
      this.primaryNoGuest(sub, th)
      return
    }
    if (sub.exiting) {
      // The exit has begun: the exit path at once, with no guest state loaded.
      if (v.trap === null) v.trap = 'hdec'
      this.countExit(sub, th, 'hdec')
      return
    }
    this.loadState(sub, th, v)
  }

  private loadState(sub: SubRun, th: HwThread, v: Vcpu): void {
    const f = sub.facts
    if (f.firstLoadAt < 0) {
      f.firstLoadAt = this.now
      f.firstLoadVcpu = v.id
    }
    this.rec.phase(th, 'load-state', this.now, vcpuLabel(v), vcpuRef(v))
    this.later(DURATION.loadState, (th.on.loaded ??= () => this.enterGuest(th)))
  }

  private enterGuest(th: HwThread): void {
    const sub = subOf(th)
    const v = th.vcpu as Vcpu
    if (sub.exiting || sub.run.hdecExpired) {
      this.exitThread(th, 'hdec')
      return
    }
    if (v.pending) {
      v.ceded = false
      v.pending = false
    }
    if (v.ceded) {
      // Model: a ceded vcpu started again goes straight back to its H_CEDE nap.
      sub.nappingThreads |= 1 << th.ptid
      this.rec.phase(th, 'cede-nap', this.now, vcpuLabel(v), vcpuRef(v))
      return
    }
    this.rec.phase(th, 'guest', this.now, vcpuLabel(v), vcpuRef(v))
    if (v.deferred !== null) this.onGuestEntry?.(v)
  }

  /** kvmppc_primary_no_guest: thread 0 with no vcpu, "handled much like a ceded vcpu". */
  private primaryNoGuest(sub: SubRun, t0: HwThread): void {
    sub.nappingThreads |= 1 << t0.ptid
    if (sub.exiting) {
      this.countExit(sub, t0, this.modern ? 'none' : 'external')
      return
    }
    this.rec.phase(t0, 'novcpu-nap', this.now, 'no vcpu')
  }

  /** kvm_novcpu_wakeup: a latecomer with ptid 0 is run (kvmppc_got_guest); anything else exits. */
  private novcpuWake(t0: HwThread, why: 'latecomer' | 'exit-ipi' | 'dec'): void {
    if (t0.phase !== 'novcpu-nap') return
    const sub = subOf(t0)
    sub.nappingThreads &= ~(1 << t0.ptid)
    if (!sub.exiting && why === 'latecomer' && t0.vcpu) this.loadState(sub, t0, t0.vcpu)
    else this.countExit(sub, t0, why === 'dec' ? 'none' : t0.pokeTrap)
  }

  // ---------------------------------------------------------------------------------------------
  // In the guest: H_CEDE, wake-ups, exits

  /** H_CEDE from the vcpu. Returns why nothing happened, or null. */
  cede(v: Vcpu): string | null {
    const th = v.thread
    if (!th || th.phase !== 'guest') return 'the vcpu is not executing guest code'
    const sub = subOf(th)
    if (v.prodded) {
      v.prodded = false
      this.rec.event(cedeEvent(this.now, v, th, sub, 'cancelled-by-prod', sub.nappingThreads))
      return null
    }
    v.ceded = true
    const bit = 1 << th.ptid
    // Model: once a thread has begun to exit, HDEC is already 0 and its interrupt pending, so a
    // cede in that window leaves as an exit rather than a nap (the sources do not cover the race).
    if (sub.exiting || popcount(sub.nappingThreads | bit) >= sub.entryCount) {
      this.rec.event(cedeEvent(this.now, v, th, sub, 'exit-to-host', sub.nappingThreads | bit))
      this.exitThread(th, 'cede')
      return null
    }
    sub.nappingThreads |= bit
    this.rec.event(cedeEvent(this.now, v, th, sub, 'nap', sub.nappingThreads))
    this.rec.phase(th, 'cede-nap', this.now, vcpuLabel(v), vcpuRef(v))
    return null
  }

  /** A ceded vcpu is prodded or interrupted; a running one gets H_PROD. */
  wake(v: Vcpu): string | null {
    const th = v.thread
    if (th && th.phase === 'cede-nap') {
      this.later(DURATION.interrupt, (th.on.cedeWake ??= () => this.endCede(th, 'wake')))
      return null
    }
    if (v.ceded) {
      v.pending = true
      if (v.vcore.state === 'SLEEPING') this.wakeRunner(v.vcore)
      return null
    }
    if (th && th.phase === 'guest') {
      v.prodded = true
      return null
    }
    return 'the vcpu is neither ceded nor executing guest code'
  }

  /** kvm_end_cede: clear the napping bit; back to the guest unless the vcore is exiting. */
  private endCede(th: HwThread, why: 'wake' | 'exit-ipi' | 'dec'): void {
    if (th.phase !== 'cede-nap') return
    const sub = subOf(th)
    const v = th.vcpu as Vcpu
    sub.nappingThreads &= ~(1 << th.ptid)
    if (why === 'wake') v.ceded = false
    if (why === 'wake' && !sub.exiting) {
      this.rec.phase(th, 'guest', this.now, vcpuLabel(v), vcpuRef(v))
      if (v.deferred !== null) this.onGuestEntry?.(v)
    } else if (why === 'dec') {
      // Woken by DEC at the host tick: exits with trap 0 if the exit has begun, else re-enters the
      // guest and takes the pending HDEC (the model folds the instant in the guest away).
      this.exitThread(th, sub.exiting ? 'none' : 'hdec')
    } else this.exitThread(th, why === 'exit-ipi' ? th.pokeTrap : 'external')
  }

  /** The vcpu leaves the guest: save its state, then the exit accounting. */
  exitThread(th: HwThread, trap: Trap): void {
    const v = th.vcpu as Vcpu
    if (v.trap === null) v.trap = trap
    this.rec.phase(th, 'save-state', this.now, vcpuLabel(v), vcpuRef(v))
    th.savingTrap = trap
    this.later(
      DURATION.saveState,
      (th.on.saved ??= () => {
        const s = subOf(th)
        s.facts.lastSaveAt = this.now
        s.facts.lastSaveThread = th.index
        this.countExit(s, th, th.savingTrap)
      }),
    )
  }

  /** Bump the exit count (set the exit bit); the first exiter pulls every other thread out. */
  private countExit(sub: SubRun, th: HwThread, trap: Trap): void {
    const first = !sub.exiting
    sub.exitMap |= 1 << th.ptid
    th.exited = true
    this.rec.phase(th, 'wait-exit', this.now)
    if (first) {
      sub.facts.firstExit = this.now
      if (this.modern) this.commenceExit(sub, th, trap)
      else this.pokeAll(sub, th, trap)
    }
    this.maybeSwitchBack(sub)
  }

  /**
   * hdec_soon (e0b7ec05): the first exiter writes HDEC = 0 so every thread in the guest exits,
   * unless its own trap is HDEC (then the others take the same interrupt), and IPIs the napping
   * threads either way.
   */
  private pokeAll(sub: SubRun, from: HwThread, trap: Trap): void {
    const hdec: HwThread[] = []
    const ipi: HwThread[] = []
    for (const t of sub.threads) {
      if (t === from) continue
      if (t.phase === 'guest') {
        if (trap !== 'hdec') hdec.push(t)
      } else if (t.phase === 'cede-nap' || t.phase === 'novcpu-nap') ipi.push(t)
    }
    if (trap === 'hdec' && ipi.length === 0) return
    this.rec.event({
      kind: 'exit-sync',
      at: this.now,
      vcore: sub.master.id,
      thread: from.index,
      trap,
      hdec: hdec.map((t) => t.index),
      ipi: ipi.map((t) => t.index),
      track: from.track.id,
      toTracks: [...hdec, ...ipi].map((t) => t.track.id),
      source: trap === 'hdec' ? SOURCE.hdec : SOURCE.exit,
      confidence: 'source',
    })
    for (const t of hdec) this.poke(t, 'hdec', DURATION.interrupt)
    for (const t of ipi) this.poke(t, 'external', DURATION.ipiWake)
  }

  /**
   * kvmhv_commence_exit (2015): IPI every thread of the subcore that entered but the caller, unless
   * the trap is HDEC; in a split core, set VCORE_EXIT_REQ on each other subcore not yet exiting and
   * IPI every thread of it that entered, whatever the trap.
   */
  private commenceExit(sub: SubRun, from: HwThread, trap: Trap): void {
    const ipi: HwThread[] = []
    if (trap !== 'hdec') {
      for (const t of sub.threads) if (t !== from && sub.entryMap & (1 << t.ptid)) ipi.push(t)
    }
    const asked: SubRun[] = []
    for (const other of sub.run.subs) {
      if (other === sub || other.exiting) continue
      other.exitReq = true
      asked.push(other)
      for (const t of other.threads) if (other.entryMap & (1 << t.ptid)) ipi.push(t)
    }
    if (ipi.length === 0 && asked.length === 0) return
    const msgsnd = this.cfg.processor !== 'POWER7'
    this.rec.event({
      kind: 'exit-sync',
      at: this.now,
      vcore: sub.master.id,
      thread: from.index,
      trap,
      hdec: [],
      ipi: ipi.map((t) => t.index),
      method: msgsnd ? 'msgsnd' : 'xics',
      rb: msgsnd ? ipi.map((t) => msgsndRb(t, this.cfg.processor)) : undefined,
      exitReq: asked.length > 0 ? asked.map((s) => s.master.id) : undefined,
      track: from.track.id,
      toTracks: ipi.map((t) => t.track.id),
      source: asked.length > 0 ? `${SOURCE.commenceExit}; ${SOURCE.exitReq}` : SOURCE.commenceExit,
      confidence: 'source',
    })
    const via: Trap = msgsnd ? 'doorbell' : 'external'
    for (const t of ipi) this.poke(t, via, DURATION.ipiWake)
  }

  /** An HDEC interrupt or IPI reaches thread `t` after `delay` ticks. */
  private poke(t: HwThread, trap: Trap, delay: number): void {
    t.pokeTrap = trap
    this.later(delay, (t.on.poked ??= () => this.poked(t)))
  }

  private enterCb(th: HwThread): Action {
    return (th.on.enter ??= () => this.threadEnter(subOf(th), th))
  }

  /** A poked thread acts on the HDEC interrupt or the IPI in whatever state it is by then. */
  private poked(t: HwThread): void {
    if (t.phase === 'guest') this.exitThread(t, t.pokeTrap)
    else if (t.phase === 'cede-nap') this.endCede(t, 'exit-ipi')
    else if (t.phase === 'novcpu-nap') this.novcpuWake(t, 'exit-ipi')
  }

  private maybeSwitchBack(sub: SubRun): void {
    const t0 = sub.thread0
    if (!t0.exited || t0.phase !== 'wait-exit' || sub.exitMap !== sub.entryMap) return
    sub.facts.mmuOutStart = this.now
    sub.facts.mmuOutBy = t0.ptid
    this.rec.phase(t0, 'mmu-out', this.now)
    this.later(DURATION.mmuSwitchOut, (t0.on.switchedBack ??= () => this.switchedBack(subOf(t0))))
  }

  /** in_guest = 0 releases the secondaries, which nap again; the runner goes back to the host. */
  private switchedBack(sub: SubRun): void {
    sub.inGuest = false
    for (const t of sub.threads) {
      if (t !== sub.thread0 && (t.phase === 'wait-exit' || t.phase === 'too-late')) {
        this.rec.phase(t, 'host', this.now)
        sub.napCount++
      }
    }
    const r = sub.run
    r.subcoresOut++
    if (sub.index > 0) {
      // A split subcore's thread 0 naps in the host's offline loop (kvm_no_guest) like any secondary.
      this.rec.phase(sub.thread0, 'host', this.now)
      if (r.subcoresOut === r.subs.length) this.toHostExit(r)
      return
    }
    const vc = r.master
    this.rec.vcoreState(vc, 'EXITING', this.now)
    // kvm_resched (before 2015): a runner the tick marked need_resched yields here, the vcore EXITING.
    if (this.cfg.kernel.preemptAt === 'kvm-resched' && vc.needResched) {
      vc.needResched = false
      if (this.waiting.length > 0) {
        this.preempt(r)
        return
      }
    }
    this.rec.phase(r.thread0, 'host-exit', this.now)
    if (r.subcoresOut === r.subs.length) this.toHostExit(r)
  }

  /**
   * Thread 0 back in kvmppc_run_core: it waits for every secondary to nap (kvmppc_wait_for_nap),
   * unsplits the core, releases the threads and handles each vcore's exits.
   */
  private toHostExit(r: CoreRun): void {
    const vc = r.master
    this.later(DURATION.hostExit, (vc.on.finish ??= () => this.finishDispatch(vc)))
  }

  /** After __kvmppc_vcore_entry: handle each vcpu's exit, then run again or give up the core. */
  private finishDispatch(vc: Vcore): void {
    const r = runOfVcore(vc)
    if (!r.threadsReleased) this.releaseThreads(r)
    else if (vc.held) this.rec.phase(vc.held.threads[0] as HwThread, 'host', this.now)
    for (const pvc of r.vcores()) if (pvc !== vc) this.postGuestOther(r, pvc)
    this.handleExits(r, vc)
    this.rec.vcoreState(vc, 'INACTIVE', this.now)
    if (!vc.runner || vc.runner.runState !== 'RUNNABLE') vc.runner = vc.runnable[0] ?? null
    if (vc.runner) this.later(DURATION.rerun, (vc.on.rerun ??= () => this.runnerLoop(vc)))
    else this.releaseHost(vc)
  }

  /** post_guest_process for one vcore: RESUME_HOST vcpus leave KVM_RUN; the run's record ends. */
  private handleExits(r: CoreRun, vc: Vcore): void {
    for (const v of r.started) {
      if (v.vcore !== vc) continue
      if (v.trap === 'exit') {
        // RESUME_HOST: off the runnable list, back to userspace.
        v.runState = 'NOTREADY'
        v.ceded = false
        v.prodded = false
        vc.runnable.splice(vc.runnable.indexOf(v), 1)
      }
      v.trap = null
    }
    if (vc.record !== null) vc.record.end = this.now
    vc.record = null
    vc.run = null
    vc.sub = null
    vc.lastUnit = r.unit
  }

  /**
   * post_guest_process for a vcore the run took along (is_master false): with vcpus still running
   * it goes back on this CPU's list (kvmppc_vcore_preempt); else PREEMPT while its runner task
   * waits, INACTIVE otherwise; with runnable vcpus and no runner, one vcpu's task is woken.
   */
  private postGuestOther(r: CoreRun, pvc: Vcore): void {
    this.handleExits(r, pvc)
    let stillRunning = 0
    for (const v of pvc.runnable) if (!v.ceded) stillRunning++
    if (stillRunning > 0) this.listPreempted(pvc, r.unit)
    else if (pvc.runner !== null) this.rec.vcoreState(pvc, 'PREEMPT', this.now)
    else this.rec.vcoreState(pvc, 'INACTIVE', this.now)
    if (pvc.runnable.length > 0 && pvc.runner === null && !pvc.queued) {
      // "make sure there's a candidate runner awake": its task wants a host CPU.
      pvc.preempted = true
      this.queue(pvc)
    }
  }

  /** kvmppc_release_hwthread for every thread of the run: the physical threads are free. */
  private releaseThreads(r: CoreRun): void {
    for (const t of r.unit.threads) {
      if (t.vcpu) t.vcpu.thread = null
      t.vcpu = null
      t.sub = null
      t.ptid = t.index
      t.siblings = t.home
      t.entered = false
      t.exited = false
      this.rec.phase(t, 'host', this.now)
    }
    r.threadsReleased = true
  }

  // ---------------------------------------------------------------------------------------------
  // The host: its timer tick, and runner tasks sharing the (sub)cores' thread 0 (timing.ts)

  private queue(vc: Vcore): void {
    vc.queued = true
    vc.waitSince = this.now
    this.waiting.push(vc)
    if (vc.state !== 'PREEMPT')
      this.rec.vcoreState(vc, vc.preempted ? 'PREEMPTED' : 'WAITING', this.now)
    if (vc.preempted) return
    const e: VcoreWaitEvent = {
      kind: 'vcore-wait',
      at: this.now,
      vcore: vc.id,
      runner: vc.runner ? vc.runner.id : null,
      sliceTicks: this.cfg.slice,
      nextHostTick: this.nextTick(),
      track: vc.track.id,
      source: SOURCE.wait,
      confidence: 'model',
    }
    this.rec.event(e)
  }

  /** The runner gives up the host CPU it holds: the first waiting runner that may use it gets it. */
  private releaseHost(vc: Vcore): void {
    const unit = vc.held
    if (!unit) return
    vc.held = null
    unit.busy = null
    const i = this.waiting.findIndex((w) => w.pinned === null || w.pinned === unit)
    if (i < 0) return
    const next = this.waiting.splice(i, 1)[0] as Vcore
    next.queued = false
    next.waitTicks += this.now - next.waitSince
    unit.busy = next
    next.held = unit
    next.heldSince = this.now
    if (next.preempted) this.resume(next)
    else {
      this.rec.vcoreState(next, 'INACTIVE', this.now)
      this.runnerLoop(next)
    }
  }

  /** kvm_resched with need_resched set: the runner yields; the vcore stays EXITING meanwhile. */
  private preempt(r: CoreRun): void {
    const vc = r.master
    this.recordPreempted(vc, r.unit, undefined)
    this.releaseThreads(r)
    vc.preempted = true
    vc.preemptions++
    this.queue(vc)
    this.releaseHost(vc)
  }

  /**
   * need_resched at the top of kvmppc_run_vcpu's loop (2015): VCORE_PREEMPT, on this CPU's
   * preempted_vcores when the design co-schedules and the vcore has fewer threads than a subcore
   * (kvmppc_vcore_preempt, ec257165), and the runner yields in cond_resched_lock.
   */
  private vcorePreempt(vc: Vcore, unit: Unit): void {
    const listed = this.listPreempted(vc, unit)
    this.recordPreempted(vc, unit, listed)
    vc.preempted = true
    vc.preemptions++
    this.queue(vc)
    this.releaseHost(vc)
  }

  /** kvmppc_vcore_preempt: VCORE_PREEMPT, and on `unit`'s CPU list when it qualifies. */
  private listPreempted(vc: Vcore, unit: Unit): boolean {
    this.rec.vcoreState(vc, 'PREEMPT', this.now)
    const listed =
      this.cfg.cosched !== null &&
      this.cfg.kernel.coschedule &&
      vc.vcpus.length < this.cfg.controlledThreads
    if (listed && vc.listedOn === null) {
      unit.preempted.push(vc)
      vc.listedOn = unit
    }
    return listed
  }

  private unlist(vc: Vcore): void {
    const u = vc.listedOn
    if (u === null) return
    u.preempted.splice(u.preempted.indexOf(vc), 1)
    vc.listedOn = null
  }

  /** kvmppc_vcore_end_preempt: off the list, INACTIVE. */
  private endPreempt(vc: Vcore): void {
    this.unlist(vc)
    this.rec.vcoreState(vc, 'INACTIVE', this.now)
  }

  private recordPreempted(vc: Vcore, unit: Unit, listed: boolean | undefined): void {
    const by = this.waiting[0] as Vcore
    const e: VcorePreemptedEvent = {
      kind: 'vcore-preempted',
      at: this.now,
      vcore: vc.id,
      core: unit.core,
      subcore: unit.subcore,
      pcpu: (unit.threads[0] as HwThread).cpu,
      heldFor: this.now - vc.heldSince,
      by: by.id,
      listed,
      track: vc.track.id,
      toTracks: [by.track.id],
      source: listed === undefined ? SOURCE.preempt : SOURCE.vcorePreempt,
      confidence: 'model',
    }
    this.rec.event(e)
  }

  /**
   * The preempted runner's task has a host CPU again. Before 2015 it handles the exits it left and
   * runs on; from 2015 a vcore still PREEMPT is ended and run, and one another runner took along
   * (PIGGYBACK) leaves its task asleep in kvmppc_wait_for_exec, giving the CPU up.
   */
  private resume(vc: Vcore): void {
    vc.preempted = false
    if (vc.state === 'EXITING') {
      this.rec.vcoreState(vc, 'EXITING', this.now)
      this.rec.phase((vc.held as Unit).threads[0] as HwThread, 'host-exit', this.now)
      this.later(DURATION.hostExit, (vc.on.resume ??= () => this.finishDispatch(vc)))
      return
    }
    if (vc.state === 'PIGGYBACK') {
      vc.runner = null
      this.releaseHost(vc)
      return
    }
    if (vc.state === 'PREEMPT') this.endPreempt(vc)
    else this.rec.vcoreState(vc, 'INACTIVE', this.now)
    this.runnerLoop(vc)
  }

  private nextTick(): number {
    const p = this.cfg.hostTick
    return (Math.floor(this.now / p) + 1) * p
  }

  /** HDEC holds the time to the host's next timer interrupt: under 1 µs the guest is not entered. */
  private hdecSoon(): boolean {
    return this.nextTick() - this.now < HDEC_SOON
  }

  private ensureTick(): void {
    if (this.tickScheduled) return
    const at = this.nextTick()
    if (at > this.cfg.until) return
    this.tickScheduled = true
    this.sim.at(at, PRIORITY.hardware, this.tickCb)
  }

  /**
   * The host timer interrupt on every host CPU: a run past __kvmppc_vcore_entry takes the HDEC
   * interrupt on each thread in the guest (and, from 2015, its nappers wake by their decrementer);
   * CFS marks need_resched on runners past their slice, one for each runner waiting, those that
   * have held their CPU longest first.
   */
  private onHostTick(): void {
    this.tickScheduled = false
    let busy = 0
    let marked = 0
    for (const u of this.units) {
      const vc = u.busy
      if (!vc) continue
      busy++
      if (vc.needResched) marked++
      const r = vc.run
      if (r !== null && r.unit === u && vc.state === 'RUNNING' && !r.hdecExpired) {
        r.hdecExpired = true
        this.hdecAtTick(r)
      }
    }
    let want = this.waiting.length - marked
    if (want > 0) {
      const due: Vcore[] = []
      for (const u of this.units) {
        const vc = u.busy
        if (vc && !vc.needResched && this.now - vc.heldSince >= this.cfg.slice) due.push(vc)
      }
      due.sort((a, b) => a.heldSince - b.heldSince)
      for (const vc of due) {
        if (want-- <= 0) break
        vc.needResched = true
      }
    }
    if (busy > 0) this.ensureTick()
  }

  /** The tick's HDEC: threads in the guest exit; from 2015 the nappers wake by DEC as well. */
  private hdecAtTick(r: CoreRun): void {
    for (const t of r.unit.threads) {
      if (t.phase === 'guest') this.exitThread(t, 'hdec')
      else if (!this.modern) continue
      else if (t.phase === 'cede-nap') this.endCede(t, 'dec')
      else if (t.phase === 'novcpu-nap') this.novcpuWake(t, 'dec')
    }
  }

  /** What the model still waits on, for a run that hits its event bound. */
  describePending(): string {
    const busy = this.units.filter((u) => u.busy).length
    return `${busy} (sub)cores busy, ${this.waiting.length} vcores waiting for one`
  }
}

/**
 * msgsnd's RB to wake thread `t`: PPC_DBELL_TYPE(PPC_DBELL_SERVER) | cpu_thread_in_core(cpu) within
 * a POWER8 core (kvmppc_ipi_thread @c56dadf3); on POWER9 (ARCH_300) `| get_hard_smp_processor_id(cpu)`
 * (kvmhv_rm_send_ipi), which the model takes to be the host CPU number (a model choice).
 */
function msgsndRb(t: HwThread, processor: Processor): number {
  return (DBELL_SERVER_RB | (processor === 'POWER9' ? t.cpu : t.cpu % 8)) >>> 0
}

function newFacts(vcore: number): SubcoreFacts {
  return {
    vcore,
    mmuInEnd: null,
    mmuInBy: null,
    mmuOutStart: null,
    mmuOutBy: null,
    noVcpuThread0: false,
    firstLoadAt: -1,
    firstLoadVcpu: -1,
    lastSaveAt: -1,
    lastSaveThread: -1,
    firstExit: null,
    lastEntryAt: -1,
    lastEntryThread: -1,
  }
}

function cedeEvent(
  at: number,
  v: Vcpu,
  th: HwThread,
  sub: SubRun,
  outcome: CedeEvent['outcome'],
  nappingThreads: number,
): CedeEvent {
  return {
    kind: 'cede',
    at,
    vcpu: v.id,
    vcore: v.vcore.id,
    thread: th.index,
    outcome,
    nappingThreads,
    entryCount: sub.entryCount,
    track: th.track.id,
    source: SOURCE.cede,
    confidence: 'source',
  }
}

/**
 * The subcore run a thread is in when one of its callbacks fires. The flow schedules those
 * callbacks only inside a run, so a missing run is a bug in the model, reported as such.
 */
function subOf(th: HwThread): SubRun {
  if (th.sub === null) throw new Error(`book3s model invariant broken: ${th.track.id} is in no run`)
  return th.sub
}

function runOfVcore(vc: Vcore): CoreRun {
  if (vc.run === null) throw new Error(`book3s model invariant broken: ${vc.track.id} is in no run`)
  return vc.run
}

function vcpuLabel(v: Vcpu | null): string | undefined {
  return v ? v.label : undefined
}

function vcpuRef(v: Vcpu | null): string | undefined {
  return v ? v.ref : undefined
}
