/** 3.13: the 2013 code before alignment (book3s_hv.c @4b8473c9): first-come placement only. */
import type { Book3sKernelSpec } from './types'

export const v3_13: Book3sKernelSpec = {
  name: '3.13',
  title: 'first-come thread placement',
  commits: 'book3s_hv.c @4b8473c9',
  boundary: 'believed: e0b7ec05 (alignment) is in 3.14; the tag was not read',
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
