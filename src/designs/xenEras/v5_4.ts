/**
 * Linux 5.4 (mainline; read in the 5.4.214 stable tree): the split x86 Xen files (enlighten_hvm.c,
 * smp_hvm.c, enlighten_pvh.c), `int xen_vcpu_setup` returning -ENODEV for a CPU left without
 * vcpu_info and XEN_VCPU_ID_INVALID before the prepare step (both 4.13), and the early Xen clock
 * read of 38669ba2 (4.19) in `xen_hvm_init_time_ops`, which dereferences a NULL `xen_vcpu` on a
 * crash kernel started on vCPU ≥ 32. Mainline 5.4 has that bug; the 5.4.y stable releases carry
 * the fix eed05744 (5.4.214 has it), which the 5.18 era runs.
 */
import type { LinuxEraSpec } from './types'

export const v5_4: LinuxEraSpec = {
  name: '5.4',
  tree: 'v5.4.214',
  code: 'v5.4 (mainline behaviour; 5.4.214 tree)',
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
