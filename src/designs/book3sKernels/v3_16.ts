/** 3.16: static split-core on POWER8 (subcore.c; on_primary_thread uses threads_per_subcore). */
import type { Book3sKernelSpec } from './types'

export const v3_16: Book3sKernelSpec = {
  name: '3.16',
  title: 'static split-core',
  commits: 'arch/powerpc/platforms/powernv/subcore.c; on_primary_thread per subcore',
  boundary:
    'verified: 3.15.5 has neither powernv/subcore.c nor threads_per_subcore, 3.16 has both (first_vcpuid = core × threads_per_subcore), read in the source; the introducing commits were not read',
  staticSplit: true,
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
