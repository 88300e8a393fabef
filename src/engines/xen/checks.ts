/**
 * The checks a kernel engineer would assert about a run, each with the source it rests on and the
 * events that broke it (`refs`), and the run's metrics. A failing check is only as sure as the
 * weakest event it rests on (a derived BUG makes a derived failure).
 */
import type {
  Check,
  Confidence,
  CpuState,
  HypercallEvent,
  IpiEvent,
  Metric,
  XenEvent,
} from '../../shared/result'
import type { Guest } from './guest'
import type { Recorded } from './place'
import { neverReason } from './layout'
import { armMaxVcpus, domainMaxVcpus } from './hypervisor'

const RANK: Record<Confidence, number> = { model: 0, derived: 1, source: 2 }

function weakest(events: readonly Recorded[], refs: readonly number[]): Confidence {
  let c: Confidence = 'source'
  for (const r of refs) {
    const e = events[r]
    if (e && RANK[e.confidence] < RANK[c]) c = e.confidence
  }
  return c
}

function check(
  g: Guest,
  id: string,
  ok: boolean,
  message: string,
  source: string,
  refs: number[],
): Check {
  return { id, ok, message, source, confidence: ok ? 'source' : weakest(g.rec.events, refs), refs }
}

/** The ops whose vCPU argument must be the vCPU the CPU they act for runs on. */
function namesOwnVcpu(e: HypercallEvent): boolean {
  if (e.vcpu === null) return false
  return e.op.startsWith('VCPUOP_') || e.op.startsWith('EVTCHNOP_')
}

const TYPE_NAMES = { pv: 'PV', hvm: 'PVHVM', arm: 'ARM' } as const

const list = (xs: readonly string[], n = 4) =>
  xs.slice(0, n).join('; ') + (xs.length > n ? `; and ${xs.length - n} more` : '')

/**
 * What the checks and metrics need from the events: counts the recorder kept, then the IPIs and the
 * hypercalls that name a vCPU, read once more at the end.
 */
export interface Scan {
  /** Hypercalls naming a vCPU other than the one their CPU runs on. */
  wrong: number[]
  wrongText: string[]
  ipis: number
  /** IPIs that did not reach their target. */
  missed: number[]
  bugs: number[]
  hypercalls: number
  failed: number
  ipi: { sent: number; delivered: number; misdelivered: number; lost: number }
}

export function scan(g: Guest): Scan {
  const out: Scan = {
    wrong: [],
    wrongText: [],
    ipis: 0,
    missed: [],
    bugs: [],
    hypercalls: 0,
    failed: 0,
    ipi: { sent: 0, delivered: 0, misdelivered: 0, lost: 0 },
  }
  const rec = g.rec
  const events = rec.events
  out.hypercalls = rec.hypercalls
  out.failed = rec.failedHypercalls
  // indexed loops: this runs once, and a for-of over 300k entries allocates an iterator result
  // per entry until V8 optimises it
  for (let k = 0; k < rec.namingCalls.length; k++) {
    const i = rec.namingCalls[k] as number
    const e = events[i] as HypercallEvent
    if (!namesOwnVcpu(e)) continue
    const c = g.cpus[e.forCpu]
    const ran = g.vcpuOf(e.forCpu)
    const runs = c ? (ran ?? c.startsOn) : null
    if (runs === null || e.vcpu === runs) continue
    out.wrong.push(i)
    if (out.wrongText.length < 4) {
      // A CPU refused before it started has never run: say where it was to start.
      const where =
        ran !== null ? `which runs on vCPU ${runs}` : `which was to start on vCPU ${runs}`
      out.wrongText.push(`${e.op}(${e.vcpu}) for cpu ${e.forCpu}, ${where}`)
    }
  }
  const n = rec.ipiCount
  const { notSent, delivered, misdelivered } = rec.tallyIpis(out.missed)
  out.ipis = n
  out.ipi = { sent: n - notSent, delivered, misdelivered, lost: n - delivered - misdelivered }
  out.bugs = rec.bugs.slice()
  return out
}

/** Each CPU's state and whether it should be online, when the boot settled. */
export interface BootSnapshot {
  states: (CpuState | 'never')[]
  expected: boolean[]
}

