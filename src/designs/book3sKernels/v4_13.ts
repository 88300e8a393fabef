/** 4.13: the VM's SMT mode may be set (KVM_CAP_PPC_SMT, 3c313524). */
import type { Book3sKernelSpec } from './types'

export const v4_13: Book3sKernelSpec = {
  name: '4.13',
  title: 'settable SMT mode',
  commits: '3c313524 “Allow userspace to set the desired SMT mode”',
  boundary: 'verified: 4.12 has no emul_smt_mode, 4.13.4 has it (3c313524), read in the source',
  staticSplit: true,
  smtCap: true,
  power9: false,
  vcpuIdLimit: 'threads-per-subcore',
  piggybackLatecomers: false,
  indepThreadsParam: false,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: true,
  piggybackSubcore: false,
  dynamicSplit: true,
}
