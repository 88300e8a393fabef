/**
 * What a Linux release decides for KVM Book3S HV, as one object per release (`<release>.ts`),
 * chosen by the table in `index.ts` from `kvm.kernel`. A kernel file imports no values: the
 * schema, the lab's screens and the engine read the same object, and ask it about mechanisms,
 * never compare its name. A release boundary the sources did not pin is said in `boundary`.
 */

/** KVM_CREATE_VCPU's id limit (arch/powerpc/include/asm/kvm_host.h). */
export type VcpuIdLimit =
  /** The generic `id >= KVM_MAX_VCPUS` test, before 0b1b1dfd. */
  | 'max-vcpus'
  /** `KVM_MAX_VCPU_ID = threads_per_subcore * KVM_MAX_VCORES` (0b1b1dfd). */
  | 'threads-per-subcore'
  /** `KVM_MAX_VCPU_ID = MAX_SMT_THREADS * KVM_MAX_VCORES` ("Allow creating max number of VCPUs on POWER9", 4.19). */
  | 'max-smt-threads'

/**
 * How the first thread to leave the guest pulls the others out:
 * - `hdec-poke` (e0b7ec05 era, hdec_soon in book3s_hv_rmhandlers.S): entry and exit counts; the
 *   first exiter writes HDEC = 0 (unless its own trap is HDEC) and IPIs the napping threads.
 * - `commence-exit` (2015, kvmhv_commence_exit in book3s_hv_builtin.c): an entry/exit bitmap; the
 *   first exiter IPIs every thread that entered but itself, and nothing when its trap is HDEC.
 */
export type ExitSync = 'hdec-poke' | 'commence-exit'

/**
 * Where a runner the host scheduler wants off its CPU yields:
 * - `kvm-resched`: after kvmppc_run_core, the vcore EXITING (book3s_hv.c @e0b7ec05);
 * - `vcore-preempt`: at the top of kvmppc_run_vcpu's loop, the vcore INACTIVE, which it marks
 *   VCORE_PREEMPT for cond_resched_lock (book3s_hv.c @c56dadf3; kvmppc_vcore_preempt from ec257165).
 */
export type PreemptPoint = 'kvm-resched' | 'vcore-preempt'

export interface Book3sKernelSpec {
  /** The release, as `kvm.kernel` names it. */
  readonly name: string
  /** What the release brought that the model runs, in a few words. */
  readonly title: string
  /** The commits whose code the release runs here. */
  readonly commits: string
  /**
   * 'verified: <evidence>' when the release was read from a pull request or from the source of
   * the release and the one before (the mechanism absent from one, present in the other);
   * otherwise what is believed and why (the product says so beside the kernel).
   */
  readonly boundary: 'verified' | string
  /** Static split-core (threads_per_subcore, subcore.c). */
  readonly staticSplit: boolean
  /** KVM_CAP_PPC_SMT: the VM's SMT mode may be set (3c313524). */
  readonly smtCap: boolean
  /** POWER9 as this model runs it: vcpu ids packed into vcores (1e175d2e). */
  readonly power9: boolean
  readonly vcpuIdLimit: VcpuIdLimit
  readonly exitSync: ExitSync
  readonly preemptAt: PreemptPoint
  /**
   * kvmppc_start_thread wakes a secondary with kvmppc_ipi_thread, which on POWER8 sends msgsnd to a
   * thread of the same core (c56dadf3); before, xics_wake_cpu (e0b7ec05). POWER7 always uses XICS.
   */
  readonly msgsndWake: boolean
  /**
   * kvmppc_run_core may run vcores whose runner tasks were preempted on its CPU (preempted_vcores,
   * collect_piggybacks: ec257165, b4deba5c), as far as `target_smt_mode` and `dynamic_mt_modes` allow.
   */
  readonly coschedule: boolean
  /** can_piggyback_subcore: a 1-thread vcore may share a subcore with another (ec257165; gone in b009031f). */
  readonly piggybackSubcore: boolean
  /** POWER8 dynamic micro-threading: HID0 2- or 4-way split for vcores of up to 4 threads (b4deba5c). */
  readonly dynamicSplit: boolean
  /** The `indep_threads_mode` module parameter exists (POWER9). */
  readonly indepThreadsParam: boolean
  /**
   * A vcpu entering KVM_RUN while its vcore is PIGGYBACK joins the run at once. Before c0093f1a
   * the latecomer path only trylocked the master's lock, which its message says always failed, so
   * such a vcpu waited for the next run; the join is in the copy read @00608e1f (4.18 era). The
   * release of c0093f1a is not verified: the model puts it in 4.19.
   */
  readonly piggybackLatecomers: boolean
}
