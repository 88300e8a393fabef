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
  const trackOf = (vcpu: number | null | undefined): string | undefined =>
    vcpu !== null && vcpu !== undefined && vcpu >= 0 && vcpu < vcpuTracks
      ? `vcpu${vcpu}`
      : undefined
  const vcpuOfCpu = new Map<number, number>()
  for (const c of cpus) if (c.vcpu !== null) vcpuOfCpu.set(c.cpu, c.vcpu)
  const ofCpu = (cpu: number) => trackOf(vcpuOfCpu.get(cpu))
  const targets = (xs: (string | undefined)[], from: string | undefined): string[] | undefined => {
    const out = [...new Set(xs.filter((x): x is string => x !== undefined && x !== from))]
    return out.length > 0 ? out : undefined
  }
  for (const e of events) {
    switch (e.kind) {
      case 'hypercall':
        e.track = trackOf(e.onVcpu)
        e.toTracks = e.vcpu !== e.onVcpu ? targets([trackOf(e.vcpu)], e.track) : undefined
        break
      case 'ipi':
        e.track = ofCpu(e.from)
        e.toTracks = targets([trackOf(e.boundVcpu)], undefined)
        break
      case 'ap-start':
        e.track = ofCpu(e.from)
        e.toTracks = targets([trackOf(e.vcpu)], e.track)
        break
      case 'call-function':
        e.track = ofCpu(e.from)
        e.toTracks = targets(e.targets.map(ofCpu), e.track)
        break
      case 'soft-reset':
        e.track = trackOf(e.crashedVcpu)
        break
      default:
        e.track = ofCpu(e.cpu)
    }
  }
}
