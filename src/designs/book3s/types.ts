/**
 * What a KVM Book3S HV design decides, as one object per design (`designs/<name>.ts`), chosen by
 * the table in `designs/index.ts`. A design file imports no values: the scenario schema, the
 * lab's screens and the engine all read the same object, and a new design is one file plus its
 * line in the table (and its presets and goldens).
 */

/** The settings a design's code may refuse (it predates them). */
export interface Book3sDesignSettings {
  processor: 'POWER7' | 'POWER8' | 'POWER9'
  subcoresPerCore: number
  smtMode: number
  /** Threads per (sub)core of the host: the SMT mode's default. */
  threadsPerSubcore: number
}

/** A scenario problem the design raises: the field's path and what is allowed. */
export interface DesignProblem {
  path: readonly string[]
  message: string
}

/** A runnable vcpu as a design sees it when placing threads. */
export interface PlacedVcpu {
  /** The virtual thread fixed at creation, or null where the design hands it out per dispatch. */
  readonly ptid: number | null
  readonly ceded: boolean
}

export interface Book3sDesignSpec {
  readonly name: string
  /** A few words for menus and charts. */
  readonly title: string
  /** The commit (or tree) the design follows. */
  readonly commit: string
  /** The design in two sentences, for the lab's screens. */
  readonly note: string
  /** The first Linux release with the design's code (`kvm.kernel`; its default). */
  readonly firstKernel: string
  /** The last release with it, or null while it is still in the kernel. */
  readonly lastKernel: string | null
  /** Where the design's code could not run (settings that came later), or null. */
  refuse(s: Book3sDesignSettings): DesignProblem | null
  /** KVM_CREATE_VCPU: the threads per vcore, so `core = id / threads`. */
  vcoreThreads(t: { threadsPerCore: number; smtMode: number }): number
  /** True when `ptid = id - first_vcpuid` is fixed at creation; false when each dispatch hands it out. */
  readonly fixedThread: boolean
  /**
   * kvmppc_run_core: the physical thread index within the (sub)core for each runnable vcpu, in the
   * order the kernel starts them.
   */
  placeThreads<V extends PlacedVcpu>(runnable: readonly V[]): [V, number][]
  /** kvmppc_run_vcpu: the thread a latecomer joining a running vcore starts on. */
  latecomerThread(v: PlacedVcpu, runnableCount: number): number
  /** The `source` of a latecomer event under this design. */
  readonly latecomerSource: string
  /**
   * The kvm_hv module parameters the design stands for on a kernel that co-schedules vcores
   * (`coschedule` in src/designs/book3sKernels, 4.3 on): `target_smt_mode` (0: threads per
   * subcore) caps the threads kvmppc_run_core fills, `dynamic_mt_modes` (0, 2, 4 or 6) the
   * dynamic split modes POWER8 may use. A design from before co-scheduling names `target_smt_mode`
   * 1, under which kvmppc_run_core collects no other vcore (`vc->num_threads < target_threads` is
   * never true), so it runs alone as it did.
   */
  readonly moduleParams: { readonly targetSmtMode: number; readonly dynamicMtModes: 0 | 2 | 4 | 6 }
}
