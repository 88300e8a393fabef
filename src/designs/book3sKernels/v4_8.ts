/** 4.8: KVM_MAX_VCPU_ID = threads_per_subcore * KVM_MAX_VCORES (0b1b1dfd). */
import type { Book3sKernelSpec } from './types'

export const v4_8: Book3sKernelSpec = {
  name: '4.8',
  title: 'KVM_MAX_VCPU_ID per subcore',
  commits: '0b1b1dfd “kvm: introduce KVM_MAX_VCPU_ID”',
  boundary: 'believed: 0b1b1dfd is in 4.7, so 4.8 has it; the tag was not read',
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
