/** 3.14: virtual thread N on physical thread N (e0b7ec05), entry and exit counts. */
import type { Book3sKernelSpec } from './types'

export const v3_14: Book3sKernelSpec = {
  name: '3.14',
  title: 'aligned threads, entry/exit counts',
  commits: 'e0b7ec05 “Align physical and virtual CPU thread numbers”',
  boundary:
    'verified: 3.13.10 numbers threads first-come, 3.14.1 has ptid = vcpu_id − first_vcpuid (e0b7ec05), read in the source of the stable trees',
  staticSplit: false,
  smtCap: false,
  power9: false,
  vcpuIdLimit: 'max-vcpus',
  piggybackLatecomers: false,
  indepThreadsParam: false,
  exitSync: 'hdec-poke',
  preemptAt: 'kvm-resched',
  msgsndWake: false,
  coschedule: false,
  piggybackSubcore: false,
  dynamicSplit: false,
}
