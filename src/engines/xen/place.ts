/**
 * Puts every Xen event on the timeline: `track` is the vCPU it happened on and `toTracks` the vCPUs
 * it points at (the vCPU a hypercall names when that is another one, the vCPU an IPI is bound to,
 * the vCPU a bring-up starts, the targets of a call-function). Linux CPUs are mapped to the vCPU
 * they ran on; a CPU keeps its vCPU for the whole run in this model, so the final placement is the
 * placement at every event.
 *
 * Hypercalls and IPIs, the events large runs are made of, are placed when they are recorded (their
 * placement depends only on their own fields and on the sender, which is running); the rest are
 * placed once at the end of the run. Placing everything at the end would read every event object
 * again, a cache miss each on runs of a million events.
 */
import type { CpuDetail, XenEvent } from '../../shared/result'

/** One track id string per vCPU and one single-target array per vCPU, shared by every event. */
export class VcpuTracks {
  readonly ids: readonly string[]
  private readonly one: string[][]

  constructor(readonly count: number) {
    this.ids = Array.from({ length: count }, (_, v) => `vcpu${v}`)
    this.one = this.ids.map((id) => [id])
    this.seen = new Int32Array(count)
  }

  inRange(v: number | null | undefined): v is number {
    return v !== null && v !== undefined && v >= 0 && v < this.count
  }

  /** The track of vCPU `v`. */
  id(v: number | null | undefined): string | undefined {
    return this.inRange(v) ? this.ids[v] : undefined
  }

  /** The arrow to vCPU `v`, unless that is where the event happened (`from`). */
  to(v: number | null | undefined, from: number | undefined): string[] | undefined {
    return this.inRange(v) && v !== from ? this.one[v] : undefined
  }

  /** `seen[v] === stamp`: vCPU v is already a target of the call-function being placed. */
  private readonly seen: Int32Array
  private stamp = 0

  /**
   * The tracks a call-function points at: each target's vCPU once, not the caller's (`from`).
   * `vcpuOfCpu[cpu]` is the vCPU a CPU runs on (undefined or -1 when none). The array is sized
   * once and trimmed (growing a 2047-entry array by push costs more than the loop), and the loop
   * makes no method calls: it runs for every call-function of a large run.
   */
  targets(
    targets: readonly number[],
    from: number | undefined,
    vcpuOfCpu: ArrayLike<number | undefined>,
  ): string[] | undefined {
    const out: string[] = new Array<string>(targets.length)
    const { ids, count, seen } = this
    const stamp = ++this.stamp
    let n = 0
    for (let k = 0; k < targets.length; k++) {
      const v = vcpuOfCpu[targets[k] as number]
      if (v === undefined || v < 0 || v >= count || v === from || seen[v] === stamp) continue
      seen[v] = stamp
      out[n++] = ids[v] as string
    }
    out.length = n
    return n > 0 ? out : undefined
  }

  /** Where a hypercall sits: the vCPU it executed on, pointing at the vCPU it names. */
  placeHypercall(e: { onVcpu: number; vcpu: number | null; track?: string; toTracks?: string[] }) {
    e.track = this.id(e.onVcpu)
    e.toTracks = this.to(e.vcpu, e.onVcpu)
  }
}

/** Places the events at `indices` (those not placed when recorded). */
export function placeEvents(
  events: XenEvent[],
  indices: readonly number[],
  cpus: readonly CpuDetail[],
  tracks: VcpuTracks,
): void {
  const vcpuOfCpu: (number | undefined)[] = []
  for (const c of cpus) if (c.vcpu !== null) vcpuOfCpu[c.cpu] = c.vcpu
  const ofCpu = (cpu: number) => tracks.id(vcpuOfCpu[cpu])
  for (const i of indices) {
    const e = events[i] as XenEvent
    switch (e.kind) {
      case 'hypercall':
        tracks.placeHypercall(e)
        break
      case 'ipi':
        e.track = ofCpu(e.from)
        e.toTracks = tracks.to(e.boundVcpu, undefined)
        break
      case 'ap-start':
        e.track = ofCpu(e.from)
        e.toTracks = tracks.to(e.vcpu, vcpuOfCpu[e.from])
        break
      case 'call-function': {
        const from = vcpuOfCpu[e.from]
        e.track = tracks.id(from)
        e.toTracks = tracks.targets(e.targets, from, vcpuOfCpu)
        break
      }
      case 'soft-reset':
        e.track = tracks.id(e.crashedVcpu)
        break
      default:
        e.track = ofCpu(e.cpu)
    }
  }
}
