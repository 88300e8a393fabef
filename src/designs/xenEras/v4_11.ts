/**
 * Linux 4.11: PVH guests (`xen_prepare_pvh`, arch/x86/xen/enlighten.c), and ACPI hot-add with the
 * processor's real ACPI id (`acpi_map_cpu(handle, physid, acpi_id, pcpu)`,
 * arch/x86/kernel/acpi/boot.c); disabled MADT entries are only counted again. The x86 Xen code is
 * still in enlighten.c and smp.c; the prepare step is the common `xen_cpu_up_prepare`. Read in a
 * 4.11.0 tree; the commit that added the `acpi_id` argument was not found (its release is 4.11).
 */
import type { LinuxEraSpec } from './types'

export const v4_11: LinuxEraSpec = {
  name: '4.11',
  tree: 'v4.11',
  code: 'v4.11 (cpuhp states, PVH)',
  note: 'PVH guests; a hot-added CPU gets its real ACPI id (acpi_map_cpu), so out-of-order hot-add maps right.',
  files: {
    xen_prepare_pvh: 'arch/x86/xen/enlighten.c',
    acpi_map_cpu: 'arch/x86/kernel/acpi/boot.c',
  },
  guestTypes: ['pvhvm', 'pvh'],
  designs: ['vcpu-id-mapping', 'arm-smp-fix'],
  pvh: true,
  cpuhp: true,
  hvmPrepare: 'xen_cpu_up_prepare',
  fifoPrepare: { fn: 'xen_evtchn_cpu_prepare', state: 'CPUHP_XEN_EVTCHN_PREPARE' },
  numbersDisabledMadtEntries: false,
  logicalCpuIds: true,
  hotAddAcpiId: true,
  vcpuSetupEnodev: false,
  earlyXenClock: 'none',
  idBeforeSet: null,
}
