/**
 * Which vcores one kvmppc_run_core runs together, and on which threads: collect_piggybacks,
 * can_piggyback, can_piggyback_subcore, can_dynamic_split and subcore_config_ok of book3s_hv.c
 * (ec257165, b4deba5c; the later forms read @00608e1f), and the split decision and thread map of
 * kvmppc_run_core. Pure: it decides from the vcores and the settings, and changes nothing.
 *
 * What the model leaves out, and why:
 * - can_split_piggybacked_subcores (b4deba5c; gone in b009031f), which re-splits a subcore of more
 *   than two piggybacked 1-thread vcores into 2-thread subcores when a third subcore would not fit
 *   otherwise: without it such a vcore is not collected this time (it stays on the list).
 * - The VM, timebase-offset, PCR and LPCR comparisons of can_piggyback_subcore always hold: a
 *   scenario has one guest, so every vcore has the same kvm, tb_offset, pcr and lpcr.
 */
import { MAX_SMT_THREADS, type Processor } from '../../shared/scenario/book3sScenario'

/** MAX_SUBCORES (kvm_book3s_asm.h @b4deba5c). */
export const MAX_SUBCORES = 4

/**
 * `subcore_thread_map` (book3s_hv.c @b4deba5c, also @00608e1f): KVM subcore k of a dynamically
 * split POWER8 core starts at physical thread map[k], so 2-way subcores are threads 0-3 and 4-7.
 */
export const SUBCORE_THREAD_MAP: readonly number[] = [0, 4, 2, 6]

/** The settings the decisions read. */
export interface CoscheduleSettings {
  processor: Processor
  /** threads_per_subcore of the host (static split-core). */
  threadsPerSubcore: number
  /** target_threads of kvmppc_run_core: controlled threads, lowered by target_smt_mode. */
  targetThreads: number
  /** The dynamic_mt_modes module parameter: bit 1 allows 2-way, bit 2 4-way split. */
  dynamicMtModes: number
  /** can_piggyback_subcore exists (ec257165 to b009031f). */
  piggybackSubcore: boolean
  /** can_dynamic_split exists (b4deba5c). */
  dynamicSplit: boolean
}

/** What collect_piggybacks needs of a vcore. */
export interface CandidateVcore {
  /** vc->num_threads: the vcpus created in it. */
  readonly numThreads: number
  /** vc->n_runnable. */
  readonly nRunnable: number
}

/** `struct core_info`: the subcores being filled, each a list of vcores, its master first. */
export interface CoreInfo<V> {
  subcores: V[][]
  subcoreThreads: number[]
  maxSubcoreThreads: number
  totalThreads: number
}

