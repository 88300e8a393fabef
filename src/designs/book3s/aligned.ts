/**
 * `aligned`: e0b7ec05 "KVM: PPC: Book3S HV: Align physical and virtual CPU thread numbers" (2014).
 * kvmppc_core_vcpu_create_hv puts vcpu `id` in vcore `id / threads` with `first_vcpuid = core *
 * threads` and `ptid = id - first_vcpuid` (threads: the SMT mode, threads per subcore unless
 * KVM_CAP_PPC_SMT set it, 3c313524); kvmppc_start_thread runs each vcpu on `vc->pcpu + ptid`, and a
 * latecomer joins on its own ptid.
 */
import type { Book3sDesignSpec, PlacedVcpu } from './types'

export const aligned: Book3sDesignSpec = {
  name: 'aligned',
  title: 'virtual thread N on physical thread N (2014)',
  commit: 'e0b7ec05 “Align physical and virtual CPU thread numbers”',
  note:
    'A vcpu id goes to virtual core id / threads and its virtual thread id mod threads always runs on that physical thread, so msgsndp tags and TIR reads agree with the hardware. ' +
    'Thread 0 switches the MMU for the virtual core even when it has no vcpu of its own, and then naps until the vcore exits or a latecomer with ptid 0 arrives.',
  firstKernel: '3.14',
  lastKernel: null,
  refuse: () => null,
  vcoreThreads: (t) => t.smtMode,
  fixedThread: true,
  placeThreads<V extends PlacedVcpu>(runnable: readonly V[]): [V, number][] {
    return runnable.map((v): [V, number] => [v, v.ptid as number])
  },
  latecomerThread: (v) => v.ptid as number,
  latecomerSource:
    'kvmppc_run_vcpu: a vcpu joining a RUNNING vcore with exit count 0 (book3s_hv.c @e0b7ec05)',
  moduleParams: { targetSmtMode: 1, dynamicMtModes: 0 },
}
