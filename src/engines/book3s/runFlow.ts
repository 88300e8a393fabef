/**
 * The run flow of KVM Book3S HV at e0b7ec05 "Align physical and virtual CPU thread numbers", and the
 * 2013 first-come placement before it (book3s_hv.c @4b8473c9), as events on the simulation kernel.
 * The order of every step below is that of book3s_hv.c and book3s_hv_rmhandlers.S at e0b7ec05.
 *
 * Invariants the model keeps (and the checks verify on the record):
 * 1. Thread 0 of the (sub)core switches the MMU in before any thread loads guest state, whether or
 *    not it has a vcpu (e0b7ec05); with no vcpu it naps as NAPPING_NOVCPU.
 * 2. The entry count only grows while the exit count is zero; a later secondary takes
 *    `secondary_too_late` and never enters.
 * 3. Every exiting thread saves its guest state before it bumps the exit count; thread 0 switches
 *    the MMU back only when the exit count equals the entry count.
 * 4. The first exiter (unless its trap is HDEC) pokes HDEC so every thread in the guest exits, and
 *    IPIs the napping threads, which HDEC does not wake (after an HDEC interrupt too).
 * 5. H_CEDE naps unless every entered thread would then be napping; the last one takes the vcore
 *    out (`kvm_cede_exit`), and with every runnable vcpu ceded the runner sleeps
 *    (`kvmppc_vcore_blocked`).
 * 6. The host shares its CPUs (timing.ts): HDEC holds the host's decrementer, so at each host timer
 *    tick every dispatch past __kvmppc_vcore_entry takes an HDEC exit; a runner holds its
 *    (sub)core's thread 0 until it stops, sleeps, or, marked need_resched by the tick while another
 *    runner waits, yields in kvm_resched with the vcore EXITING. Waiting runners get (sub)cores
 *    first come, first served.
 */
import type { CedeEvent, VcorePreemptedEvent, VcoreWaitEvent } from '../../shared/result'
import type { Book3sDesignSpec } from '../../designs/book3s'
import type { Simulation } from '../kernel'
import type { Recorder } from './recorder'
import {
  CoreRun,
  type DispatchRecord,
  type HwThread,
  type Trap,
  type Unit,
  type Vcore,
  type Vcpu,
} from './state'
import { DURATION, HDEC_SOON } from './timing'

export type Action = () => void

/** Within a tick, the hardware's own events run before the workload's steps. */
export const PRIORITY = { hardware: 0, step: 1 } as const

export const SOURCE = {
  tooLate: 'secondary_too_late in kvmppc_hv_entry (book3s_hv_rmhandlers.S @e0b7ec05)',
  cede: 'kvmppc_h_cede (book3s_hv_rmhandlers.S @e0b7ec05)',
  exit: 'hdec_soon (book3s_hv_rmhandlers.S @e0b7ec05)',
  hdec: 'HDEC = the host decrementer at __kvmppc_vcore_entry (book3s_hv_interrupts.S); hdec_soon IPIs the nappers (book3s_hv_rmhandlers.S @e0b7ec05)',
  preempt:
    'kvm_resched after kvmppc_run_core sets the vcore EXITING (book3s_hv.c @e0b7ec05, @4b8473c9); need_resched from CFS check_preempt_tick at the host tick (model slice, timing.ts)',
  wait: 'model: every (sub)core thread 0 is held by another runner; the host scheduler runs waiting runners first come, first served',
} as const

export interface FlowConfig {
  design: Book3sDesignSpec
  /** Model ticks between host timer interrupts (1 / HZ). */
  hostTick: number
  /** How long a runner keeps its host CPU while another waits, before the tick preempts it. */
  slice: number
  /** The run's last tick: no host tick is scheduled past it. */
  until: number
}

export class RunFlow {
  /** Vcores whose runner waits for a free (sub)core, first come first served (a model choice). */
  private readonly waiting: Vcore[] = []
  private tickScheduled = false
  private readonly tickCb: Action = () => this.onHostTick()
  /** Called when a vcpu with deferred steps enters the guest (steps.ts runs them). */
  onGuestEntry: ((v: Vcpu) => void) | null = null

