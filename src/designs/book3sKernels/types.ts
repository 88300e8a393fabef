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

export interface Book3sKernelSpec {
  /** The release, as `kvm.kernel` names it. */
  readonly name: string
  /** What the release brought that the model runs, in a few words. */
  readonly title: string
  /** The commits whose code the release runs here. */
  readonly commits: string
  /**
   * 'verified' when the release was read from the tag or a pull request; otherwise what is
   * believed and why (the product says so beside the kernel).
   */
  readonly boundary: 'verified' | string
  /** Static split-core (threads_per_subcore, subcore.c). */
  readonly staticSplit: boolean
  /** KVM_CAP_PPC_SMT: the VM's SMT mode may be set (3c313524). */
  readonly smtCap: boolean
  /** POWER9 as this model runs it: vcpu ids packed into vcores (1e175d2e). */
  readonly power9: boolean
  readonly vcpuIdLimit: VcpuIdLimit
  /** The `indep_threads_mode` module parameter exists (POWER9). */
  readonly indepThreadsParam: boolean
  /**
   * The co-scheduling this release's kvmppc_run_core does on POWER7/8, as the designs that model
   * it: a scenario running another design on this release leaves it out (the lab says so).
   */
  readonly coschedules: readonly string[]
}
