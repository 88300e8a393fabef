/**
 * `firmware-ids`: proposal (b) in de75abbe's message, never merged in Linux. ARM ids come from
 * ACPI or the device tree (the MPIDR's affinity) before any CPU starts, as x86 takes them from
 * the MADT; on ARM this is a model, on x86 it is what 88e957d6 already does.
 */
import type { XenDesignSpec } from './types'

export const firmwareIds: XenDesignSpec = {
  name: 'firmware-ids',
  title: 'ids from firmware tables (proposal b)',
  commit: 'de75abbe’s message, proposal (b); not merged in Linux',
  note:
    'ARM vCPU ids come from ACPI or the device tree (MPIDR affinity) before any CPU starts, as x86 takes them from the MADT. ' +
    'The ids are then known at the prepare step, without relying on cpu k being vCPU k.',
  code: 'proposal (b) of de75abbe: ids from firmware before any CPU starts (a model on ARM)',
  mapped: true,
  pvIs2007: false,
  idBeforeSet: (type) => (type === 'pvhvm' || type === 'pvh' ? 'boot-id' : 'zero'),
  armShowsBeforeSet: false,
  armInitId: () => 'mpidr',
  armStartingId: null,
  selfPrepare: false,
  bringUpConfidence: (type) => (type === 'arm' ? 'model' : null),
}
