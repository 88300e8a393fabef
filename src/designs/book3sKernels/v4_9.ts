/**
 * 4.9: b009031f "Take out virtual core piggybacking code": can_piggyback keeps only the thread
 * total and can_dynamic_split, so every co-scheduled vcore gets a subcore of its own (after the VTB
 * fix 88b02cf9 said sharing one subcore is not possible on POWER8).
 */
import type { Book3sKernelSpec } from './types'

export const v4_9: Book3sKernelSpec = {
  name: '4.9',
  title: 'piggybacking onto a subcore taken out',
  commits:
    'b009031f “Take out virtual core piggybacking code” (code read at 45c940ba, where can_piggyback is the total and can_dynamic_split only); 88b02cf9 (VTB per subcore)',
  boundary:
    'verified: 4.8.15 still has can_piggyback_subcore, 4.9.154 has not (b009031f), read in the source of the stable trees',
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
  piggybackSubcore: false,
  dynamicSplit: true,
}