/** What every check rule reads: the guest at the end, the boot as it settled, and the scan. */
interface CheckInput {
  g: Guest
  boot: BootSnapshot
  sc: Scan
}

/** One check, or null when it does not apply to the run (no IPIs, no exit-mmap, …). */
type CheckRule = (x: CheckInput) => Check | null

/** Every CPU that should be up at boot is online (smp_init → cpu_up). */
const expectedCpusOnline: CheckRule = ({ g, boot }) => {
  const expected = g.cpus.filter((c) => c && boot.expected[c.cpu])
  const notUp = expected.filter((c) => boot.states[c.cpu] !== 'online')
  return check(
    g,
    'expected-cpus-online',
    notUp.length === 0,
    notUp.length === 0
      ? `every CPU that should come up at boot is online (${expected.length})`
      : `${notUp.length} of ${expected.length} CPUs that should come up are not online: ` +
          list(notUp.map((c) => `cpu ${c.cpu}: ${c.reason ?? neverReason(g, c)}`)),
    "smp_init → cpu_up (kernel/cpu.c, v4.8.15/v4.9.76); each CPU then follows its guest type's bring-up (arch/x86/xen/smp.c, enlighten.c; arch/arm/xen/enlighten.c)",
    notUp.map((c) => c.failedEvent).filter((e): e is number => e !== null),
  )
}

/** Every hypercall names the vCPU its CPU runs on (xen_vcpu_nr, 88e957d6; de75abbe). */
const hypercallTargetsOwnVcpu: CheckRule = ({ g, sc }) =>
  check(
    g,
    'hypercall-targets-own-vcpu',
    sc.wrong.length === 0,
    sc.wrong.length === 0
      ? 'every hypercall names the vCPU its CPU runs on'
      : `${sc.wrong.length} hypercall(s) name another vCPU: ${list(sc.wrongText)}`,
    '88e957d6 "xen: introduce xen_vcpu_id mapping" (xen_vcpu_nr) and de75abbe "arm/xen: fix SMP guests boot"',
    sc.wrong,
  )

/** No port of a CPU Linux counts online is bound to a vCPU that is down (set_pending). */
const noEventBoundToDownVcpu: CheckRule = ({ g }) => {
  const strays: number[] = []
  const strayText: string[] = []
  // an indexed loop: it runs once over every port (14k on 2048 vCPUs), mostly unoptimised
  for (let port = 0; port < g.portCount; port++) {
    const lp = g.linuxPort(port)
    if (lp === undefined) continue
    const owner = g.cpus[lp.cpu]
    const v = g.hv.boundVcpu(port)
    if (v < 0 || !owner || owner.state === 'offline') continue
    if (g.hv.isUp(v)) continue
    strays.push(lp.event)
    strayText.push(`cpu ${lp.cpu}'s ${lp.name} (port ${port}) is bound to vCPU ${v}, which is down`)
  }
  strays.sort((a, b) => a - b)
  return check(
    g,
    'no-event-bound-to-down-vcpu',
    strays.length === 0,
    strays.length === 0
      ? 'no event channel of a CPU Linux counts online (or of a failed one) is bound to a vCPU that is down'
      : `${strays.length} event channel(s) are bound to a down vCPU and are never seen: ${list(strayText)}`,
    'evtchn_2l_set_pending / evtchn_fifo_set_pending (xen/common): events go to notify_vcpu_id only',
    strays,
  )
}

/** Every IPI reached the CPU it was sent to (runs only when the run sent IPIs). */
const ipiReachesTarget: CheckRule = ({ g, sc }) => {
  if (sc.ipis === 0) return null
  const events = g.rec.events
  return check(
    g,
    'ipi-reaches-target',
    sc.missed.length === 0,
    sc.missed.length === 0
      ? `every IPI (${sc.ipis}) reached the CPU it was sent to`
      : `${sc.missed.length} of ${sc.ipis} IPIs did not reach the CPU they were sent to: ` +
          list(
            sc.missed.map((i) => {
              const e = events[i] as IpiEvent
              return `${e.vector} cpu ${e.from} → cpu ${e.to}: ${e.outcome}, ${e.cause ?? ''}`
            }),
            3,
          ),
    'f87e4cac "xen: SMP guest support": IPIs are event channels bound with EVTCHNOP_bind_ipi',
    sc.missed,
  )
}

