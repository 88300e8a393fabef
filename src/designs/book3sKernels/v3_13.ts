/** 3.13: the 2013 code before alignment (book3s_hv.c @4b8473c9): first-come placement only. */
import type { Book3sKernelSpec } from './types'

export const v3_13: Book3sKernelSpec = {
  name: '3.13',
  title: 'first-come thread placement',
  commits: 'book3s_hv.c @4b8473c9',
  boundary:
    'verified: 3.13.10 still numbers threads first-come (ptid++) where 3.14.1 has ptid = vcpu_id − first_vcpuid (e0b7ec05), read in the source of the stable trees',
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
