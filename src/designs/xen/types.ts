/**
 * What a Linux-on-Xen design decides about vCPU ids, as one object per design
 * (`designs/<name>.ts`), chosen by the table in `designs/index.ts`. A design file imports no
 * values: the scenario schema, the lab's screens and the engine read the same object, and a new
 * design is one file plus its line in the table (and its presets and goldens). The guest type's
 * and era's own orders stay in bringUp.ts; a design only says where ids come from and who issues
 * the prepare-time hypercalls.
 */

export type XenGuestType = 'pv' | 'pvhvm' | 'pvh' | 'arm'
export type XenIdBeforeSet = 'minus-one' | 'zero' | 'boot-id' | 'u32-max'
export type XenConfidence = 'source' | 'derived' | 'model'

/** Where an ARM CPU's id is set: the direct map (cpu k ↔ vCPU k) or its MPIDR's affinity. */
export type ArmIdRule = 'direct' | 'mpidr'

export interface XenDesignSpec {
  readonly name: string
  /** A few words for menus and charts. */
  readonly title: string
  /** The commit (or proposal) the design follows. */
  readonly commit: string
  /** The design in two sentences, for the lab's screens. */
  readonly note: string
  /** How the layout names the Linux code that runs. */
  readonly code: string
  /** Hypercalls carry `xen_vcpu_nr(cpu)` (88e957d6 and after), not the Linux cpu number. */
  readonly mapped: boolean
  /** On x86 PV the design is the 2007 code of f87e4cac (arch/i386/xen), not a v4.8/v4.9 tree. */
  readonly pvIs2007: boolean
  /** The `linux.idBeforeSet` default: the value a secondary's id holds before it is set. */
  idBeforeSet(type: XenGuestType): XenIdBeforeSet
  /** details.cpus show that value for the ARM secondaries before they start. */
  readonly armShowsBeforeSet: boolean
  /** ARM `xen_guest_init`: the id it gives CPU `cpu` (null: none; 'before-set': left unset). */
  armInitId(cpu: number): ArmIdRule | 'before-set' | null
  /** ARM `xen_starting_cpu`: the id a secondary sets for itself there, or null. */
  readonly armStartingId: ArmIdRule | null
  /**
   * The starting CPU issues the prepare-time hypercalls itself (its id from CPUID or the MPIDR)
   * instead of the boot CPU issuing them for it at the prepare step.
   */
  readonly selfPrepare: boolean
  /** How sure the lab is of a secondary CPU's bring-up under this design, or null: the run's. */
  bringUpConfidence(type: XenGuestType): XenConfidence | null
}
