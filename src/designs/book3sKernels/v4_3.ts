/**
 * 4.3: co-scheduling (ec257165 "Make use of unused threads when running guests": preempted_vcores,
 * collect_piggybacks, VCORE_PIGGYBACK) and POWER8 dynamic micro-threading (b4deba5c: 2- and 4-way
 * HID0 split, subcore_thread_map {0, 4, 2, 6}, VCORE_EXIT_REQ across subcores).
 */
import type { Book3sKernelSpec } from './types'

export const v4_3: Book3sKernelSpec = {
  name: '4.3',
  title: 'piggybacking and dynamic micro-threading',
  commits:
    'ec257165 “Make use of unused threads when running guests”; b4deba5c “Implement dynamic micro-threading on POWER8”',
  boundary:
    'verified: 4.2.8 has neither kvm_split_mode nor VCORE_PIGGYBACK, a 4.3 tree has both, read in the source',
  staticSplit: true,
  smtCap: false,
  power9: false,
  vcpuIdLimit: 'max-vcpus',
  piggybackLatecomers: false,
  indepThreadsParam: false,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: true,
  piggybackSubcore: true,
  dynamicSplit: true,
}
