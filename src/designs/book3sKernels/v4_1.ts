/**
 * 4.1: the 2015 entry and exit path (book3s_hv.c and book3s_hv_rmhandlers.S as read @c56dadf3): an
 * entry/exit bitmap instead of counts, kvmhv_commence_exit, kvmppc_ipi_thread waking threads with
 * msgsnd on POWER8, and VCORE_PREEMPT at the top of kvmppc_run_vcpu's loop instead of kvm_resched.
 */
import type { Book3sKernelSpec } from './types'

export const v4_1: Book3sKernelSpec = {
  name: '4.1',
  title: 'entry/exit bitmap, kvmhv_commence_exit, msgsnd wake-ups, VCORE_PREEMPT',
  commits:
    'Paul Mackerras, 2015: “Use bitmap of active threads rather than count”, “Streamline guest entry and exit”, “Use msgsnd for signalling threads on POWER8” (code read @c56dadf3; the commit ids not verified)',
  boundary:
    'verified: 4.0.4 has entry_exit_count and neither kvmhv_commence_exit nor kvmppc_ipi_thread, 4.1.5 has entry_exit_map and both, read in the source of the stable trees; the commit ids are not verified',
  staticSplit: true,
  smtCap: false,
  power9: false,
  vcpuIdLimit: 'max-vcpus',
  piggybackLatecomers: false,
  indepThreadsParam: false,
  exitSync: 'commence-exit',
  preemptAt: 'vcore-preempt',
  msgsndWake: true,
  coschedule: false,
  piggybackSubcore: false,
  dynamicSplit: false,
}
