/**
 * Kernel threads of the modelled guest on the engine's discrete-event kernel: each thread is a
 * generator that yields how many ticks its last step took, or a gate to wait on (a CPU coming
 * online, a call-function finishing). Everything runs in `(tick, priority, seq)` order, so the
 * same scenario gives the same interleaving of boot and starting CPUs every time.
 *
 * Time (a modelling unit, stated in `timeline.tickUnit`): one tick is one step of the model, about
 * a microsecond; a hypercall takes one tick. The durations below are this model's choice, not
 * measurements, and only order matters for every fact the lab asserts.
 */
import { Simulation } from '../kernel'

/** A hypercall, or any single kernel step. */
export const STEP = 1
/** INIT/SIPI (or PSCI CPU_ON) until the started CPU runs its first instruction. */
export const AP_START_DELAY = 10
/** EVTCHNOP_send until the upcall runs on the bound vCPU. */
export const IPI_LATENCY = 2
/** A reschedule handler; a call-function handler (irq_enter, the function, irq_exit). */
export const RESCHED_TICKS = 1
export const CALL_FUNCTION_TICKS = 3
/** `xen_cpu_die` sleeps HZ/10 between VCPUOP_is_up polls. */
export const DIE_POLL_TICKS = 5

/** A one-shot condition threads wait on. */
export class Gate {
  opened = false
  waiters: Thread[] = []
}

export type Yield = number | Gate

/** Something scheduled on the simulation: a thread to resume, an IPI arriving, a handler ending. */
export interface Task {
  fire(): void
}

/** A kernel thread: a generator run on a Linux CPU (stopped CPUs run nothing). */
export class Thread implements Task {
  constructor(
    readonly rt: Runtime,
    readonly gen: Generator<Yield, void, undefined>,
    /** The Linux CPU the thread runs on; -1 for the workload driver. */
    readonly cpu: number,
  ) {}

  fire(): void {
    this.rt.step(this)
  }
}

/** A callback with one argument, scheduled without allocating a closure per event. */
export class Call<A> implements Task {
  constructor(
    private readonly fn: (a: A) => void,
    private readonly arg: A,
  ) {}

  fire(): void {
    this.fn(this.arg)
  }
}

export class Runtime {
  readonly sim: Simulation<Task>

  /** `mayRun` says whether a thread may run now (its CPU runs, the guest has not panicked). */
  constructor(
    seed: number,
    private readonly mayRun: (t: Thread) => boolean,
  ) {
    this.sim = new Simulation<Task>(seed, (p) => p.fire())
  }

  get now(): number {
    return this.sim.now
  }

  spawn(cpu: number, gen: Generator<Yield, void, undefined>, delay = 0): Thread {
    const t = new Thread(this, gen, cpu)
    this.sim.after(delay, 1, t)
    return t
  }

  /** Runs `task` `delay` ticks from now (priority 0: before threads resumed at the same tick). */
  later(delay: number, task: Task): void {
    this.sim.after(delay, 0, task)
  }

  open(gate: Gate): void {
    if (gate.opened) return
    gate.opened = true
    for (const t of gate.waiters) this.sim.after(0, 1, t)
    gate.waiters = []
  }

  step(t: Thread): void {
    if (!this.mayRun(t)) return
    const r = t.gen.next()
    if (r.done) return
    const y = r.value
    if (typeof y === 'number') this.sim.after(y, 1, t)
    else if (y.opened) this.sim.after(0, 1, t)
    else y.waiters.push(t)
  }
}
