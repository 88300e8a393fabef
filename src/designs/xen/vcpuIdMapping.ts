/**
 * `vcpu-id-mapping`: 88e957d6 "xen: introduce xen_vcpu_id mapping" as first merged. A per-CPU
 * `xen_vcpu_id` (`int`, initialised to -1): PV maps directly, a PVHVM boot CPU reads CPUID leaf
 * base+4 and secondaries take their MADT ACPI id; ARM sets a secondary's id only in
 * `xen_starting_cpu`, after the boot CPU's prepare step has used the unset value.
 */
import type { XenDesignSpec } from './types'

export const vcpuIdMapping: XenDesignSpec = {
  name: 'vcpu-id-mapping',
  title: 'a per-CPU Xen vCPU id (2016)',
  commit: '88e957d6 “xen: introduce xen_vcpu_id mapping”',
  note:
    'Linux keeps a Xen vCPU id per CPU: PV and ARM map directly, a PVHVM boot CPU reads its id from CPUID and secondaries take their MADT ACPI ids. ' +
    'On ARM the id was set only when a secondary starts, after the boot CPU had already issued EVTCHNOP_init_control for it with the unset id, so FIFO event channels failed and SMP guests came up with one CPU.',
  code: '88e957d6 "xen: introduce xen_vcpu_id mapping" as first merged',
  mapped: true,
  pvIs2007: false,
  // x86 PVHVM: init_hvm_pv_info writes the boot id into the per-CPU template before
  // setup_per_cpu_areas copies it (derived, 4.8/4.9 x86-64); elsewhere the -1 initialiser.
  idBeforeSet: (type) => (type === 'pvhvm' || type === 'pvh' ? 'boot-id' : 'minus-one'),
  armShowsBeforeSet: true,
  armInitId: (cpu) => (cpu === 0 ? 'direct' : 'before-set'),
  armStartingId: 'direct',
  selfPrepare: false,
  // ARM: derived. The regression's path (init_control at the prepare step with the unset id) is
  // read in the v4.8.15 code and de75abbe's message, never observed running.
  bringUpConfidence: (type) => (type === 'arm' ? 'derived' : null),
}
