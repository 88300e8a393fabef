/**
 * Linux 5.10 (read in the 5.10.89 stable tree, which does not carry eed05744): the same Xen
 * bring-up as 5.4, and the same panic of a crash kernel started on vCPU ≥ 32 in
 * `xen_hvm_init_time_ops`. Which later 5.10.y release took the fix was not verified.
 */
import type { LinuxEraSpec } from './types'

export const v5_10: LinuxEraSpec = {
  name: '5.10',
  tree: 'v5.10.89',
  code: 'v5.10 (5.10.89 tree)',
  note: 'xen_vcpu_setup -ENODEV for a CPU without vcpu_info (4.13); the early Xen clock read of 38669ba2 (4.19) panics a crash kernel on vCPU ≥ 32.',
  files: {
    init_hvm_pv_info: 'arch/x86/xen/enlighten_hvm.c',
    xen_hvm_guest_init: 'arch/x86/xen/enlighten_hvm.c',
    xen_cpu_up_prepare_hvm: 'arch/x86/xen/enlighten_hvm.c',
    xen_hvm_smp_prepare_cpus: 'arch/x86/xen/smp_hvm.c',
    xen_hvm_smp_prepare_boot_cpu: 'arch/x86/xen/smp_hvm.c',
    xen_smp_prepare_boot_cpu: 'arch/x86/xen/smp_hvm.c',
    xen_prepare_pvh: 'arch/x86/xen/enlighten_pvh.c',
    xen_hvm_init_time_ops: 'arch/x86/xen/time.c',
    xen_clocksource_read: 'arch/x86/xen/time.c',
  },
  guestTypes: ['pvhvm', 'pvh'],
  designs: ['vcpu-id-mapping', 'arm-smp-fix'],
  pvh: true,
  cpuhp: true,
  hvmPrepare: 'xen_cpu_up_prepare_hvm',
  fifoPrepare: { fn: 'xen_evtchn_cpu_prepare', state: 'CPUHP_XEN_EVTCHN_PREPARE' },
  numbersDisabledMadtEntries: false,
  logicalCpuIds: true,
  hotAddAcpiId: true,
  vcpuSetupEnodev: true,
  earlyXenClock: 'panics',
  idBeforeSet: 'u32-max',
}
