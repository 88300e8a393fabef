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
