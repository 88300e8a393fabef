/**
 * `starting-cpu-hypercalls`: proposal (a) in de75abbe's message, never merged in Linux (a model).
 * No vCPU-id hypercalls at the prepare step: the starting CPU reads its own id (CPUID leaf base+4
 * on x86, its MPIDR on ARM) and binds its timer, FIFO control block and IPIs itself.
 */
import type { XenDesignSpec } from './types'

export const startingCpuHypercalls: XenDesignSpec = {
  name: 'starting-cpu-hypercalls',
  title: 'the starting CPU asks for itself (proposal a)',
  commit: 'de75abbe’s message, proposal (a); not merged in Linux',
  note:
    'No vCPU-id hypercalls at the prepare step: the starting CPU reads its own id (CPUID on x86, MPIDR on ARM) and issues them itself. ' +
    'Linux kept the prepare-time calls; Xen’s own guest code (b53d2ae416) later fetched its vCPU id this way.',
  code: 'proposal (a) of de75abbe: the starting CPU issues its own hypercalls (a model)',
  mapped: true,
  pvIs2007: false,
  idBeforeSet: (type) => (type === 'pvhvm' || type === 'pvh' ? 'boot-id' : 'zero'),
  armShowsBeforeSet: false,
  armInitId: (cpu) => (cpu === 0 ? 'mpidr' : null),
  armStartingId: 'mpidr',
  selfPrepare: true,
  bringUpConfidence: () => 'model',
}