  constructor(
    private readonly sim: Simulation<Action>,
    private readonly rec: Recorder,
    private readonly units: readonly Unit[],
    private readonly cfg: FlowConfig,
  ) {}

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
    if (vc.state === 'RUNNING' && vc.run !== null && vc.run.exitCount === 0)
      this.latecomer(vc.run, v)
    else if (vc.state === 'SLEEPING') this.wakeRunner(vc)
    else if (vc.state === 'INACTIVE' && vc.runner === null && !vc.queued) {
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
    if (vc.lastUnit && vc.lastUnit.busy === null) return vc.lastUnit
    for (const u of this.units) if (u.busy === null) return u
    return null
  }

  private runCore(vc: Vcore): void {
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

    // Which vcpu goes on which physical thread: the point of e0b7ec05.
    const design = this.cfg.design
    const placed: [Vcpu, HwThread][] = design.placeThreads(vc.runnable).map(([v, i]) => {
      if (!design.fixedThread) v.dispatchPtid = i
      return [v, unit.threads[i] as HwThread]
    })
    const r = new CoreRun(unit, vc, this.dispatchRecord(vc, unit, placed))
    vc.run = r
    this.rec.dispatches.push(r.record)
    for (const th of unit.threads) {
      th.entered = false
      th.exited = false
    }
    for (const [v, th] of placed) this.startVcpu(r, v, th)
    r.thread0.run = r // thread 0 is set up whether or not it has a vcpu

    // start_thread IPIs every thread but the runner's own (thread 0); n_woken counts them.
    for (const [, th] of placed) {
      if (th.index === 0) continue
      r.nWoken++
      this.later(DURATION.startCore + DURATION.ipiWake, this.enterCb(th))
    }
    this.later(
      DURATION.startCore,
      (vc.on.start ??= () => {
        const now = runOf(vc)
        this.rec.vcoreState(vc, 'RUNNING', this.now)
        this.threadEnter(now, now.thread0)
        // vcpus whose tasks waited for the lock during STARTING now find the vcore RUNNING.
        for (const w of vc.lockWaiters.splice(0)) {
          vc.runnable.push(w)
          this.latecomer(now, w)
        }
      }),
    )
  }

  /** kvmppc_start_thread's PACA stores: the thread runs `v` for run `r`. */
  private startVcpu(r: CoreRun, v: Vcpu, th: HwThread): void {
    th.vcpu = v
    th.run = r
    v.thread = th
    v.lastThread = th
    v.trap = null
    r.started.push(v)
  }

  /** The record `details.dispatches[]` and the checks read, as the dispatch starts. */
  private dispatchRecord(vc: Vcore, unit: Unit, placed: [Vcpu, HwThread][]): DispatchRecord {
    const t0 = unit.threads[0] as HwThread
    return {
      at: this.now,
      vcore: vc.id,
      pcpu: t0.cpu,
      threads: unit.threads.map((th) => {
        const p = placed.find(([, t]) => t === th)
        return {
          thread: th.index,
          vcpu: p ? p[0].id : null,
          role: p ? 'guest' : th.index === 0 ? 'no-vcpu-nap' : 'idle',
        }
      }),
      end: null,
      core: unit.core,
      subcore: unit.subcore,
      mmuInEnd: null,
      mmuInBy: null,
      mmuOutStart: null,
      mmuOutBy: null,
      firstLoadAt: -1,
      firstLoadVcpu: -1,
      lastSaveAt: -1,
      lastSaveThread: -1,
      firstExit: null,
      lastEntryAt: -1,
      lastEntryThread: -1,
      minCpu: placed.reduce((m, [, th]) => Math.min(m, th.cpu), t0.cpu),
      maxCpu: placed.reduce((m, [, th]) => Math.max(m, th.cpu), t0.cpu),
      joined: [],
      offThread: placed
        .filter(([v, th]) => v.guestThread !== th.index)
        .map(([v, th]) => ({ vcpu: v.id, guestThread: v.guestThread, thread: th.index })),
    }
  }

