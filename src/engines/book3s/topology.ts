/**
 * The POWER host as KVM-HV sees it: physical cores, static subcores, hardware threads and their
 * host CPU numbers.
 *
 * - POWER7: 4 threads per core, one unit per core.
 * - POWER8: 8 threads per core; static split-core 1, 2 or 4 gives subcores of 8, 4 or 2 threads
 *   with contiguous ranges (2-way: 0-3, 4-7; 4-way: 0-1, 2-3, 4-5, 6-7), subcore.c.
 * - POWER9: SMT4 cores that KVM treats as permanently in 4-way split mode, one thread per subcore,
 *   so every vcpu is its own vcore on its own thread (`threads_per_vcore` 45c940ba,
 *   `subcore_config_ok` @1e175d2e); with indep_threads_mode off, KVM controls the whole SMT4 core
 *   from thread 0 like a POWER8 subcore (`threads_per_vcore` = threads_per_subcore, 4).
 */
import { THREADS_PER_CORE, type Processor } from '../../shared/scenario/book3sScenario'

export interface Topology {
  processor: Processor
  cores: number
  threadsPerCore: number
  /** Units KVM runs one vcore on, per core. */
  subcoresPerCore: number
  threadsPerSubcore: number
}

export function topologyOf(
  processor: Processor,
  cores: number,
  subcoresPerCore: number,
  independentThreads = true,
): Topology {
  const threadsPerCore = THREADS_PER_CORE[processor]
  const perCore =
    processor === 'POWER9' ? (independentThreads ? threadsPerCore : 1) : subcoresPerCore
  return {
    processor,
    cores,
    threadsPerCore,
    subcoresPerCore: perCore,
    threadsPerSubcore: threadsPerCore / perCore,
  }
}

/** Host CPU number of thread `t` (index within the subcore) of subcore `s` of core `c`. */
export function hostCpu(topo: Topology, c: number, s: number, t: number): number {
  return c * topo.threadsPerCore + s * topo.threadsPerSubcore + t
}

export function subcoreCount(topo: Topology): number {
  return topo.cores * topo.subcoresPerCore
}
