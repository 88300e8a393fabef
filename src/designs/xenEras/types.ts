/**
 * What a Linux release decides for a Xen guest's CPU bring-up, as one object per era
 * (`eras/<release>.ts`), chosen by the table in `eras/index.ts` from `linux.era`. An era file
 * imports no values (the schema reads the table too); bringUp.ts and idSources.ts ask the era,
 * never compare its name.
 */
export interface LinuxEraSpec {
  readonly name: string
  /** The tree the era's code is read from. */
  readonly tree: 'v4.8.15' | 'v4.9.76' | 'v4.11' | 'v5.4.214' | 'v5.10.89' | 'v5.18'
  /** How the layout names the era's code. */
  readonly code: string
  /** What the era brings that the model runs, in a sentence (shown beside the design). */
  readonly note: string
  /** Where a function lives in this tree when it moved from the 4.8 file (the x86 Xen split of 4.12). */
  readonly files: Readonly<Record<string, string>>
  /** The guest types whose code the model follows in this tree. */
  readonly guestTypes: readonly ('pv' | 'pvhvm' | 'pvh' | 'arm')[]
  /**
   * The designs whose code this release runs: after 4.9 both 88e957d6 (the mapping) and de75abbe
   * (the ARM fix) are in, so only those two designs, which run the same x86 code.
   */
  readonly designs: readonly string[] | 'all'
  /** PVH guests (`xen_pvh`, 4.11 with Xen 4.10 on). */
  readonly pvh: boolean
  /**
   * CPU hotplug runs as the cpuhp state machine (CPUHP_XEN_PREPARE, CPUHP_XEN_EVTCHN_PREPARE,
   * CPUHP_AP_ONLINE_DYN: v4.9) rather than as CPU notifiers (CPU_UP_PREPARE: v4.8). It moves the
   * timer and IPI binds to the prepare state, rolls a failed prepare back with xen_cpu_dead, and
   * has the starting CPU bind its own spinlock IPI.
   */
  readonly cpuhp: boolean
  /** The prepare step's Linux function on x86 PVHVM. */
  readonly hvmPrepare: string
  /** The FIFO prepare step's Linux function, and the hotplug state it runs at. */
  readonly fifoPrepare: { fn: string; state: string }
  /**
   * `acpi_register_lapic` numbers disabled MADT entries too (v4.9: they get a logical cpu at
   * boot, so a later hot-add finds its number), rather than only counting them (v4.8, where a
   * CPU takes the first free number: `cpumask_next_zero` over the present mask).
   */
  readonly numbersDisabledMadtEntries: boolean
  /**
   * Logical CPU numbers come from `allocate_logical_cpuid` (`cpuid_to_apicid[]`, 4.9 on), not the
   * first free bit of the present mask (`cpumask_next_zero`, 4.8).
   */
  readonly logicalCpuIds: boolean
  /**
   * ACPI hot-add passes the processor's ACPI id to `acpi_register_lapic` (`acpi_map_cpu(handle,
   * physid, acpi_id, pcpu)`, 4.11 on) rather than U32_MAX (4.8–4.10), so the prepare step maps a
   * hot-added CPU to its vCPU even when vCPUs are added out of order.
   */
  readonly hotAddAcpiId: boolean
  /**
   * `int xen_vcpu_setup` returns -ENODEV when a CPU is left without vcpu_info (placement off and
   * id ≥ 32) and the prepare step fails with it (4.13 on); before, the CPU comes up with a NULL
   * `xen_vcpu`, and the first failure clamps the CPUs smp_init brings up to 32 (`clamp_max_cpus`).
   */
  readonly vcpuSetupEnodev: boolean
  /**
   * What `xen_hvm_init_time_ops` does on a boot CPU with no vcpu_info (a kdump crash kernel on
   * vCPU ≥ 32): `none`, it reads no clock (before 4.19); `panics`, it reads the Xen clock at once
   * (38669ba2 with the early sched_clock of 857baa87, 4.19–5.17) and dereferences the NULL
   * `xen_vcpu`; `delayed`, eed05744 (5.18) delays it until cpu 0's vcpu_info is registered.
   */
  readonly earlyXenClock: 'none' | 'panics' | 'delayed'
  /** The id a CPU holds before its prepare step sets it, when the release fixes it (XEN_VCPU_ID_INVALID, 4.13 on). */
  readonly idBeforeSet: 'u32-max' | null
}