  /** A vcpu entering KVM_RUN while its vcore runs and no thread has begun to exit. */
  private latecomer(r: CoreRun, v: Vcpu): void {
    const vc = v.vcore
    const d = r.record
    const design = this.cfg.design
    const index = design.latecomerThread(v, vc.runnable.length)
    if (!design.fixedThread) v.dispatchPtid = index
    const th = r.unit.threads[index]
    if (!th || th.vcpu !== null) return // cannot happen with either design; it waits for the next run
    this.startVcpu(r, v, th)
    d.joined.push({ thread: th.index, vcpu: v.id })
    d.minCpu = Math.min(d.minCpu, th.cpu)
    d.maxCpu = Math.max(d.maxCpu, th.cpu)
    if (v.guestThread !== th.index)
      d.offThread.push({ vcpu: v.id, guestThread: v.guestThread, thread: th.index })
    const t0 = r.thread0
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
    if (th.index === 0) {
      // PACA[P].kvm_vcpu = vcpu and an IPI to P; n_woken is not incremented (test vector 8).
      if (th.phase === 'novcpu-nap') {
        this.later(DURATION.ipiWake, (th.on.latecomer ??= () => this.novcpuWake(th, 'latecomer')))
      }
      // Otherwise thread 0 is still switching the MMU and finds its vcpu when it looks.
      return
    }
    r.nWoken++
    this.later(DURATION.ipiWake, this.enterCb(th))
  }

  // ---------------------------------------------------------------------------------------------
  // kvmppc_hv_entry

  private threadEnter(r: CoreRun, th: HwThread): void {
    const d = r.record
    if (r.exitCount > 0) {
      this.rec.event({
        kind: 'secondary-too-late',
        at: this.now,
        vcore: r.master.id,
        thread: th.index,
        vcpu: th.vcpu ? th.vcpu.id : null,
        track: th.track.id,
        source: SOURCE.tooLate,
        confidence: 'source',
      })
      this.rec.phase(th, 'too-late', this.now)
      return
    }
    r.entryCount++
    th.entered = true
    d.lastEntryAt = this.now
    d.lastEntryThread = th.index
    if (th.index === 0) {
      this.rec.phase(th, 'mmu-in', this.now)
      this.later(
        DURATION.mmuSwitchIn,
        (th.on.mmuIn ??= () => {
          const rNow = runOf(th)
          rNow.inGuest = true
          rNow.record.mmuInEnd = this.now
          rNow.record.mmuInBy = th.index
          for (const s of rNow.unit.threads) {
            if (s !== th && s.phase === 'wait-in-guest') this.afterInGuest(rNow, s)
          }
          this.afterInGuest(rNow, th)
        }),
      )
    } else if (r.inGuest) this.afterInGuest(r, th)
    else this.rec.phase(th, 'wait-in-guest', this.now, vcpuLabel(th.vcpu), vcpuRef(th.vcpu))
  }

  /** After in_guest: HDEC check, then the vcpu (or, for thread 0 with none, the no-guest nap). */
  private afterInGuest(r: CoreRun, th: HwThread): void {
    const v = th.vcpu
    if (r.exitCount === 0 && (r.hdecExpired || this.hdecSoon())) {
      // "Check if HDEC expires soon" (kvmppc_hv_entry): the host's timer is due, so no guest runs.
      if (v && v.trap === null) v.trap = 'hdec'
      this.countExit(r, th, 'hdec')
      return
    }
    if (!v) {
      this.primaryNoGuest(r, th)
      return
    }
    if (r.exitCount > 0) {
      // HDEC already poked: the exit path at once, with no guest state loaded.
      if (v.trap === null) v.trap = 'hdec'
      this.countExit(r, th, 'hdec')
      return
    }
    this.loadState(r, th, v)
  }

