/** 3.14: virtual thread N on physical thread N (e0b7ec05), entry and exit counts. */
import type { Book3sKernelSpec } from './types'

export const v3_14: Book3sKernelSpec = {
  name: '3.14',
  title: 'aligned threads, entry/exit counts',
  commits: 'e0b7ec05 “Align physical and virtual CPU thread numbers”',
  boundary: 'believed: e0b7ec05 first appears in 3.14; the tag was not read',
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
