/**
 * The `xen` engine: how a Linux guest on Xen numbers its CPUs, which vCPU id each hypercall
 * carries under each design (raw-cpu, 88e957d6 "xen: introduce xen_vcpu_id mapping", de75abbe
 * "arm/xen: fix SMP guests boot", and de75abbe's two proposals), what a model Xen answers, and
 * the SMP operations of f87e4cac "xen: SMP guest support" on top. Facts, orders and return codes:
 * each function below cites the Linux or Xen source it follows (docs/engines.md lists the trees).
 *
 * A run has two phases on one simulation: the boot (a kdump crash kernel after a soft reset, or
 * a normal boot) until it settles, then the workload with `at` counted from that tick. A
 * smp_call_function that never completes is reported as a hang in the result, never an exception.
 */
import { placeEvents } from './place'
import type { XenRunResult } from '../../shared/result'
import type { XenScenario } from '../../shared/scenario/xenScenario'
import { MAX_RECORDED, RecordBudget, checkRequested, countRecorded, type RunHooks } from '../kernel'
import { bootGuest } from './bringUp'
import { XEN_DESIGN_TABLE } from '../../designs/xen'
import { LINUX_ERA_TABLE } from '../../designs/xenEras'
import { buildChecks, buildMetrics, scan, type BootSnapshot } from './checks'
import { Guest } from './guest'
import type { GuestKind } from './hypervisor'
import { armMpidr, buildMadt, idBeforeSetValue, X86CpuNumbering, type MadtEntry } from './idSources'
import { buildLayout, buildTracks, cpuDetails } from './layout'
import { TRACK_STATES } from './recorder'
import { settleCalls } from './smp'
import { XEN_REDUCE, requestedWork, scheduleWorkload, settleSteps } from './workload'
import type { LinuxTree } from './sources'

export const XEN_ENGINE_VERSION = 'xen-0.1.0'

export interface XenEngineOptions {
  maxEvents?: number
  /** Most events and spans the run may record (kernel/recordBudget.ts; MAX_RECORDED if absent). */
  maxRecorded?: number
  hooks?: RunHooks
}

const DEFAULT_MAX_EVENTS = 50_000_000
const FOREVER = Number.MAX_SAFE_INTEGER

export function xenMinor(version: string): number {
  return Number(version.split('.')[1])
}

export function runXen(s: XenScenario, options: XenEngineOptions = {}): XenRunResult {
  const minor = xenMinor(s.xen.version)
  const kind: GuestKind = s.guest.type === 'pvhvm' || s.guest.type === 'pvh' ? 'hvm' : s.guest.type
  const tree: LinuxTree =
    kind === 'pv' && XEN_DESIGN_TABLE[s.linux.design].pvIs2007
      ? 'f87e4cac'
      : LINUX_ERA_TABLE[s.linux.era].tree
  const kdump = s.guest.boot.kind === 'kdump'
  const bootVcpu = s.guest.boot.kind === 'kdump' ? s.guest.boot.crashedVcpu : 0
  const limit = options.maxRecorded ?? MAX_RECORDED
  checkRequested(requestedWork(s), limit)
  const budget = new RecordBudget(limit, XEN_REDUCE)
  const g = new Guest(
    { s, minor, kind, tree, bootVcpu, budget },
    idBeforeSetValue(s.linux.idBeforeSet, bootVcpu),
  )
  if (kdump) g.conf = 'derived'
  for (const t of g.rec.tracks) t.set(0, 'down')
  const madt = setupCpus(g)

  const started = !kdump || softReset(g)
  if (started) {
    g.place(0, bootVcpu)
    g.rt.spawn(0, bootGuest(g))
  }
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS
  const hooks = { ...countRecorded(options.hooks, budget), describePending: () => pending(g) }
  g.rt.sim.run({ until: FOREVER, maxEvents }, hooks)
  g.bootEnd = g.now
  const boot: BootSnapshot = {
    states: g.cpus.map((c) => c?.state ?? 'never'),
    expected: g.cpus.map((c) => c?.expected ?? false),
  }

  scheduleWorkload(g)
  const until = s.workload.until === null ? FOREVER : g.bootEnd + s.workload.until
  const run = g.rt.sim.run({ until, maxEvents }, hooks)
  settleCalls(g)
  settleSteps(g, run.end)
  // A drained run with an observation window shows the window (a hung caller keeps spinning).
  const end = s.workload.until === null ? run.end : Math.max(run.end, until)
  for (const t of g.rec.tracks) t.close(end)

  const details = cpuDetails(g)
  const events = placeEvents(
    g.rec.events,
    g.rec.unplaced,
    g.cpus.map((c) => c && { vcpu: g.vcpuOf(c.cpu), startsOn: c.startsOn }),
    g.rec.ids,
  )
  const sc = scan(g)
  const outcome = !started ? 'not-started' : g.panicked ? 'panicked' : 'booted'
  return {
    schemaVersion: 1,
    engine: 'xen',
    design: s.linux.design,
    seed: s.seed,
    engineVersion: XEN_ENGINE_VERSION,
    scenario: s,
    layout: buildLayout(g, details, madt, outcome),
    timeline: {
      tickUnit:
        '1 tick = 1 modelled step (a hypercall or kernel step, about 1 µs); durations are the model’s, only the order is asserted',
      end,
      states: TRACK_STATES,
      tracks: buildTracks(g),
    },
    events,
    metrics: buildMetrics(g, boot, sc),
    checks: buildChecks(g, boot, sc),
    details: { cpus: details },
    run,
  }
}