  private loadState(r: CoreRun, th: HwThread, v: Vcpu): void {
    const d = r.record
    if (d.firstLoadAt < 0) {
      d.firstLoadAt = this.now
      d.firstLoadVcpu = v.id
    }
    this.rec.phase(th, 'load-state', this.now, vcpuLabel(v), vcpuRef(v))
    this.later(DURATION.loadState, (th.on.loaded ??= () => this.enterGuest(th)))
  }

  private enterGuest(th: HwThread): void {
    const r = runOf(th)
    const v = th.vcpu as Vcpu
    if (r.exitCount > 0 || r.hdecExpired) {
      this.exitThread(th, 'hdec')
      return
    }
    if (v.pending) {
      v.ceded = false
      v.pending = false
    }
    if (v.ceded) {
      // Model: a ceded vcpu started again goes straight back to its H_CEDE nap.
      r.nappingThreads |= 1 << th.index
      this.rec.phase(th, 'cede-nap', this.now, vcpuLabel(v), vcpuRef(v))
      return
    }
    this.rec.phase(th, 'guest', this.now, vcpuLabel(v), vcpuRef(v))
    if (v.deferred !== null) this.onGuestEntry?.(v)
  }

  /** kvmppc_primary_no_guest: thread 0 with no vcpu, "handled much like a ceded vcpu". */
  private primaryNoGuest(r: CoreRun, t0: HwThread): void {
    r.nappingThreads |= 1
    if (r.exitCount > 0) {
      this.countExit(r, t0, 'external')
      return
    }
    this.rec.phase(t0, 'novcpu-nap', this.now, 'no vcpu')
  }

  /** kvm_novcpu_wakeup: a latecomer with ptid 0 is run (kvmppc_got_guest); anything else exits. */
  private novcpuWake(t0: HwThread, why: 'latecomer' | 'exit-ipi'): void {
    if (t0.phase !== 'novcpu-nap') return
    const r = runOf(t0)
    r.nappingThreads &= ~1
    if (r.exitCount === 0 && why === 'latecomer' && t0.vcpu) this.loadState(r, t0, t0.vcpu)
    else this.countExit(r, t0, 'external')
  }

  // ---------------------------------------------------------------------------------------------
  // In the guest: H_CEDE, wake-ups, exits

