/**
 * Each design in two sentences with its commit, for the lab's screens (and the CLI's, later).
 * Written from the commits each design names (their code and messages, docs/engines.md); a
 * statement that is a reading of the code, never observed running, says it is derived.
 */
import type { Engine } from '../scenario/scenario'

export interface DesignNote {
  engine: Engine
  design: string
  title: string
  /** The commit (or proposal) the design follows. */
  commit: string
  text: string
}

export const DESIGN_NOTES: readonly DesignNote[] = [
  {
    engine: 'book3s',
    design: 'first-come',
    title: 'first come, first served (2013)',
    commit: 'book3s_hv.c @4b8473c9 (kvmppc_run_core)',
    text:
      'KVM hands out physical threads 0, 1, 2, … to a virtual core’s vcpus in the order they became runnable, non-ceded first, so thread 0 always runs a vcpu. ' +
      'A vcpu then often runs on a thread other than the one its guest believes it is (id mod threads), and a msgsndp doorbell the guest aims by that number lands on the wrong thread.',
  },
  {
    engine: 'book3s',
    design: 'aligned',
    title: 'virtual thread N on physical thread N (2014)',
    commit: 'e0b7ec05 “Align physical and virtual CPU thread numbers”',
    text:
      'A vcpu id goes to virtual core id / threads and its virtual thread id mod threads always runs on that physical thread, so msgsndp tags and TIR reads agree with the hardware. ' +
      'Thread 0 switches the MMU for the virtual core even when it has no vcpu of its own, and then naps until the vcore exits or a latecomer with ptid 0 arrives.',
  },
  {
    engine: 'xen',
    design: 'raw-cpu',
    title: 'the Linux CPU number (before 2016)',
    commit: 'before 88e957d6',
    text:
      'Every hypercall that names a vCPU passes the Linux CPU number. ' +
      'That is right only while Linux CPU k runs on Xen vCPU k, which a kdump kernel started on a secondary vCPU breaks.',
  },
  {
    engine: 'xen',
    design: 'vcpu-id-mapping',
    title: 'a per-CPU Xen vCPU id (2016)',
    commit: '88e957d6 “xen: introduce xen_vcpu_id mapping”',
    text:
      'Linux keeps a Xen vCPU id per CPU: PV and ARM map directly, a PVHVM boot CPU reads its id from CPUID and secondaries take their MADT ACPI ids. ' +
      'On ARM the id was set only when a secondary starts, after the boot CPU had already issued EVTCHNOP_init_control for it with the unset id, so FIFO event channels failed and SMP guests came up with one CPU.',
  },
  {
    engine: 'xen',
    design: 'arm-smp-fix',
    title: 'ARM: direct map at init (2016)',
    commit: 'de75abbe “arm/xen: fix SMP guests boot”',
    text:
      'ARM sets the direct mapping (cpu k ↔ vCPU k) for every possible CPU at init, before any secondary is prepared, so the boot CPU’s hypercalls for a secondary name the right vCPU. ' +
      'x86 keeps 88e957d6’s sources: CPUID for the boot CPU, MADT ACPI ids for the others.',
  },
  {
    engine: 'xen',
    design: 'starting-cpu-hypercalls',
    title: 'the starting CPU asks for itself (proposal a)',
    commit: 'de75abbe’s message, proposal (a); not merged in Linux',
    text:
      'No vCPU-id hypercalls at the prepare step: the starting CPU reads its own id (CPUID on x86, MPIDR on ARM) and issues them itself. ' +
      'Linux kept the prepare-time calls; Xen’s own guest code (b53d2ae416) later fetched its vCPU id this way.',
  },
  {
    engine: 'xen',
    design: 'firmware-ids',
    title: 'ids from firmware tables (proposal b)',
    commit: 'de75abbe’s message, proposal (b); not merged in Linux',
    text:
      'ARM vCPU ids come from ACPI or the device tree (MPIDR affinity) before any CPU starts, as x86 takes them from the MADT. ' +
      'The ids are then known at the prepare step, without relying on cpu k being vCPU k.',
  },
]

export function designNote(engine: Engine, design: string): DesignNote | null {
  return DESIGN_NOTES.find((d) => d.engine === engine && d.design === design) ?? null
}

export const ENGINE_TITLES: Readonly<Record<Engine, string>> = {
  book3s: 'KVM on POWER (Book3S HV)',
  xen: 'Xen: Linux CPUs and vCPU ids',
}
