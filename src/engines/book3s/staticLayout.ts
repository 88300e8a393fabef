/**
 * Where each vcore's vcpus sit on the hardware when every created vcpu is runnable and none has
 * ceded: the cores × threads picture of one dispatch per vcore.
 *
 * Thread choice follows the design:
 * - `aligned` (e0b7ec05, `kvmppc_start_thread`): vcpu with virtual thread N on physical thread P+N;
 *   thread 0 is set up even with no vcpu, switches the MMU and naps (NAPPING_NOVCPU).
 * - `first-come` (@4b8473c9, `kvmppc_run_core`): threads handed out 0, 1, 2, ... in runnable-list
 *   order, here the order the vcpus were created; thread 0 always runs a vcpu.
 * Thread 0 switches the MMU in both (the primary thread does the partition switch).
 *
 * Which (sub)core a vcore gets is the host scheduler's choice (the runner task must sit on thread 0,
 * `on_primary_thread`); the kernel sources fix no order. This model gives each vcore the next free
 * (sub)core in vcore order, and says so in the layout (confidence `model`).
 */
import type {
  PowerCore,
  PowerLayout,
  PowerThread,
  PowerVcore,
  ThreadRole,
} from '../../shared/result'
import type { Book3sDesign } from '../../shared/scenario/book3sScenario'
import { hostCpu, subcoreCount, type Topology } from './topology'
import type { CreatedVcpu } from './vcpuCreate'

export const PLACEMENT_RULE =
  'each vcore with a created vcpu takes the next free (sub)core in vcore order; all its vcpus runnable, none ceded'

export function buildStaticLayout(
  topo: Topology,
  design: Book3sDesign,
  vcpus: readonly CreatedVcpu[],
): PowerLayout {
  const members = new Map<number, CreatedVcpu[]>()
  for (const v of vcpus) {
    if (!v.created || v.vcore === null) continue
    const list = members.get(v.vcore)
    if (list) list.push(v)
    else members.set(v.vcore, [v])
  }
  const vcoreIds = [...members.keys()].sort((a, b) => a - b)
  const units = subcoreCount(topo)

  const cores: PowerCore[] = []
  for (let c = 0; c < topo.cores; c++) {
    const subcores = []
    for (let s = 0; s < topo.subcoresPerCore; s++) {
      const threads: PowerThread[] = []
      for (let t = 0; t < topo.threadsPerSubcore; t++) {
        threads.push({
          thread: s * topo.threadsPerSubcore + t,
          subcoreThread: t,
          cpu: hostCpu(topo, c, s, t),
          vcpu: null,
          role: 'idle',
          switchesMmu: false,
        })
      }
      subcores.push({ subcore: s, vcore: null as number | null, threads })
    }
    cores.push({ core: c, subcores })
  }

  const vcores: PowerVcore[] = vcoreIds.map((vc, k) => {
    const list = members.get(vc) ?? []
    const first = list[0]
    const base: PowerVcore = {
      vcore: vc,
      firstVcpuId: first ? first.firstVcpuId : null,
      vcpus: list.map((v) => v.id),
      placedOn: null,
    }
    if (k >= units) return base
    const c = Math.floor(k / topo.subcoresPerCore)
    const s = k % topo.subcoresPerCore
    const sub = cores[c]!.subcores[s]!
    sub.vcore = vc
    list.forEach((v, i) => {
      const t = design === 'aligned' ? (v.ptid as number) : i
      const th = sub.threads[t]!
      th.vcpu = v.id
      th.role = 'guest'
    })
    const t0 = sub.threads[0]!
    t0.switchesMmu = true
    if (t0.vcpu === null) t0.role = roleOfEmptyThread0(design)
    base.placedOn = { core: c, subcore: s, pcpu: hostCpu(topo, c, s, 0) }
    return base
  })

  return {
    kind: 'power',
    processor: topo.processor,
    threadsPerCore: topo.threadsPerCore,
    subcoresPerCore: topo.subcoresPerCore,
    threadsPerSubcore: topo.threadsPerSubcore,
    cores,
    vcores,
    placement: { rule: PLACEMENT_RULE, confidence: 'model' },
  }
}

function roleOfEmptyThread0(design: Book3sDesign): ThreadRole {
  // Under first-come thread 0 always runs vcpu0, so an empty thread 0 cannot happen there.
  return design === 'aligned' ? 'no-vcpu-nap' : 'idle'
}
