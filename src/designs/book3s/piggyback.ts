/**
 * `piggyback`: ec257165 "KVM: PPC: Book3S HV: Make use of unused threads when running guests"
 * (2015). A runner preempted by the host scheduler leaves its vcore on its CPU's list of preempted
 * vcores (kvmppc_vcore_preempt, when the vcore has fewer threads than a subcore); the next
 * kvmppc_run_core on that CPU takes vcores from the list (collect_piggybacks) while
 * can_piggyback_subcore allows it (same VM, same timebase offset, PCR and LPCR; on POWER8 only
 * 1-thread vcores, because a guest with more threads per core would read the wrong TIR) and the
 * threads add up to at most a subcore. They run as VCORE_PIGGYBACK on the threads after the
 * master's (`pvc->pcpu = pcpu + thr`, `thr += num_threads`) and share its entry/exit map, so any
 * exit takes them all out. On kernels from 4.3 this is kvm_hv with dynamic_mt_modes=0 (no dynamic
 * split); b009031f took it out (4.9).
 */
import type { Book3sDesignSpec } from './types'
import { aligned } from './aligned'

export const piggyback: Book3sDesignSpec = {
  ...aligned,
  name: 'piggyback',
  title: 'preempted vcores piggyback on a running one (2015)',
  commit: 'ec257165 “Make use of unused threads when running guests”',
  note:
    'A vcore whose runner the host scheduler preempted waits on its CPU’s list; the next vcore to run on that CPU takes it along on its unused threads (collect_piggybacks), so several small vcores of one VM share a core. ' +
    'On POWER8 only vcores of one thread qualify, and every piggybacked vcore shares the master’s entry/exit map: the first exit takes them all out.',
  firstKernel: '4.3',
  lastKernel: '4.8',
  moduleParams: { targetSmtMode: 0, dynamicMtModes: 0 },
}
