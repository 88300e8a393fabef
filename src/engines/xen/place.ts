/**
 * Puts every Xen event on the timeline: `track` is the vCPU it happened on and `toTracks` the vCPUs
 * it points at (the vCPU a hypercall names when that is another one, the vCPU an IPI is bound to,
 * the vCPU a bring-up starts, the targets of a call-function). Linux CPUs are mapped to the vCPU
 * they ran on; a CPU keeps its vCPU for the whole run in this model, so the final placement is the
 * placement at every event. A CPU that never ran is drawn on the vCPU it would start on; one with
 * neither (not a possible CPU, or a hotplug CPU with no vCPU) on a track of its own, `no-vcpu`,
 * which the timeline has only when an event is on it. Every event gets a track.
 *
 * Hypercalls and IPIs, the events large runs are made of, are placed when they are recorded (their
 * placement depends only on their own fields and on the sender, which is running); the rest are
 * placed once at the end of the run. Placing everything at the end would read every event object
 * again, a cache miss each on runs of a million events.
 */
import type { Track, XenEvent } from '../../shared/result'

/** An event as recorded: placed already (`track` set), or left for `placeEvents`. */
export type Recorded<E extends XenEvent = XenEvent> = E extends unknown
  ? Omit<E, 'track'> & { track?: string }
  : never

/** The track of events of Linux CPUs that have no vCPU to be drawn on. */
export const NO_VCPU_TRACK = 'no-vcpu'

/** One track id string per vCPU and one single-target array per vCPU, shared by every event. */
export class VcpuTracks {
  readonly ids: readonly string[]
  private readonly one: string[][]

  /** Whether an event is on the `no-vcpu` track. */
  private noVcpuUsed = false

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

  /** The `no-vcpu` track, for an event of a CPU with no vCPU. */
  noVcpu(): string {
    this.noVcpuUsed = true
    return NO_VCPU_TRACK
  }

  /** The timeline's tracks: `vcpus` (one per vCPU), then `no-vcpu` when an event is on it. */
  withNoVcpu(vcpus: Track[]): Track[] {
    if (!this.noVcpuUsed) return vcpus
    return [
      ...vcpus,
      { id: NO_VCPU_TRACK, label: 'cpus with no vCPU', group: 'Linux CPUs', spans: [] },
    ]
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
}

/** What placing needs of a Linux CPU: the vCPU it ran on, and the one it would start on. */
export interface CpuPlace {
  vcpu: number | null
  startsOn: number | null
}

/**
 * Places the events at `indices` (those not placed when recorded): afterwards every event has its
 * track. `cpus[k]` is Linux CPU k, or undefined where the guest has no such CPU.
 */
export function placeEvents(
  events: Recorded[],
  indices: readonly number[],
  cpus: readonly (CpuPlace | undefined)[],
  tracks: VcpuTracks,
): XenEvent[] {
  const vcpuOfCpu = cpus.map((c) => c?.vcpu ?? undefined)
  const ofCpu = (cpu: number): string => {
    const c = cpus[cpu]
    return (c && tracks.id(c.vcpu ?? c.startsOn)) ?? tracks.noVcpu()
  }
  for (const i of indices) {
    const e = events[i] as Recorded
    switch (e.kind) {
      case 'hypercall':
        e.track = tracks.id(e.onVcpu) ?? ofCpu(e.cpu)
        e.toTracks = tracks.to(e.vcpu, e.onVcpu)
        break
      case 'ipi':
        e.track = ofCpu(e.from)
        e.toTracks = tracks.to(e.boundVcpu, undefined)
        break
      case 'ap-start':
        e.track = ofCpu(e.from)
        e.toTracks = tracks.to(e.vcpu, vcpuOfCpu[e.from])
        break
      case 'call-function':
        e.track = ofCpu(e.from)
        e.toTracks = tracks.targets(e.targets, vcpuOfCpu[e.from], vcpuOfCpu)
        break
      case 'soft-reset':
        e.track = tracks.id(e.crashedVcpu) ?? tracks.noVcpu()
        break
      default:
        e.track = ofCpu(e.cpu)
    }
  }
  // Every event now has its track: placed when recorded, or above.
  return events as XenEvent[]
}
