/**
 * What the layout views draw for a Xen run — Linux CPUs ↔ the ids their hypercalls carry ↔ Xen
 * vCPUs ↔ MADT ACPI/APIC ids (or ARM MPIDRs), each with its state and the hypercall that failed
 * it — and the fixed `details.cpus[]`.
 */
import type {
  CpuDetail,
  HypercallEvent,
  Track,
  XenLayout,
  XenLayoutCpu,
  XenLayoutVcpu,
} from '../../shared/result'
import type { Guest, LinuxCpu } from './guest'
import { armMpidr, type MadtEntry } from './idSources'
import { domainMaxVcpus } from './hypervisor'

/** A CPU that never ran: why, in a few words. */
export function neverReason(g: Guest, c: LinuxCpu): string {
  if (g.startError) return `not brought up: ${g.startError}`
  // a CPU that is not present is never brought up at boot, panic or not
  if (!c.present) {
    if (g.kind !== 'hvm') return 'possible but not present'
    // prefill_possible_map (arch/x86/kernel/smpboot.c): every disabled MADT entry is a hotplug CPU
    const n = g.numbering
    const allowing = n
      ? `Allowing ${n.possible} CPUs, ${Math.max(n.possible - n.presentCount, 0)} hotplug CPUs; `
      : ''
    const v = c.startsOn
    const entry =
      v === null
        ? 'a disabled MADT entry'
        : v >= g.s.guest.maxVcpus
          ? `MADT entry of vCPU ${v}, which the domain does not have`
          : `MADT entry disabled: vCPU ${v} not online at boot`
    return `hotplug CPU: possible, not present (${allowing}${entry})`
  }
  if (g.panicked) return 'not brought up: the guest panicked'
  return 'not brought up'
}

export function cpuDetails(g: Guest): CpuDetail[] {
  const out: CpuDetail[] = []
  for (const c of g.cpus) {
    if (!c) continue
    const never = c.state === 'never'
    out.push({
      cpu: c.cpu,
      vcpu: g.vcpuOf(c.cpu),
      acpiId: c.acpiId,
      apicId: c.apicId,
      state: never ? 'offline' : (c.state as CpuDetail['state']),
      reason: never ? neverReason(g, c) : c.reason,
    })
  }
  return out
}

function failedCall(g: Guest, c: LinuxCpu): XenLayoutCpu['failedCall'] {
  if (c.failedEvent === null) return null
  const e = g.rec.events[c.failedEvent]
  if (!e || e.kind !== 'hypercall') return null
  const h = e as HypercallEvent
  return { event: c.failedEvent, op: h.op, vcpu: h.vcpu, rc: h.rc, errno: h.errno }
}

export function buildLayout(
  g: Guest,
  details: CpuDetail[],
  madt: readonly MadtEntry[] | null,
  outcome: XenLayout['outcome'],
): XenLayout {
  const byCpu = new Map(details.map((d) => [d.cpu, d]))
  const cpus: XenLayoutCpu[] = []
  for (const c of g.cpus) {
    if (!c) continue
    const d = byCpu.get(c.cpu) as CpuDetail
    // spelt out rather than spread: a spread plus six more fields is a slow path in V8
    cpus.push({
      cpu: d.cpu,
      vcpu: d.vcpu,
      acpiId: d.acpiId,
      apicId: d.apicId,
      state: d.state,
      reason: d.reason,
      vcpuId: c.id,
      idSource: c.idSource,
      startsOn: c.startsOn,
      mpidr: c.mpidr,
      readsVcpuInfoOf: c.vcpuInfoOf,
      failedCall: failedCall(g, c),
    })
  }
  const vcpus: XenLayoutVcpu[] = g.hv.vcpus.map((v) => {
    const entry = madt?.[v.id]
    const cpu = g.cpuOn(v.id)
    return {
      vcpu: v.id,
      online: v.id < g.s.guest.onlineVcpus,
      up: v.up,
      acpiId: entry ? entry.acpiId : null,
      apicId: entry ? entry.apicId : null,
      mpidr: g.kind === 'arm' ? armMpidr(v.id, g.minor) : null,
      cpu: cpu >= 0 ? cpu : null,
      vcpuInfo: v.vcpuInfo,
      fifoControlBlock: v.fifoBlock,
    }
  })
  const limit = domainMaxVcpus(g.kind, g.minor)
  const requested = g.s.guest.eventChannels
  return {
    kind: 'xen',
    guestType: g.s.guest.type,
    xenVersion: g.s.xen.version,
    linuxCode: linuxCode(g),
    design: g.design.name,
    eventChannels: {
      requested,
      effective: g.code2007 ? '2l' : g.abi,
      why: g.code2007
        ? 'the 2007 code knows only 2-level event channels (FIFO arrived in Linux 3.14 / Xen 4.4)'
        : g.abiWhy,
    },
    idBeforeSet: { kind: g.s.linux.idBeforeSet, value: g.beforeSet, read: g.beforeSetRead },
    domain: {
      buildable: g.s.guest.maxVcpus <= limit,
      why:
        g.s.guest.maxVcpus <= limit
          ? null
          : `Xen allows at most ${limit} vCPUs for this guest type; the model extends its rules beyond that`,
    },
    bootEnd: g.bootEnd,
    outcome,
    cpus,
    vcpus,
  }
}

function linuxCode(g: Guest): string {
  if (g.code2007) return 'f87e4cac "xen: SMP guest support" (2007, arch/i386/xen)'
  return `${g.era.code}, ${g.design.code}`
}

export function buildTracks(g: Guest): Track[] {
  const vcpus = g.rec.tracks.map((t, v) => {
    const cpu = g.cpuOn(v)
    return {
      id: `vcpu${v}`,
      label: cpu >= 0 ? `vCPU ${v} · cpu ${cpu}` : `vCPU ${v}`,
      group: 'Xen vCPUs',
      spans: t.spans,
    }
  })
  return g.rec.ids.withNoVcpu(vcpus)
}
