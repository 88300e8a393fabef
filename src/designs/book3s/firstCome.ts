/**
 * `first-come`: the 2013 code before alignment (arch/powerpc/kvm/book3s_hv.c @4b8473c9).
 * kvmppc_core_vcpu_create_hv puts vcpu `id` in vcore `id / threads_per_core` with no
 * `first_vcpuid`; kvmppc_run_core hands physical threads 0, 1, 2, … to the runnable vcpus,
 * non-ceded first, and a latecomer in kvmppc_run_vcpu gets `ptid = n_runnable - 1`.
 */
import type { Book3sDesignSpec, PlacedVcpu } from './types'

export const firstCome: Book3sDesignSpec = {
  name: 'first-come',
  title: 'first come, first served (2013)',
  commit: 'book3s_hv.c @4b8473c9 (kvmppc_run_core)',
  note:
    'KVM hands out physical threads 0, 1, 2, … to a virtual core’s vcpus in the order they became runnable, non-ceded first, so thread 0 always runs a vcpu. ' +
    'A vcpu then often runs on a thread other than the one its guest believes it is (id mod threads), and a msgsndp doorbell the guest aims by that number lands on the wrong thread.',
  // The 2013 code predates POWER9 (2017), static split-core (subcore.c, 2014, after e0b7ec05)
  // and KVM_CAP_PPC_SMT (3c313524, 2017).
  firstKernel: '3.13',
  lastKernel: '3.13',
  refuse(s) {
    if (s.processor === 'POWER9') {
      return {
        path: ['kvm', 'design'],
        message: 'first-come is the 2013 code, which predates POWER9; use "aligned"',
      }
    }
    if (s.subcoresPerCore !== 1) {
      return {
        path: ['kvm', 'design'],
        message:
          'first-come is the 2013 code, which predates static split-core; use "aligned" or subcoresPerCore 1',
      }
    }
    if (s.smtMode !== s.threadsPerSubcore) {
      return {
        path: ['kvm', 'smtMode'],
        message: `first-come is the 2013 code, which predates KVM_CAP_PPC_SMT (3c313524); must be ${s.threadsPerSubcore} or absent`,
      }
    }
    return null
  },
  vcoreThreads: (t) => t.threadsPerCore,
  fixedThread: false,
  placeThreads<V extends PlacedVcpu>(runnable: readonly V[]): [V, number][] {
    const order = [...runnable.filter((v) => !v.ceded), ...runnable.filter((v) => v.ceded)]
    return order.map((v, i): [V, number] => [v, i])
  },
  latecomerThread: (_v, runnableCount) => runnableCount - 1,
  latecomerSource: 'kvmppc_run_vcpu: latecomer gets ptid = n_runnable - 1 (book3s_hv.c @4b8473c9)',
  moduleParams: { targetSmtMode: 1, dynamicMtModes: 0 },
}
