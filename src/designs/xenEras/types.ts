/**
 * What a Linux release decides for a Xen guest's CPU bring-up, as one object per era
 * (`eras/<release>.ts`), chosen by the table in `eras/index.ts` from `linux.era`. An era file
 * imports no values (the schema reads the table too); bringUp.ts and idSources.ts ask the era,
 * never compare its name.
 */
export interface LinuxEraSpec {
  readonly name: string
  /** The tree the era's code is read from. */
  readonly tree: 'v4.8.15' | 'v4.9.76'
  /** How the layout names the era's code. */
  readonly code: string
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
}
