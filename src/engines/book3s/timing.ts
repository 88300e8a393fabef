/**
 * What a tick stands for, and how long each step of the run flow takes in ticks.
 *
 * The kernel sources fix the order of the steps, not their durations: every duration here is a
 * choice of this model (confidence `model`), picked so a timeline reads in proportion (an MMU
 * switch is slower than a thread wake-up, guest state save and load sit between). The one number
 * taken from the sources is the HDEC "expires soon" threshold: 512 timebase ticks, about 1 µs
 * (rmhandlers.S @e0b7ec05), which a 10 ns tick turns into 100 ticks.
 */

/** Nanoseconds per tick. */
export const TICK_NS = 10
export const TICK_UNIT = '1 tick = 10 ns (a model unit; 100 ticks ≈ 512 timebase ticks ≈ 1 µs)'

export const DURATION = {
  /** Host side of kvmppc_run_core up to __kvmppc_vcore_entry: start_thread for each vcpu, DTL entries. */
  startCore: 10,
  /** XICS IPI (or msgsnd on POWER8) until a napping secondary runs kvm_start_guest. */
  ipiWake: 5,
  /** Thread 0: LPID/SDR1 switch, TLB flush, timebase offset, PCR (kvmppc_hv_entry). */
  mmuSwitchIn: 20,
  /** Loading a vcpu's guest state (SLB, SPRs, FP/VMX, GPRs) before hrfid. */
  loadState: 10,
  /** Saving a vcpu's guest state on exit, before the exit count is bumped (guest_exit_cont). */
  saveState: 10,
  /** Thread 0: LPID/SDR1 back to the host, timebase offset removed (hdec_soon tail). */
  mmuSwitchOut: 10,
  /** Host side after __kvmppc_vcore_entry returns: wait_for_nap, release threads, handle exits. */
  hostExit: 20,
  /** The runner's kvmppc_run_vcpu loop coming round to kvmppc_run_core again. */
  rerun: 10,
  /** A napping thread taking an interrupt (HDEC, IPI) or a wake, until it acts on it. */
  interrupt: 1,
  /** A sleeping runner woken on vc->wq until it runs (kvmppc_vcore_blocked). */
  wakeRunner: 10,
} as const

/**
 * The host's timer and scheduler, which the sources fix only in part:
 * - `__kvmppc_vcore_entry` puts "whatever is in the decrementer into the hypervisor decrementer"
 *   (book3s_hv_interrupts.S, read @00ed905a), so a vcore leaves the guest with an HDEC interrupt at the host's next
 *   timer interrupt. The model puts every host CPU's timer interrupt at multiples of 1 / HZ
 *   (`host.hz`, CONFIG_HZ_100 in powernv_defconfig @010e85f9); with NO_HZ a busy CPU keeps its tick.
 * - At that tick CFS (kernel/sched/fair.c, `check_preempt_tick`) sets need_resched on a runner that
 *   has had its host CPU for longer than its slice while another task waits for it. The slice is a
 *   model of CFS's defaults: `sysctl_sched_latency` 6 ms × (1 + ilog2(online CPUs, at most 8)),
 *   shared by the two runners (the scaling by the number of waiting tasks and by load weight is not
 *   modelled).
 * - A runner with need_resched yields in `kvm_resched` after `kvmppc_run_core` has set the vcore
 *   EXITING (book3s_hv.c @e0b7ec05 and @4b8473c9); the vcore stays EXITING until its runner gets a
 *   host CPU back.
 */
export function hostTickTicks(hz: number): number {
  return Math.round(1e9 / hz / TICK_NS)
}

/** sysctl_sched_latency and its log scaling (kernel/sched/fair.c), as model ticks. */
export function schedSliceTicks(onlineHostCpus: number): number {
  const ncpus = Math.max(1, Math.min(onlineHostCpus, 8))
  const factor = 1 + Math.floor(Math.log2(ncpus))
  return Math.round((6_000_000 * factor) / 2 / TICK_NS)
}

/** "Check if HDEC expires soon": under 512 timebase ticks the threads exit at once (kvmppc_hv_entry). */
export const HDEC_SOON = 100
