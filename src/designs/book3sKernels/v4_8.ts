/** 4.8: KVM_MAX_VCPU_ID = threads_per_subcore * KVM_MAX_VCORES (0b1b1dfd). */
import type { Book3sKernelSpec } from './types'

export const v4_8: Book3sKernelSpec = {
  name: '4.8',
  title: 'KVM_MAX_VCPU_ID per subcore',
  commits: '0b1b1dfd “kvm: introduce KVM_MAX_VCPU_ID”',
  boundary:
    'verified: 4.6.2 checks id >= KVM_MAX_VCPUS, 4.7.4 id >= KVM_MAX_VCPU_ID (0b1b1dfd), read in the source, so 4.8 has it',
  staticSplit: true,
  smtCap: false,
  power9: false,
  vcpuIdLimit: 'threads-per-subcore',
  piggybackLatecomers: false,
  indepThreadsParam: false,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: true,
  piggybackSubcore: true,
  dynamicSplit: true,
}
