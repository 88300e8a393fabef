/**
 * `raw-cpu`: before 88e957d6, every hypercall that names a vCPU passes the Linux CPU number. On
 * x86 PV that is the 2007 code of f87e4cac "xen: SMP guest support" (arch/i386/xen); elsewhere the
 * v4.8.15 / v4.9.76 trees with the mapping taken out.
 */
import type { XenDesignSpec } from './types'

export const rawCpu: XenDesignSpec = {
  name: 'raw-cpu',
  title: 'the Linux CPU number (before 2016)',
  commit: 'before 88e957d6',
  note:
    'Every hypercall that names a vCPU passes the Linux CPU number. ' +
    'That is right only while Linux CPU k runs on Xen vCPU k, which a kdump kernel started on a secondary vCPU breaks.',
  code: 'without 88e957d6 (every hypercall passes the Linux cpu number)',
  mapped: false,
  pvIs2007: true,
  // No mapping: the value is echoed as 0 and never read.
  idBeforeSet: () => 'zero',
  armShowsBeforeSet: false,
  armInitId: () => null,
  armStartingId: null,
  selfPrepare: false,
  bringUpConfidence: () => null,
}
