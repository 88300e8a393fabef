/**
 * Puts every Xen event on the timeline: `track` is the vCPU it happened on and `toTracks` the vCPUs
 * it points at (the vCPU a hypercall names when that is another one, the vCPU an IPI is bound to,
 * the vCPU a bring-up starts, the targets of a call-function). Linux CPUs are mapped to the vCPU
 * they ran on; a CPU keeps its vCPU for the whole run in this model, so the final placement is the
 * placement at every event.
 */
import type { CpuDetail, XenEvent } from '../../shared/result'

export function placeEvents(
  events: XenEvent[],
  cpus: readonly CpuDetail[],
  vcpuTracks: number,
): void {
  // One string per vCPU track and one single-target array per vCPU, shared by every event.
  const ids = Array.from({ length: vcpuTracks }, (_, v) => `vcpu${v}`)
  const one = ids.map((id) => [id])
  const inRange = (v: number | null | undefined): v is number =>
    v !== null && v !== undefined && v >= 0 && v < vcpuTracks
  const trackOf = (v: number | null | undefined) => (inRange(v) ? ids[v] : undefined)
  const vcpuOfCpu: (number | undefined)[] = []
  for (const c of cpus) if (c.vcpu !== null) vcpuOfCpu[c.cpu] = c.vcpu
  const ofCpu = (cpu: number) => trackOf(vcpuOfCpu[cpu])
  /** The arrow to one vCPU, unless it is where the event happened. */
  const to = (v: number | null | undefined, from: number | undefined) =>
    inRange(v) && v !== from ? one[v] : undefined
  for (const e of events) {
    switch (e.kind) {
      case 'hypercall':
        e.track = trackOf(e.onVcpu)
        e.toTracks = to(e.vcpu, e.onVcpu)
        break
      case 'ipi':
        e.track = ofCpu(e.from)
        e.toTracks = to(e.boundVcpu, undefined)
        break
      case 'ap-start':
        e.track = ofCpu(e.from)
        e.toTracks = to(e.vcpu, vcpuOfCpu[e.from])
        break
      case 'call-function': {
        const from = vcpuOfCpu[e.from]
        e.track = trackOf(from)
        const targets = new Set<string>()
        for (const t of e.targets) {
          const v = vcpuOfCpu[t]
          if (inRange(v) && v !== from) targets.add(ids[v] as string)
        }
        e.toTracks = targets.size > 0 ? [...targets] : undefined
        break
      }
      case 'soft-reset':
        e.track = trackOf(e.crashedVcpu)
        break
      default:
        e.track = ofCpu(e.cpu)
    }
  }
}
