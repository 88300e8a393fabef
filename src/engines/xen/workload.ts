/**
 * The workload: each step runs at `bootEnd + at` on the CPU that executes it, after that CPU's
 * previous step (steps at the same tick in file order). CPU offline, online and vCPU hot-add are
 * bring-up paths (bringUp.ts); the SMP operations are smp.ts. A step whose CPU is not running is
 * skipped, one whose CPU stays busy (spinning) never starts, and both are reported.
 */
import type { StepEvent } from '../../shared/result'
import type { Recorded } from './place'
import type { XenScenario, XenStep } from '../../shared/scenario/xenScenario'
import type { RequestedWork } from '../kernel'
import { cpuDown, cpuUp } from './bringUp'
import type { Guest, LinuxCpu, PortName } from './guest'
import type { Gen } from './guestCalls'
import { vcpuOfApicId } from './idSources'
import { Gate, STEP } from './runtime'
import { callFunction, exitMmap, running, sendIpi, setAffinity, stopOthers } from './smp'

const cpuOf = (g: Guest, k: number) => g.cpus[k] as LinuxCpu | undefined

/** Schedules every workload step at `bootEnd + at`, in file order within a tick. */
export function scheduleWorkload(g: Guest): void {
  g.s.workload.steps.forEach((step, i) => {
    g.stepsNotStarted.add(i)
    g.rt.spawn(-1, runStep(g, step, i), g.bootEnd + step.at - g.now)
  })
}

function stepEvent(
  g: Guest,
  step: XenStep,
  i: number,
  outcome: 'ran' | 'skipped' | 'refused',
  reason: string | null,
): Recorded<StepEvent> {
  const ev: Recorded<StepEvent> = {
    kind: 'step',
    at: g.now,
    cpu: step.cpu,
    do: step.do,
    step: i,
    outcome,
    reason,
    source: 'workload',
    confidence: 'model',
  }
  g.push(ev)
  return ev
}

/** The CPU whose code runs a step: `offline` and `online` name their target; cpu 0 drives them. */
function runsOn(step: XenStep): number {
  return step.do === 'offline' || step.do === 'online' ? 0 : step.cpu
}

function* runStep(g: Guest, step: XenStep, i: number): Gen {
  const n = runsOn(step)
  const c = cpuOf(g, n)
  while (c?.stepGate && !c.stepGate.opened) yield c.stepGate
  g.stepsNotStarted.delete(i)
  const why = !c
    ? `cpu ${n} is not a possible CPU of this guest`
    : c.spinningSince !== null
      ? `cpu ${n} is spinning in smp_call_function since tick ${c.spinningSince}`
      : !running(g, c)
        ? `cpu ${n} is not running (${c.state === 'never' ? 'never brought up' : c.state})`
        : null
  if (why || !c) {
    stepEvent(g, step, i, 'skipped', why)
    return
  }
  const gate = new Gate()
  c.stepGate = gate
  const ev = stepEvent(g, step, i, 'ran', null)
  const track = g.rec.track(g.vcpuOf(c.cpu))
  track?.set(g.now, 'step', step.do)
  const refused = yield* act(g, step)
  if (refused) Object.assign(ev, { outcome: 'refused', reason: refused })
  if (c.spinningSince === null && running(g, c)) track?.set(g.now, 'idle', `cpu ${c.cpu}`)
  g.rt.open(gate)
}

function* act(g: Guest, step: XenStep): Gen<string | null> {
  switch (step.do) {
    case 'send-ipi': {
      const name: PortName = step.vector === 'reschedule' ? 'RESCHEDULE' : 'CALL_FUNCTION'
      sendIpi(g, step.cpu, step.target, name)
      yield STEP
      return null
    }
    case 'call-function':
      yield* callFunction(g, step.cpu, step.targets, step.wait, 'function', null)
      return null
    case 'stop-others':
      return yield* stopOthers(g, step.cpu)
    case 'exit-mmap':
      return yield* exitMmap(g, step.cpu, step.lazyCpus, step.order)
    case 'offline':
      return yield* cpuDown(g, 0, step.cpu, 'offlined by the workload')
    case 'online':
      return yield* onlineStep(g, step.cpu)
    case 'vcpu-hot-add':
      return yield* hotAdd(g, step.cpu, step.vcpu)
    case 'set-affinity':
      return setAffinity(g, step.cpu, step.irq, step.target)
  }
}

function* onlineStep(g: Guest, k: number): Gen<string | null> {
  const c = cpuOf(g, k)
  if (!c || !c.present) return `cpu ${k} is not present`
  if (c.state === 'online') return `cpu ${k} is already online`
  if (g.code2007)
    return 'the 2007 Xen smp_ops have no CPU hotplug ("This does not handle HOTPLUG_CPU yet")'
  yield* cpuUp(g, 0, k)
  return null
}

