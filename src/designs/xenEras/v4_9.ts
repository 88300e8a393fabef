/**
 * Linux 4.9 (the v4.9.76 tree): the cpuhp state machine. CPUHP_XEN_PREPARE
 * (`xen_cpu_up_prepare`: id, vcpu_info, timer and IPI binds), CPUHP_XEN_EVTCHN_PREPARE
 * (`xen_evtchn_cpu_prepare`; a failure rolls XEN_PREPARE back with xen_cpu_dead), and the spinlock
 * IPI on the starting CPU at CPUHP_AP_ONLINE_DYN (`xen_cpu_up_online`); acpi_register_lapic
 * numbers disabled MADT entries at boot.
 */
import type { LinuxEraSpec } from './types'

export const v4_9: LinuxEraSpec = {
  name: '4.9',
  tree: 'v4.9.76',
  code: 'v4.9.76 (cpuhp states)',
  note: 'cpuhp states: CPUHP_XEN_PREPARE and CPUHP_XEN_EVTCHN_PREPARE; disabled MADT entries numbered at boot.',
  files: {},
  guestTypes: ['pv', 'pvhvm', 'arm'],
  designs: 'all',
  pvh: false,
  cpuhp: true,
  hvmPrepare: 'xen_cpu_up_prepare',
  fifoPrepare: { fn: 'xen_evtchn_cpu_prepare', state: 'CPUHP_XEN_EVTCHN_PREPARE' },
  numbersDisabledMadtEntries: true,
  logicalCpuIds: true,
  hotAddAcpiId: false,
  vcpuSetupEnodev: false,
  earlyXenClock: 'none',
  idBeforeSet: null,
}
