/**
 * `dynamic-micro-threading`: b4deba5c "KVM: PPC: Book3S HV: Implement dynamic micro-threading on
 * POWER8" (2015), kvm_hv's default (dynamic_mt_modes=6). When the preempted vcores of a CPU do not
 * fit its runner's subcore, kvmppc_run_core splits the unsplit POWER8 core 2 or 4 ways through HID0
 * (subcore_config_ok: at most 4 subcores, each of 8 / split threads) and runs one vcore as the
 * master of each subcore, subcore k from physical thread {0, 4, 2, 6}[k]; thread 0 of each subcore
 * switches the MMU for it with or without a vcpu. The first exit in any subcore sets
 * VCORE_EXIT_REQ on the others (kvmhv_commence_exit), so the core unsplits only when every subcore
 * is out. Until b009031f (4.9) a 1-thread vcore first tries to piggyback onto an existing subcore.
 */
import type { Book3sDesignSpec } from './types'
import { aligned } from './aligned'

export const dynamicMicroThreading: Book3sDesignSpec = {
  ...aligned,
  name: 'dynamic-micro-threading',
  title: 'POWER8 splits a core 2 or 4 ways per run (2015)',
  commit: 'b4deba5c “Implement dynamic micro-threading on POWER8”',
  note:
    'When vcores preempted on a CPU do not fit its runner’s core, KVM splits the POWER8 core into 2 or 4 subcores for one run (HID0) and gives each vcore a subcore, from threads 0, 4, 2 and 6. ' +
    'Each subcore’s thread 0 switches the MMU; the first exit anywhere pulls every subcore out (VCORE_EXIT_REQ), and the core unsplits before the host handles the exits.',
  firstKernel: '4.3',
  lastKernel: null,
  moduleParams: { targetSmtMode: 0, dynamicMtModes: 6 },
}