/**
 * vCPU hot-add: the toolstack sets vCPU `v` online (`libxl_set_vcpuonline`). PVHVM: QEMU's ACPI
 * hot-add, `acpi_map_cpu` registers APIC id 2v with ACPI id U32_MAX (4.8 numbers the CPU then,
 * 4.9 reuses the number it gave the disabled MADT entry at boot) or, from 4.11, with the
 * processor's ACPI id v, and the CPU is brought up (derived: QEMU's side was not read). PV, PVH
 * and ARM: xenstore `cpu/v/availability` turns "online" and `handle_vcpu_hotplug_event` takes v
 * as the Linux cpu (drivers/xen/cpu_hotplug.c: PV and PVH on x86); the model then brings it up,
 * as udev or the admin would.
 */
function* hotAdd(g: Guest, d: number, v: number): Gen<string | null> {
  let k = v
  if (g.kind === 'hvm' && !g.pvh) {
    if (v < g.s.guest.onlineVcpus || g.cpus.some((c) => c?.startsOn === v && c.present)) {
      return `vCPU ${v} is already online`
    }
    const added = g.numbering?.hotAdd(2 * v, v) ?? null
    if (!added)
      return `acpi_map_cpu: "Unable to map lapic to logical cpu number" (APIC id ${2 * v})`
    k = added.cpu
    const c = cpuOf(g, k) ?? g.addCpu(k)
    Object.assign(c, {
      apicId: added.apicId,
      acpiId: added.acpiId,
      startsOn: vcpuOfApicId(added.apicId),
      present: true,
      expected: true,
    })
  } else {
    const c = cpuOf(g, v)
    if (!c) return `cpu ${v} is not possible (vcpu_hotplug ignores it)`
    if (c.state === 'online') return `cpu ${v} is already online`
    c.expected = true
    c.present = true
    // PVH: cpu v is started on vCPU v (INIT/SIPI to APIC id 2v; derived).
    if (g.pvh) Object.assign(c, { startsOn: v, apicId: c.apicId ?? 2 * v })
  }
  // Derived: ACPI hot-add (QEMU's side not read), and PVH's xenstore path (nothing observed).
  if (g.kind === 'hvm') (cpuOf(g, k) as LinuxCpu).conf = 'derived'
  yield* cpuUp(g, d, k)
  return null
}

/** Steps still waiting for their CPU at the end of the run are reported as skipped. */
export function settleSteps(g: Guest, end: number): void {
  for (const i of [...g.stepsNotStarted].sort((a, b) => a - b)) {
    const step = g.s.workload.steps[i]
    if (!step) continue
    const c = g.cpus[runsOn(step)]
    g.push({
      kind: 'step',
      at: end,
      cpu: step.cpu,
      do: step.do,
      step: i,
      outcome: 'skipped',
      reason:
        c?.spinningSince !== null && c?.spinningSince !== undefined
          ? `cpu ${c.cpu} is still spinning in smp_call_function (since tick ${c.spinningSince})`
          : g.panicked
            ? 'the guest panicked'
            : 'not started before the run ended',
      source: 'workload',
      confidence: 'model',
    })
  }
}

/**
 * What the workload asks the run to do, for the bound checked before a run (kernel/recordBudget):
 * one per vCPU brought up, one per step, and one per IPI a step names (a call-function's targets,
 * the lazy CPUs of an exit-mmap, every other CPU for stop-others).
 */
export function requestedWork(s: XenScenario): RequestedWork {
  let ipis = 0
  for (const step of s.workload.steps) {
    if (step.do === 'call-function') ipis += step.targets.length
    else if (step.do === 'exit-mmap') ipis += step.lazyCpus.length
    else if (step.do === 'stop-others') ipis += s.guest.nrCpus - 1
    else if (step.do === 'send-ipi') ipis += 1
  }
  const steps = s.workload.steps.length
  const vcpus = s.guest.maxVcpus
  const n = (x: number) => x.toLocaleString('en-US')
  return {
    count: vcpus + steps + ipis,
    what:
      `${n(vcpus + steps + ipis)} actions (${n(vcpus)} vCPUs to bring up, ${n(steps)} steps, ` +
      `${n(ipis)} IPIs the steps send)`,
    reduce: XEN_REDUCE,
  }
}

/** The fields that make a Xen run record less, named when it records too much. */
export const XEN_REDUCE =
  'guest.maxVcpus, the steps in workload.steps or their targets, or workload.until'