function roundupPowerOfTwo(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

/**
 * `subcore_config_ok(n_subcores, n_threads)`: POWER9 (45c940ba on) runs up to 4 one-thread
 * subcores; POWER8 splits only an unsplit core, into at most 4 subcores, 2-way only when
 * dynamic_mt_modes allows it (else 4-way) and 4-way only when it allows that, with
 * `n_subcores * roundup_pow_of_two(n_threads) <= MAX_SMT_THREADS`.
 */
export function subcoreConfigOk(
  s: CoscheduleSettings,
  nSubcores: number,
  nThreads: number,
): boolean {
  if (s.processor === 'POWER9') return nSubcores <= 4 && nThreads === 1
  let n = nSubcores
  if (n > 1 && s.threadsPerSubcore < MAX_SMT_THREADS) return false
  if (n > MAX_SUBCORES) return false
  if (n > 1) {
    if (!(s.dynamicMtModes & 2)) n = 4
    if (n > 2 && !(s.dynamicMtModes & 4)) return false
  }
  return n * roundupPowerOfTwo(nThreads) <= MAX_SMT_THREADS
}

/** `init_core_info`: the runner's vcore alone in subcore 0. */
export function initCoreInfo<V extends CandidateVcore>(vc: V): CoreInfo<V> {
  return {
    subcores: [[vc]],
    subcoreThreads: [vc.numThreads],
    maxSubcoreThreads: vc.numThreads,
    totalThreads: vc.numThreads,
  }
}

/**
 * `can_piggyback_subcore` (ec257165, b4deba5c): on POWER8 both vcores must have one thread ("a P8
 * guest with more than one thread per core would see the wrong TIR"); a subcore that grows past
 * the largest one must still fit the split.
 */
function canPiggybackSubcore<V extends CandidateVcore>(
  s: CoscheduleSettings,
  pvc: V,
  ci: CoreInfo<V>,
  sub: number,
): boolean {
  const master = (ci.subcores[sub] as V[])[0] as V
  if (s.processor === 'POWER8' && (pvc.numThreads !== 1 || master.numThreads !== 1)) return false
  const nThr = (ci.subcoreThreads[sub] as number) + pvc.numThreads
  if (nThr > ci.maxSubcoreThreads) {
    if (!subcoreConfigOk(s, ci.subcores.length, nThr)) return false
    ci.maxSubcoreThreads = nThr
  }
  ci.subcoreThreads[sub] = nThr
  ci.totalThreads += pvc.numThreads
  ;(ci.subcores[sub] as V[]).push(pvc)
  return true
}

/** `can_dynamic_split`: POWER8 and later only; the vcore becomes the master of a new subcore. */
function canDynamicSplit<V extends CandidateVcore>(
  s: CoscheduleSettings,
  vc: V,
  ci: CoreInfo<V>,
): boolean {
  if (s.processor === 'POWER7') return false
  const n = Math.max(vc.numThreads, ci.maxSubcoreThreads)
  if (!subcoreConfigOk(s, ci.subcores.length + 1, n)) return false
  ci.maxSubcoreThreads = n
  ci.subcores.push([vc])
  ci.subcoreThreads.push(vc.numThreads)
  ci.totalThreads += vc.numThreads
  return true
}

/**
 * `can_piggyback` (b4deba5c; ec257165 has only the one subcore): the threads must add up to at
 * most the target; joining an existing subcore is tried first, then a subcore of its own.
 */
export function canPiggyback<V extends CandidateVcore>(
  s: CoscheduleSettings,
  pvc: V,
  ci: CoreInfo<V>,
): 'piggyback' | 'split' | null {
  if (ci.totalThreads + pvc.numThreads > s.targetThreads) return null
  if (s.piggybackSubcore) {
    for (let sub = 0; sub < ci.subcores.length; sub++) {
      if ((ci.subcoreThreads[sub] as number) === 0) continue
      if (canPiggybackSubcore(s, pvc, ci, sub)) return 'piggyback'
    }
  }
  if (s.dynamicSplit && canDynamicSplit(s, pvc, ci)) return 'split'
  return null
}

/** What collect_piggybacks did with one vcore of the CPU's list, in list order. */
export interface Collected<V> {
  vcore: V
  /** Taken into the run (and how), dropped from the list (nothing runnable), or left on it. */
  outcome: 'piggyback' | 'split' | 'dropped' | 'left'
}

/**
 * `collect_piggybacks`: walks the CPU's list of preempted vcores in order; a vcore with nothing
 * runnable leaves the list, one that cannot piggyback stays, and the walk stops once the threads
 * reach the target. Returns the core info and what happened to each vcore looked at.
 */
export function collectPiggybacks<V extends CandidateVcore>(
  s: CoscheduleSettings,
  master: V,
  list: readonly V[],
): { ci: CoreInfo<V>; looked: Collected<V>[] } {
  const ci = initCoreInfo(master)
  const looked: Collected<V>[] = []
  if (master.numThreads >= s.targetThreads) return { ci, looked }
  for (const pvc of list) {
    if (pvc.nRunnable === 0) {
      looked.push({ vcore: pvc, outcome: 'dropped' })
      continue
    }
    const how = canPiggyback(s, pvc, ci)
    looked.push({ vcore: pvc, outcome: how ?? 'left' })
    if (how !== null && ci.totalThreads >= s.targetThreads) break
  }
  return { ci, looked }
}

/** How kvmppc_run_core runs the core: the split and where each subcore's threads start. */
export interface SplitPlan {
  /** 1 (no split), 2 or 4 (HID0 1TO2LPAR / 1TO4LPAR on POWER8); POWER9 subcores need no split. */
  split: 1 | 2 | 4
  /** Threads per subcore of this run. */
  subcoreSize: number
  /** The first physical thread (index in the (sub)core) of each KVM subcore. */
  firstThread: number[]
}

/**
 * The split decision of kvmppc_run_core (b4deba5c): 2 subcores split 2-way when dynamic_mt_modes
 * allows it, any other number above 1 splits 4-way; subcore k starts at subcore_thread_map[k]. On
 * POWER9 (dependent threads) subcore k is thread k, one thread each, with no HID0 split.
 */
export function planSplit(
  processor: Processor,
  nSubcores: number,
  dynamicMtModes: number,
  unitThreads: number,
): SplitPlan {
  if (nSubcores <= 1) return { split: 1, subcoreSize: unitThreads, firstThread: [0] }
  if (processor === 'POWER9') {
    const firstThread = Array.from({ length: nSubcores }, (_, k) => k)
    return { split: 1, subcoreSize: 1, firstThread }
  }
  const split = nSubcores === 2 && dynamicMtModes & 2 ? 2 : 4
  return {
    split,
    subcoreSize: MAX_SMT_THREADS / split,
    firstThread: SUBCORE_THREAD_MAP.slice(0, nSubcores),
  }
}