/**
 * The guest's possible CPUs, as Linux numbers them: PVHVM from the MADT Xen builds (boot APIC
 * first), ARM from the device tree (cpu i is vCPU i), PV from VCPUOP_is_up at boot (cpu 0 now,
 * the rest when xen_fill_possible_map runs). Returns the MADT for the layout (PVHVM only).
 */
function setupCpus(g: Guest): MadtEntry[] | null {
  const s = g.s
  if (g.kind === 'pv') {
    g.addCpu(0, { startsOn: 0, expected: true })
    return null
  }
  const mappedBefore = (cpu: number) =>
    g.mapped && cpu !== 0 ? { id: g.beforeSet, idSource: 'before-set' as const } : {}
  if (g.kind === 'arm') {
    const n = Math.min(s.guest.maxVcpus, s.guest.nrCpus)
    for (let cpu = 0; cpu < n; cpu++) {
      g.addCpu(cpu, {
        startsOn: cpu,
        mpidr: armMpidr(cpu, g.minor),
        expected: cpu < s.guest.onlineVcpus,
        ...(g.design.armShowsBeforeSet ? mappedBefore(cpu) : {}),
      })
    }
    return null
  }
  const madt = buildMadt(g.minor, s.guest.maxVcpus, s.guest.onlineVcpus, g.pvh)
  const numbering = new X86CpuNumbering(g.era, s.guest.nrCpus, 2 * g.bootVcpu).parse(madt)
  g.numbering = numbering
  for (let cpu = 0; cpu < numbering.possible; cpu++) {
    const e = numbering.entryOf(cpu)
    g.addCpu(cpu, {
      apicId: e?.apicId ?? null,
      acpiId: e?.acpiId ?? null,
      startsOn: e ? e.apicId >> 1 : null,
      present: e?.present ?? false,
      // PVH on Xen before 4.19 enables every MADT entry; the xenstore watcher then takes the
      // vCPUs that are not available down again (derived).
      expected: (e?.present ?? false) && (!g.pvh || cpu < s.guest.onlineVcpus),
      // A PVH vCPU the toolstack left offline but the MADT enabled: its bring-up is derived.
      ...(g.pvh && cpu >= s.guest.onlineVcpus ? { conf: 'derived' as const } : {}),
      ...mappedBefore(cpu),
    })
  }
  return madt
}

/**
 * kdump: the crashed vCPU continues into the crash kernel after `xen_hvm_crash_shutdown` →
 * SHUTDOWN_soft_reset → `domain_soft_reset` (xen/common/domain.c, Xen 4.7+; arch/x86/xen/enlighten.c v4.8.15); the other vCPUs halted with
 * interrupts off and are down. Xen before 4.7 has no soft reset (1a043f9dc7): no crash kernel.
 */
function softReset(g: Guest): boolean {
  const crashed = g.bootVcpu
  const supported = g.minor >= 7
  const down: number[] = []
  for (let v = 0; v < g.s.guest.onlineVcpus; v++) if (v !== crashed) down.push(v)
  g.push({
    kind: 'soft-reset',
    at: 0,
    crashedVcpu: crashed,
    downVcpus: down,
    supported,
    source: supported
      ? 'xen_hvm_crash_shutdown (arch/x86/xen/enlighten.c) → SHUTDOWN_soft_reset / domain_soft_reset (xen/common/domain.c)'
      : 'SHUTDOWN_soft_reset arrived with 1a043f9dc7, first in Xen 4.7',
    confidence: 'derived',
  })
  if (supported) {
    g.hv.softReset()
    return true
  }
  const c0 = g.cpus[0]
  g.startError = 'the crash kernel never started'
  if (c0) {
    c0.state = 'failed'
    c0.reason = `no soft reset before Xen 4.7: the crash kernel never starts on vCPU ${crashed}`
  }
  return false
}

function pending(g: Guest): string {
  const spinning = g.cpus.filter((c) => c?.spinningSince !== null && c?.spinningSince !== undefined)
  if (spinning.length === 0) return ''
  return `cpu ${spinning.map((c) => c.cpu).join(', ')} spinning in smp_call_function`
}
