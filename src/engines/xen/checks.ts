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
  Metric,
  XenEvent,
} from '../../shared/result'
import type { Guest } from './guest'
import { neverReason } from './layout'
import { ARM_MAX_VCPUS, HVM_MAX_VCPUS } from './hypervisor'

const RANK: Record<Confidence, number> = { model: 0, derived: 1, source: 2 }

function weakest(events: readonly XenEvent[], refs: readonly number[]): Confidence {
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

const list = (xs: readonly string[], n = 4) =>
  xs.slice(0, n).join('; ') + (xs.length > n ? `; and ${xs.length - n} more` : '')

/** One pass over the events: what the checks and metrics need. */
export interface Scan {
  /** Hypercalls naming a vCPU other than the one their CPU runs on. */
  wrong: number[]
  wrongText: string[]
  bugs: number[]
  hypercalls: number
  failed: number
}

export function scan(g: Guest): Scan {
  const out: Scan = {
    wrong: [],
    wrongText: [],
    bugs: [],
    hypercalls: 0,
    failed: 0,
  }
  const events = g.rec.events
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as XenEvent
    if (e.kind === 'hypercall') {
      out.hypercalls++
      if (e.rc < 0) out.failed++
      if (!namesOwnVcpu(e)) continue
      const c = g.cpus[e.forCpu]
      const runs = c ? (c.vcpu ?? c.startsOn) : null
      if (runs === null || e.vcpu === runs) continue
      out.wrong.push(i)
      if (out.wrongText.length < 4) {
        out.wrongText.push(`${e.op}(${e.vcpu}) for cpu ${e.forCpu}, which runs on vCPU ${runs}`)
      }
    } else if (e.kind === 'bug') out.bugs.push(i)
  }
  return out
}

/** Each CPU's state and whether it should be online, when the boot settled. */
export interface BootSnapshot {
  states: (CpuState | 'never')[]
  expected: boolean[]
}

export function buildChecks(g: Guest, boot: BootSnapshot, sc: Scan): Check[] {
  const events = g.rec.events
  const checks: Check[] = []

  const expected = g.cpus.filter((c) => c && boot.expected[c.cpu])
  const notUp = expected.filter((c) => boot.states[c.cpu] !== 'online')
  checks.push(
    check(
      g,
      'expected-cpus-online',
      notUp.length === 0,
      notUp.length === 0
        ? `every CPU that should come up at boot is online (${expected.length})`
        : `${notUp.length} of ${expected.length} CPUs that should come up are not online: ` +
            list(notUp.map((c) => `cpu ${c.cpu}: ${c.reason ?? neverReason(g, c)}`)),
      'smp_init → cpu_up (kernel/cpu.c); the bring-up orders of research/xen-vcpu.md §6',
      notUp.map((c) => c.failedEvent).filter((e): e is number => e !== null),
    ),
  )

  const { wrong, wrongText, bugs } = sc
  checks.push(
    check(
      g,
      'hypercall-targets-own-vcpu',
      wrong.length === 0,
      wrong.length === 0
        ? 'every hypercall names the vCPU its CPU runs on'
        : `${wrong.length} hypercall(s) name another vCPU: ${list(wrongText)}`,
      '88e957d6 "xen: introduce xen_vcpu_id mapping" (xen_vcpu_nr) and de75abbe "arm/xen: fix SMP guests boot"',
      wrong,
    ),
  )

  const strays: number[] = []
  const strayText: string[] = []
  for (const [port, lp] of g.boundPorts()) {
    const owner = g.cpus[lp.cpu]
    const p = g.hv.port(port)
    if (!p || !owner || owner.state === 'offline') continue
    if (g.hv.vcpus[p.vcpu]?.up) continue
    strays.push(lp.event)
    strayText.push(
      `cpu ${lp.cpu}'s ${lp.name} (port ${port}) is bound to vCPU ${p.vcpu}, which is down`,
    )
  }
  strays.sort((a, b) => a - b)
  checks.push(
    check(
      g,
      'no-event-bound-to-down-vcpu',
      strays.length === 0,
      strays.length === 0
        ? 'no event channel of a running or failed CPU is bound to a vCPU that is down'
        : `${strays.length} event channel(s) are bound to a down vCPU and are never seen: ${list(strayText)}`,
      'evtchn_2l_set_pending / evtchn_fifo_set_pending (xen/common): events go to notify_vcpu_id only',
      strays,
    ),
  )

  checks.push(
    check(
      g,
      'no-bug',
      bugs.length === 0,
      bugs.length === 0
        ? 'no BUG, BUG_ON or WARN_ON fired'
        : list(
            bugs.map((i) => {
              const e = events[i] as Extract<XenEvent, { kind: 'bug' }>
              return `cpu ${e.cpu}: ${e.where}${e.panic ? ' (the guest panics)' : ''}`
            }),
          ),
      'the BUG/BUG_ON/WARN_ON on each hypercall result in the Linux sources',
      bugs,
    ),
  )

  const limit = g.kind === 'hvm' ? HVM_MAX_VCPUS : g.kind === 'arm' ? ARM_MAX_VCPUS : Infinity
  const max = g.s.guest.maxVcpus
  checks.push({
    id: 'domain-buildable',
    ok: max <= limit,
    message:
      max <= limit
        ? `Xen builds a ${g.s.guest.type} domain with ${max} vCPUs`
        : `Xen refuses ${max} vCPUs for a ${g.s.guest.type} domain (XEN_DOMCTL_max_vcpus: -EINVAL above ${limit}); this run extends the model beyond what Xen builds`,
    source:
      g.kind === 'hvm'
        ? 'domain_max_vcpus = HVM_MAX_VCPUS (xen/include/asm-x86/domain.h, public/hvm/hvm_info_table.h)'
        : 'domain_max_vcpus (xen/common/domctl.c XEN_DOMCTL_max_vcpus)',
    confidence: 'source',
    refs: [],
  })
  return checks
}

export function buildMetrics(g: Guest, boot: BootSnapshot, sc: Scan): Record<string, Metric> {
  const m = (value: number, unit: string, label: string): Metric => ({ value, unit, label })
  const { hypercalls, failed } = sc
  const bugs = sc.bugs.length
  const online = boot.states.filter((s) => s === 'online').length
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
    bugs: m(bugs, 'bugs', 'BUG/BUG_ON/WARN_ON fired'),
    bootTicks: m(g.bootEnd, 'ticks', 'ticks until the boot settled'),
  }
}
