/**
 * Linux 5.18: eed05744 "xen: delay xen_hvm_init_time_ops() if kdump is boot on vcpu>=32" (Dongli
 * Zhang, merged for 5.18-rc1): `xen_hvm_init_time_ops` returns early while cpu 0 has no
 * vcpu_info ("Delay xen_init_time_common() as kernel is running on vcpu=N") and
 * `xen_hvm_smp_prepare_boot_cpu` calls it again once `xen_vcpu_setup(0)` has registered it. The
 * fix was read in its 5.4.214 backport (time.c, smp_hvm.c); the rest of this era is the 5.10.89
 * code, as no 5.18 tree was read.
 */
import type { LinuxEraSpec } from './types'

export const v5_18: LinuxEraSpec = {
  name: '5.18',
  tree: 'v5.18',
  code: 'v5.18 (eed05744; the rest as read in 5.10.89)',
  note: 'eed05744 delays xen_hvm_init_time_ops until cpu 0 has vcpu_info, so a crash kernel on vCPU ≥ 32 boots.',
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
  earlyXenClock: 'delayed',
  idBeforeSet: 'u32-max',
}
