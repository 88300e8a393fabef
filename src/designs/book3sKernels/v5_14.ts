/**
 * 5.14: aaae8c79 "KVM: PPC: Book3S HV: Remove support for dependent threads mode on P9": the
 * indep_threads_mode parameter goes and POWER9 always runs each vcpu on the thread its task is on.
 */
import type { Book3sKernelSpec } from './types'

export const v5_14: Book3sKernelSpec = {
  name: '5.14',
  title: 'POWER9 dependent-threads mode removed',
  commits: 'aaae8c79 “Remove support for dependent threads mode on P9”',
  boundary: 'verified: aaae8c79 is in the “KVM changes for Linux 5.14” pull',
  staticSplit: true,
  smtCap: true,
  power9: true,
  vcpuIdLimit: 'max-smt-threads',
  piggybackLatecomers: true,
  indepThreadsParam: false,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: true,
  piggybackSubcore: false,
  dynamicSplit: true,
}