/** Every smp_call_function ran on all its targets and returned (runs only when one was made). */
const callFunctionCompletes: CheckRule = ({ g }) => {
  const smp = g.smp
  if (smp.calls.length === 0) return null
  const bad = smp.calls.filter((d) => d.ev.hung || d.ev.missing.length > 0)
  // 2007: a second caller spins on call_lock while the first one never returns
  const callers = new Set(bad.filter((d) => d.ev.hung).map((d) => d.ev.from))
  const onLock = g.cpus.filter((c) => c && c.spinningSince !== null && !callers.has(c.cpu))
  const problems = [
    ...bad.map((d) =>
      d.ev.hung
        ? `cpu ${d.ev.from} hangs in smp_call_function (${d.ev.func}) since tick ${d.ev.at}: started ${d.ev.started}, finished ${d.ev.finished} of ${d.count}; never ran on cpu ${d.ev.missing.join(', ')}`
        : `smp_call_function from cpu ${d.ev.from} returned but never ran on cpu ${d.ev.missing.join(', ')}`,
    ),
    ...onLock.map((c) => `cpu ${c.cpu} spins on call_lock since tick ${c.spinningSince}`),
  ]
  return check(
    g,
    'call-function-completes',
    problems.length === 0,
    problems.length === 0
      ? `every smp_call_function (${smp.calls.length}) ran on all its targets and returned`
      : list(problems, 3),
    g.code2007
      ? 'xen_smp_call_function_mask (arch/i386/xen/smp.c, f87e4cac)'
      : 'smp_call_function_many (kernel/smp.c)',
    bad.map((d) => d.index),
  )
}

/** No page table was unpinned while a lazy CPU still had it in CR3 (runs with exit-mmap). */
const noUnpinWhileReferenced: CheckRule = ({ g }) => {
  if (!g.s.workload.steps.some((st) => st.do === 'exit-mmap')) return null
  const events = g.rec.events
  const inUse = g.smp.unpinsInUse
  const refs = inUse.map((u) => u.event)
  return check(
    g,
    'no-unpin-while-referenced',
    refs.length === 0,
    refs.length === 0
      ? 'every page table was unpinned only after every lazy TLB reference was dropped'
      : list(
          inUse.map(
            (u) =>
              `${(events[u.event] as HypercallEvent).op} while vCPU ${u.users.join(', ')} still had it in CR3`,
          ),
        ),
    'xen_exit_mmap / drop_mm_ref (arch/i386/xen/mmu.c, f87e4cac): "Xen will not allow an in-use pagetable to be unpinned"',
    refs,
  )
}

/** No BUG, BUG_ON or WARN_ON fired on a hypercall's result. */
const noBug: CheckRule = ({ g, sc }) => {
  const events = g.rec.events
  return check(
    g,
    'no-bug',
    sc.bugs.length === 0,
    sc.bugs.length === 0
      ? 'no BUG, BUG_ON or WARN_ON fired'
      : list(
          sc.bugs.map((i) => {
            const e = events[i] as Extract<XenEvent, { kind: 'bug' }>
            return `cpu ${e.cpu}: ${e.where}${e.panic ? ' (the guest panics)' : ''}`
          }),
        ),
    'the BUG/BUG_ON/WARN_ON on each hypercall result in the Linux sources',
    sc.bugs,
  )
}

/** Where Xen refuses an ARM domain of too many vCPUs, on this Xen (docs/engines.md). */
function armLimitSource(minor: number, version: string, gic: 'v2' | 'v3', limit: number): string {
  const virt = `MAX_VIRT_CPUS = ${armMaxVcpus(minor)} on Xen ${version} (asm-arm/config.h; 128 on arm64 from 4.6, 8f853b74df)`
  if (minor <= 5) return `XEN_DOMCTL_max_vcpus (xen/common/domctl.c) against ${virt}`
  const vgic = `the GIC${gic} vGIC's max_vcpus ${gic === 'v2' ? 8 : 4096}`
  if (minor <= 11)
    return `XEN_DOMCTL_max_vcpus: domain_max_vcpus = min(${virt}, ${vgic}) = ${limit} (bc3569b89b); libxl "Couldn't set max vcpu count"`
  return `XEN_DOMCTL_createdomain: arch_sanitise_domain_config, max_vcpus > min(vgic_max_vcpus: ${vgic}, ${virt}) = ${limit} is -EINVAL ("Requested vCPUs exceeds max" in debug builds; 344214c968)`
}