  /** H_CEDE from the vcpu. Returns why nothing happened, or null. */
  cede(v: Vcpu): string | null {
    const th = v.thread
    if (!th || th.phase !== 'guest') return 'the vcpu is not executing guest code'
    const r = runOf(th)
    if (v.prodded) {
      v.prodded = false
      this.rec.event(cedeEvent(this.now, v, th, r, 'cancelled-by-prod', r.nappingThreads))
      return null
    }
    v.ceded = true
    const bit = 1 << th.index
    // Model: once a thread has begun to exit, HDEC is already 0 and its interrupt pending, so a
    // cede in that window leaves as an exit rather than a nap (the sources do not cover the race).
    if (r.exitCount > 0 || popcount(r.nappingThreads | bit) >= r.entryCount) {
      this.rec.event(cedeEvent(this.now, v, th, r, 'exit-to-host', r.nappingThreads | bit))
      this.exitThread(th, 'cede')
      return null
    }
    r.nappingThreads |= bit
    this.rec.event(cedeEvent(this.now, v, th, r, 'nap', r.nappingThreads))
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
  private endCede(th: HwThread, why: 'wake' | 'exit-ipi'): void {
    if (th.phase !== 'cede-nap') return
    const r = runOf(th)
    const v = th.vcpu as Vcpu
    r.nappingThreads &= ~(1 << th.index)
    if (why === 'wake') v.ceded = false
    if (why === 'wake' && r.exitCount === 0) {
      this.rec.phase(th, 'guest', this.now, vcpuLabel(v), vcpuRef(v))
      if (v.deferred !== null) this.onGuestEntry?.(v)
    } else this.exitThread(th, 'external')
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
        const r = runOf(th)
        r.record.lastSaveAt = this.now
        r.record.lastSaveThread = th.index
        this.countExit(r, th, th.savingTrap)
      }),
    )
  }

  /** hdec_soon: bump the exit count; the first exiter pulls every other thread out. */
  private countExit(r: CoreRun, th: HwThread, trap: Trap): void {
    const first = r.exitCount === 0
    r.exitCount++
    th.exited = true
    this.rec.phase(th, 'wait-exit', this.now)
    if (first) {
      r.record.firstExit = this.now
      this.pokeAll(r, th, trap)
    }
    this.maybeSwitchBack(r)
  }

  /**
   * The first exiter writes HDEC = 0 so every thread in the guest exits, unless its own trap is
   * HDEC (then the others take the same interrupt), and IPIs the napping threads either way.
   */
  private pokeAll(r: CoreRun, from: HwThread, trap: Trap): void {
    const hdec: HwThread[] = []
    const ipi: HwThread[] = []
    for (const t of r.unit.threads) {
      if (t === from) continue
      if (t.phase === 'guest') {
        if (trap !== 'hdec') hdec.push(t)
      } else if (t.phase === 'cede-nap' || t.phase === 'novcpu-nap') ipi.push(t)
    }
    if (trap === 'hdec' && ipi.length === 0) return
    this.rec.event({
      kind: 'exit-sync',
      at: this.now,
      vcore: r.master.id,
      thread: from.index,
      trap,
      hdec: hdec.map((t) => t.index),
      ipi: ipi.map((t) => t.index),
      track: from.track.id,
      toTracks: [...hdec, ...ipi].map((t) => t.track.id),
      source: trap === 'hdec' ? SOURCE.hdec : SOURCE.exit,
      confidence: 'source',
    })
    for (const t of hdec) this.later(DURATION.interrupt, this.pokedCb(t))
    for (const t of ipi) this.later(DURATION.ipiWake, this.pokedCb(t))
  }

  private enterCb(th: HwThread): Action {
    return (th.on.enter ??= () => this.threadEnter(runOf(th), th))
  }

  private pokedCb(th: HwThread): Action {
    return (th.on.poked ??= () => this.poked(th))
  }

  /** A poked thread acts on the HDEC interrupt or the IPI in whatever state it is by then. */
  private poked(t: HwThread): void {
    if (t.phase === 'guest') this.exitThread(t, 'hdec')
    else if (t.phase === 'cede-nap') this.endCede(t, 'exit-ipi')
    else if (t.phase === 'novcpu-nap') this.novcpuWake(t, 'exit-ipi')
  }

  private maybeSwitchBack(r: CoreRun): void {
    const t0 = r.thread0
    if (!t0.exited || t0.phase !== 'wait-exit' || r.exitCount !== r.entryCount) return
    r.record.mmuOutStart = this.now
    r.record.mmuOutBy = t0.index
    this.rec.phase(t0, 'mmu-out', this.now)
    const vc = r.master
    this.later(DURATION.mmuSwitchOut, (vc.on.switchedBack ??= () => this.switchedBack(vc)))
  }

  /** in_guest = 0 releases the secondaries, which nap again; the runner goes back to the host. */
  private switchedBack(vc: Vcore): void {
    const r = runOf(vc)
    r.inGuest = false
    for (const t of r.unit.threads) {
      if (t.index !== 0 && (t.phase === 'wait-exit' || t.phase === 'too-late')) {
        this.rec.phase(t, 'host', this.now)
        r.napCount++
      }
    }
    this.rec.vcoreState(vc, 'EXITING', this.now)
    // kvm_resched: a runner the tick marked need_resched yields here, the vcore EXITING.
    if (vc.needResched) {
      vc.needResched = false
      if (this.waiting.length > 0) {
        this.preempt(r)
        return
      }
    }
    this.rec.phase(r.thread0, 'host-exit', this.now)
    this.later(DURATION.hostExit, (vc.on.finish ??= () => this.finishDispatch(vc)))
  }

  /** After __kvmppc_vcore_entry: handle each vcpu's exit, then run again or give up the core. */
  private finishDispatch(vc: Vcore): void {
    const r = runOf(vc)
    if (!r.threadsReleased) this.releaseThreads(r)
    else if (vc.held) this.rec.phase(vc.held.threads[0] as HwThread, 'host', this.now)
    for (const v of r.started) {
      if (v.trap === 'exit') {
        // RESUME_HOST: off the runnable list, back to userspace.
        v.runState = 'NOTREADY'
        v.ceded = false
        v.prodded = false
        vc.runnable.splice(vc.runnable.indexOf(v), 1)
      }
      v.trap = null
    }
    r.record.end = this.now
    vc.run = null
    vc.lastUnit = r.unit
    this.rec.vcoreState(vc, 'INACTIVE', this.now)
    if (!vc.runner || vc.runner.runState !== 'RUNNABLE') vc.runner = vc.runnable[0] ?? null
    if (vc.runner) this.later(DURATION.rerun, (vc.on.rerun ??= () => this.runnerLoop(vc)))
    else this.releaseHost(vc)
  }

  /** kvmppc_release_hwthread for every thread of the run: the physical threads are free. */
  private releaseThreads(r: CoreRun): void {
    for (const t of r.unit.threads) {
      if (t.vcpu) t.vcpu.thread = null
      t.vcpu = null
      t.run = null
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

  /** The runner gives up the host CPU it holds: the first waiting runner gets that (sub)core. */
  private releaseHost(vc: Vcore): void {
    const unit = vc.held
    if (!unit) return
    vc.held = null
    unit.busy = null
    const next = this.waiting.shift()
    if (!next) return
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
    const unit = r.unit
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
      track: vc.track.id,
      toTracks: [by.track.id],
      source: SOURCE.preempt,
      confidence: 'model',
    }
    this.rec.event(e)
    this.releaseThreads(r)
    vc.preempted = true
    vc.preemptions++
    this.queue(vc)
    this.releaseHost(vc)
  }

  /** The preempted runner has a host CPU again: it handles the exits it left, then runs on. */
  private resume(vc: Vcore): void {
    vc.preempted = false
    this.rec.vcoreState(vc, 'EXITING', this.now)
    this.rec.phase((vc.held as Unit).threads[0] as HwThread, 'host-exit', this.now)
    this.later(DURATION.hostExit, (vc.on.resume ??= () => this.finishDispatch(vc)))
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
   * The host timer interrupt on every host CPU: a dispatch past __kvmppc_vcore_entry takes the HDEC
   * interrupt on each thread in the guest; CFS marks need_resched on runners past their slice, one
   * for each runner waiting, those that have held their CPU longest first.
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
        for (const t of u.threads) if (t.phase === 'guest') this.exitThread(t, 'hdec')
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

  /** What the model still waits on, for a run that hits its event bound. */
  describePending(): string {
    const busy = this.units.filter((u) => u.busy).length
    return `${busy} (sub)cores busy, ${this.waiting.length} vcores waiting for one`
  }
}

function cedeEvent(
  at: number,
  v: Vcpu,
  th: HwThread,
  r: CoreRun,
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
    entryCount: r.entryCount,
    track: th.track.id,
    source: SOURCE.cede,
    confidence: 'source',
  }
}

/**
 * The run a thread or vcore is in when one of its callbacks fires. The flow schedules those
 * callbacks only inside a run, so a missing run is a bug in the model, reported as such.
 */
function runOf(x: HwThread | Vcore): CoreRun {
  if (x.run === null) throw new Error(`book3s model invariant broken: ${x.track.id} is in no run`)
  return x.run
}

export function popcount(x: number): number {
  let n = 0
  for (let v = x; v !== 0; v &= v - 1) n++
  return n
}

function vcpuLabel(v: Vcpu | null): string | undefined {
  return v ? v.label : undefined
}

function vcpuRef(v: Vcpu | null): string | undefined {
  return v ? v.ref : undefined
}
