/**
 * `arm-smp-fix`: de75abbe "arm/xen: fix SMP guests boot". ARM's `xen_guest_init` sets the direct
 * map (cpu k ↔ vCPU k) for every possible CPU before any secondary is prepared; x86 keeps
 * 88e957d6's sources (v4.8.15 tree, where the id is a `uint32_t` with no initialiser: 0).
 */
import type { XenDesignSpec } from './types'

export const armSmpFix: XenDesignSpec = {
  name: 'arm-smp-fix',
  title: 'ARM: direct map at init (2016)',
  commit: 'de75abbe “arm/xen: fix SMP guests boot”',
  note:
    'ARM sets the direct mapping (cpu k ↔ vCPU k) for every possible CPU at init, before any secondary is prepared, so the boot CPU’s hypercalls for a secondary name the right vCPU. ' +
    'x86 keeps 88e957d6’s sources: CPUID for the boot CPU, MADT ACPI ids for the others.',
  code: 'with de75abbe "arm/xen: fix SMP guests boot"',
  mapped: true,
  pvIs2007: false,
  idBeforeSet: (type) => (type === 'pvhvm' || type === 'pvh' ? 'boot-id' : 'zero'),
  armShowsBeforeSet: false,
  armInitId: () => 'direct',
  armStartingId: null,
  selfPrepare: false,
  bringUpConfidence: () => null,
}