/** Xen builds a domain of this many vCPUs (XEN_DOMCTL_max_vcpus against the type's limit). */
const domainBuildable: CheckRule = ({ g }) => {
  const gic = g.s.guest.gic
  const limit = domainMaxVcpus(g.kind, g.minor, gic)
  const max = g.s.guest.maxVcpus
  const what =
    g.kind === 'arm'
      ? `ARM guest with a GIC${gic ?? 'v3'}`
      : `${g.pvh ? 'PVH' : TYPE_NAMES[g.kind]} guest`
  const where =
    g.kind === 'arm' && g.minor >= 12 ? 'XEN_DOMCTL_createdomain' : 'XEN_DOMCTL_max_vcpus'
  return {
    id: 'domain-buildable',
    ok: max <= limit,
    message:
      max <= limit
        ? `Xen builds ${max} vCPUs for this ${what}`
        : `Xen refuses ${max} vCPUs for this ${what} (${where}: -EINVAL above ${limit}); this run extends the model beyond what Xen builds`,
    source:
      g.kind === 'hvm'
        ? 'domain_max_vcpus = HVM_MAX_VCPUS (xen/include/asm-x86/domain.h, public/hvm/hvm_info_table.h)'
        : g.kind === 'arm'
          ? armLimitSource(g.minor, g.s.xen.version, gic ?? 'v3', limit)
          : 'domain_max_vcpus (xen/common/domctl.c XEN_DOMCTL_max_vcpus)',
    confidence: 'source',
    refs: [],
  }
}

/** The Xen checks, in the order the result lists them. */
const RULES: readonly CheckRule[] = [
  expectedCpusOnline,
  hypercallTargetsOwnVcpu,
  noEventBoundToDownVcpu,
  ipiReachesTarget,
  callFunctionCompletes,
  noUnpinWhileReferenced,
  noBug,
  domainBuildable,
]

export function buildChecks(g: Guest, boot: BootSnapshot, sc: Scan): Check[] {
  const x: CheckInput = { g, boot, sc }
  return RULES.map((rule) => rule(x)).filter((c): c is Check => c !== null)
}

export function buildMetrics(g: Guest, boot: BootSnapshot, sc: Scan): Record<string, Metric> {
  const m = (value: number, unit: string, label: string): Metric => ({ value, unit, label })
  const { hypercalls, failed, ipi } = sc
  const bugs = sc.bugs.length
  const online = boot.states.filter((s) => s === 'online').length
  const calls = g.smp.calls
  return {
    cpusOnline: m(online, 'cpus', 'CPUs online when the boot settled'),
    cpusExpected: m(boot.expected.filter(Boolean).length, 'cpus', 'CPUs that should come up'),
    cpusFailed: m(
      boot.states.filter((s) => s === 'failed').length,
      'cpus',
      'CPUs that failed to come up',
    ),
    hypercalls: m(hypercalls, 'calls', 'hypercalls'),
    hypercallsFailed: m(failed, 'calls', 'hypercalls Xen refused (rc < 0)'),
    ipisSent: m(ipi.sent, 'ipis', 'IPIs sent'),
    ipisDelivered: m(ipi.delivered, 'ipis', 'IPIs that reached their CPU'),
    ipisMisdelivered: m(ipi.misdelivered, 'ipis', 'IPIs handled by another CPU'),
    ipisLost: m(ipi.lost, 'ipis', 'IPIs no CPU saw (or never sent)'),
    callFunctions: m(calls.length, 'calls', 'smp_call_function calls'),
    callFunctionsHung: m(
      calls.filter((d) => d.ev.hung).length,
      'calls',
      'smp_call_function calls still spinning at the end',
    ),
    bugs: m(bugs, 'bugs', 'BUG/BUG_ON/WARN_ON fired'),
    bootTicks: m(g.bootEnd, 'ticks', 'ticks until the boot settled'),
  }
}
