/**
 * The source line every event carries: the Linux function (file, tree) whose code issued it and
 * the Xen function that answered, e.g. "xen_hvm_cpu_notify (arch/x86/xen/enlighten.c, v4.8.15) /
 * map_vcpu_info (xen/common/domain.c)". A run builds each string once (Guest caches them).
 */
import type { GuestKind } from './hypervisor'

import type { LinuxEraSpec } from '../../designs/xenEras'

/** The Linux trees the model follows (docs/engines.md): an era's, or the 2007 code. */
export type LinuxTree = LinuxEraSpec['tree'] | 'f87e4cac'

const X86 = 'arch/x86/xen'
const FILES: Readonly<Record<string, string>> = {
  xen_start_kernel: `${X86}/enlighten.c`,
  init_hvm_pv_info: `${X86}/enlighten.c`,
  xen_vcpu_setup: `${X86}/enlighten.c`,
  xen_setup_vcpu_info_placement: `${X86}/enlighten.c`,
  xen_hvm_cpu_notify: `${X86}/enlighten.c`,
  xen_cpu_up_prepare: `${X86}/enlighten.c`,
  xen_cpu_dead: `${X86}/enlighten.c`,
  xen_cpu_up_online: `${X86}/enlighten.c`,
  xen_time_init: `${X86}/time.c`,
  xen_setup_timer: `${X86}/time.c`,
  xen_teardown_timer: `${X86}/time.c`,
  xen_vcpuop_set_oneshot: `${X86}/time.c`,
  xen_vcpuop_set_next_event: `${X86}/time.c`,
  xen_timerop_set_next_event: `${X86}/time.c`,
  xen_hvm_setup_cpu_clockevents: `${X86}/time.c`,
  xen_setup_cpu_clockevents: `${X86}/time.c`,
  xen_setup_runstate_info: 'drivers/xen/time.c',
  xen_fill_possible_map: `${X86}/smp.c`,
  xen_smp_prepare_boot_cpu: `${X86}/smp.c`,
  xen_smp_prepare_cpus: `${X86}/smp.c`,
  xen_hvm_smp_prepare_cpus: `${X86}/smp.c`,
  xen_smp_intr_init: `${X86}/smp.c`,
  xen_smp_intr_free: `${X86}/smp.c`,
  xen_cpu_up: `${X86}/smp.c`,
  cpu_initialize_context: `${X86}/smp.c`,
  xen_hvm_cpu_up: `${X86}/smp.c`,
  xen_cpu_die: `${X86}/smp.c`,
  xen_play_dead: `${X86}/smp.c`,
  stop_self: `${X86}/smp.c`,
  xen_smp_send_call_function_ipi: `${X86}/smp.c`,
  xen_init_lock_cpu: `${X86}/spinlock.c`,
  xen_uninit_lock_cpu: `${X86}/spinlock.c`,
  xen_pmu_init: `${X86}/pmu.c`,
  xen_pmu_finish: `${X86}/pmu.c`,
  xen_drop_mm_ref: `${X86}/mmu.c`,
  drop_other_mm_ref: `${X86}/mmu.c`,
  xen_exit_mmap: `${X86}/mmu.c`,
  xen_pgd_unpin: `${X86}/mmu.c`,
  xen_mc_flush: `${X86}/multicalls.c`,
  bind_ipi_to_irq: 'drivers/xen/events/events_base.c',
  bind_virq_to_irq: 'drivers/xen/events/events_base.c',
  find_virq: 'drivers/xen/events/events_base.c',
  rebind_irq_to_cpu: 'drivers/xen/events/events_base.c',
  unbind_from_irq: 'drivers/xen/events/events_base.c',
  xen_send_IPI_one: 'drivers/xen/events/events_base.c',
  xen_evtchn_do_upcall: 'drivers/xen/events/events_base.c',
  xen_evtchn_fifo_init: 'drivers/xen/events/events_fifo.c',
  evtchn_fifo_cpu_notification: 'drivers/xen/events/events_fifo.c',
  xen_evtchn_cpu_prepare: 'drivers/xen/events/events_fifo.c',
  xen_guest_init: 'arch/arm/xen/enlighten.c',
  xen_starting_cpu: 'arch/arm/xen/enlighten.c',
  setup_cpu_watcher: 'drivers/xen/cpu_hotplug.c',
  native_cpu_up: 'arch/x86/kernel/smpboot.c',
  start_secondary: 'arch/x86/kernel/smpboot.c',
  native_stop_other_cpus: 'arch/x86/kernel/smp.c',
  acpi_map_cpu: 'arch/x86/kernel/acpi/boot.c',
  generic_processor_info: 'arch/x86/kernel/apic/apic.c',
  smp_call_function_many: 'kernel/smp.c',
  generic_smp_call_function_interrupt: 'kernel/smp.c',
  cpu_up: 'kernel/cpu.c',
  psci_cpu_on: 'arch/arm64/kernel/psci.c',
  ipi_cpu_stop: 'arch/arm64/kernel/smp.c',
  smp_cross_call: 'arch/arm64/kernel/smp.c',
  xen_hvm_crash_shutdown: `${X86}/enlighten.c`,
  xen_hvm_guest_init: `${X86}/enlighten.c`,
  xen_hvm_init_time_ops: `${X86}/time.c`,
  xen_clocksource_read: `${X86}/time.c`,
  xen_cpu_up_prepare_hvm: `${X86}/enlighten_hvm.c`,
  xen_hvm_smp_prepare_boot_cpu: `${X86}/smp_hvm.c`,
  xen_prepare_pvh: `${X86}/enlighten_pvh.c`,
  clamp_max_cpus: `${X86}/enlighten.c`,
  handle_vcpu_hotplug_event: 'drivers/xen/cpu_hotplug.c',
  vcpu_hotplug: 'drivers/xen/cpu_hotplug.c',
  smp_init: 'kernel/smp.c',
}

