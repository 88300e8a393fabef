/**
 * 4.19: POWER9 vcpu ids packed into vcores (1e175d2e) and KVM_MAX_VCPU_ID = MAX_SMT_THREADS *
 * KVM_MAX_VCORES, both in the "kvm-ppc-next-4.19-1" pull.
 */
import type { Book3sKernelSpec } from './types'

export const v4_19: Book3sKernelSpec = {
  name: '4.19',
  title: 'POWER9 id packing, KVM_MAX_VCPU_ID = 8 × NR_CPUS',
  commits:
    '1e175d2e “Pack VCORE IDs to access full VCPU ID space”; “Allow creating max number of VCPUs on POWER9” (commit id not verified)',
  boundary: 'verified: both are in the kvm-ppc-next-4.19-1 pull',
  staticSplit: true,
  smtCap: true,
  power9: true,
  vcpuIdLimit: 'max-smt-threads',
  piggybackLatecomers: true,
  indepThreadsParam: true,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: true,
  piggybackSubcore: false,
  dynamicSplit: true,
}
