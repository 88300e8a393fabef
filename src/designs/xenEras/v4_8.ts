/**
 * Linux 4.8 (the v4.8.15 tree): CPU notifiers. `xen_hvm_cpu_notify` and the FIFO notifier
 * (`evtchn_fifo_cpu_notification`) run at CPU_UP_PREPARE; xen_hvm_cpu_up binds the IPIs and the
 * boot side binds the spinlock IPI (`xen_init_lock_cpu`); arch/x86/kernel/acpi/boot.c only counts
 * disabled MADT entries.
 */
import type { LinuxEraSpec } from './types'

export const v4_8: LinuxEraSpec = {
  name: '4.8',
  tree: 'v4.8.15',
  code: 'v4.8.15 (CPU notifiers)',
  note: 'CPU notifiers: the prepare steps at CPU_UP_PREPARE; hot-added CPUs get the ACPI id U32_MAX.',
  files: {},
  guestTypes: ['pv', 'pvhvm', 'arm'],
  designs: 'all',
  pvh: false,
  cpuhp: false,
  hvmPrepare: 'xen_hvm_cpu_notify',
  fifoPrepare: { fn: 'evtchn_fifo_cpu_notification', state: 'CPU_UP_PREPARE' },
  numbersDisabledMadtEntries: false,
  logicalCpuIds: false,
  hotAddAcpiId: false,
  vcpuSetupEnodev: false,
  earlyXenClock: 'none',
  idBeforeSet: null,
}