/** The 2007 code lived in arch/i386/xen (f87e4cac "xen: SMP guest support"). */
const FILES_2007: Readonly<Record<string, string>> = {
  xen_fill_possible_map: 'arch/i386/xen/smp.c',
  xen_smp_prepare_cpus: 'arch/i386/xen/smp.c',
  xen_smp_intr_init: 'arch/i386/xen/smp.c',
  xen_cpu_up: 'arch/i386/xen/smp.c',
  cpu_initialize_context: 'arch/i386/xen/smp.c',
  stop_self: 'arch/i386/xen/smp.c',
  xen_smp_send_stop: 'arch/i386/xen/smp.c',
  xen_smp_call_function_mask: 'arch/i386/xen/smp.c',
  xen_call_function_interrupt: 'arch/i386/xen/smp.c',
  xen_time_init: 'arch/i386/xen/time.c',
  xen_setup_timer: 'arch/i386/xen/time.c',
  setup_runstate_info: 'arch/i386/xen/time.c',
  xen_vcpuop_set_mode: 'arch/i386/xen/time.c',
  xen_vcpuop_set_next_event: 'arch/i386/xen/time.c',
  xen_setup_cpu_clockevents: 'arch/i386/xen/time.c',
  bind_ipi_to_irq: 'arch/i386/xen/events.c',
  bind_virq_to_irq: 'arch/i386/xen/events.c',
  rebind_irq_to_cpu: 'arch/i386/xen/events.c',
  xen_send_IPI_one: 'arch/i386/xen/events.c',
  xen_evtchn_do_upcall: 'arch/i386/xen/events.c',
  drop_mm_ref: 'arch/i386/xen/mmu.c',
  drop_other_mm_ref: 'arch/i386/xen/mmu.c',
  xen_exit_mmap: 'arch/i386/xen/mmu.c',
  xen_pgd_unpin: 'arch/i386/xen/mmu.c',
  xen_mc_flush: 'arch/i386/xen/multicalls.c',
}

/**
 * "fn (file, tree)": where a Linux function is, in the tree the run follows (`moved`: the era's
 * files that differ from 4.8's).
 */
export function linuxWhere(
  fn: string,
  tree: LinuxTree,
  moved: Readonly<Record<string, string>> = {},
): string {
  const file = (tree === 'f87e4cac' ? FILES_2007[fn] : undefined) ?? moved[fn] ?? FILES[fn]
  return file ? `${fn} (${file}, ${tree})` : `${fn} (${tree})`
}

/** The Xen function that answers `op` for this guest kind and Xen version. */
export function xenWhere(op: string, kind: GuestKind, minor: number): string {
  if (op.startsWith('VCPUOP_')) {
    if (op === 'VCPUOP_register_vcpu_info') {
      return minor >= 18
        ? 'map_guest_area (xen/common/domain.c, 295514ff75)'
        : 'map_vcpu_info (xen/common/domain.c)'
    }
    if (kind === 'arm') return 'do_arm_vcpu_op (xen/arch/arm/domain.c)'
    if (kind === 'hvm' && minor < 7) return 'hvm_vcpu_op (xen/arch/x86/hvm/hvm.c)'
    return 'do_vcpu_op (xen/common/domain.c)'
  }
  switch (op) {
    case 'EVTCHNOP_init_control':
      return 'evtchn_fifo_init_control (xen/common/event_fifo.c)'
    case 'EVTCHNOP_bind_virq':
      return 'evtchn_bind_virq (xen/common/event_channel.c)'
    case 'EVTCHNOP_bind_ipi':
      return 'evtchn_bind_ipi (xen/common/event_channel.c)'
    case 'EVTCHNOP_bind_vcpu':
      return 'evtchn_bind_vcpu (xen/common/event_channel.c)'
    case 'EVTCHNOP_close':
      return 'evtchn_close (xen/common/event_channel.c)'
    case 'EVTCHNOP_send':
      return 'evtchn_send (xen/common/event_channel.c)'
    case 'EVTCHNOP_status':
      return 'evtchn_status (xen/common/event_channel.c)'
    case 'SCHEDOP_yield':
      return 'do_sched_op (xen/common/schedule.c)'
    case 'HYPERVISOR_set_timer_op':
      return 'do_set_timer_op (xen/common/schedule.c)'
    case 'XENPMU_init':
    case 'XENPMU_finish':
      return 'do_xenpmu_op (xen/arch/x86/cpu/vpmu.c; vPMU off by default: -EOPNOTSUPP)'
    case 'MMUEXT_NEW_BASEPTR':
    case 'MMUEXT_UNPIN_TABLE':
      return 'do_mmuext_op (xen/arch/x86/mm.c)'
    case 'HYPERVISOR_update_va_mapping':
      return 'do_update_va_mapping → get_page_from_l1e (xen/arch/x86/mm.c)'
    default:
      return 'xen'
  }
}

/** "linux / xen": the source line of a hypercall event. */
export function callSource(linux: string, xen: string): string {
  return `${linux} / ${xen}`
}
