/**
 * The Linux functions that issue vCPU-naming hypercalls, as the trees the model follows write
 * them: `xen_vcpu_setup`, `bind_virq_to_irq` (with `find_virq` on -EEXIST), `bind_ipi_to_irq`,
 * `init_control_block`, `xen_smp_intr_init`/`_free`, and the clockevent registration. Each
 * records its hypercalls and says whether Linux BUGs on the answer; the bring-up generators
 * yield one step per call.
 */
import { EEXIST, ENOENT, ETIME, rcText } from './errno'
import type { VcpuOp, Virq } from './hypervisor'
import { X86_LEGACY_MAX_VCPUS } from './hypervisor'
import type { Guest, LinuxCpu, PortName, Side } from './guest'
import { STEP, type Yield } from './runtime'

export type Gen<T = void> = Generator<Yield, T, undefined>

/** A failed bring-up step: the reason text, the event that failed, and whether Linux BUGs. */
export interface Failure {
  reason: string
  event: number
  bug: boolean
}

function cpuOf(g: Guest, k: number): LinuxCpu {
  return g.cpus[k] as LinuxCpu
}

/** HYPERVISOR_vcpu_op(op, xen_vcpu_nr(k)) issued by `cpu` on behalf of `k`. */
export function vcpuOp(
  g: Guest,
  cpu: number,
  side: Side,
  k: number,
  op: VcpuOp,
  fn: string,
  target = g.idOf(k),
): number {
  const rc = g.hv.vcpuOp(op, g.onVcpu(cpu), target)
  g.call(cpu, side, k, op, target, rc, fn)
  return rc
}

/**
 * `xen_vcpu_setup(k)` ([L4.8] enlighten.c:185-246): HVM returns early once registered; the
 * shared_info slot is used while the id is below 32; VCPUOP_register_vcpu_info only while
 * `have_vcpu_info_placement`, and a failure clears it (no BUG on x86).
 */
export function xenVcpuSetup(g: Guest, cpu: number, side: Side, k: number, fn: string): number {
  const c = cpuOf(g, k)
  if (g.kind === 'hvm' && c.registered) return 0
  const id = g.idOf(k)
  if (id < X86_LEGACY_MAX_VCPUS) c.vcpuInfoOf = id
  if (!g.placement) {
    if (id >= X86_LEGACY_MAX_VCPUS) clampMaxCpus(g)
    return 0
  }
  const rc = vcpuOp(g, cpu, side, k, 'VCPUOP_register_vcpu_info', fn, id)
  if (rc !== 0) {
    g.placement = false
    clampMaxCpus(g)
    const text = g.era.vcpuSetupEnodev
      ? `register_vcpu_info failed: cpu=${k} err=${rc}`
      : `register_vcpu_info failed: err=${rc}`
    g.printk(cpu, g.era.vcpuSetupEnodev ? 'warning' : 'debug', text, fn)
  } else {
    c.registered = true
    c.vcpuInfoOf = id
  }
  return rc
}

/**
 * `clamp_max_cpus` (x86 HVM before 4.13): smp_init brings up at most MAX_VIRT_CPUS (32) CPUs once
 * vcpu_info placement is off. From 4.13 the prepare step fails instead (-ENODEV).
 */
function clampMaxCpus(g: Guest): void {
  if (g.kind !== 'hvm' || g.era.vcpuSetupEnodev) return
  g.setupMaxCpus = Math.min(g.setupMaxCpus, X86_LEGACY_MAX_VCPUS)
}

/** `init_control_block` (drivers/xen/events/events_fifo.c:102-117): EVTCHNOP_init_control(id). */
export function initControl(g: Guest, cpu: number, side: Side, k: number, fn: string): number {
  const id = g.idOf(k)
  const rc = g.hv.initControl(id)
  g.call(cpu, side, k, 'EVTCHNOP_init_control', id, rc, fn)
  if (rc === 0) {
    cpuOf(g, k).controlBlock = true
    g.fifoOwner[id] = k
  }
  return rc
}

/**
 * `bind_virq_to_irq(virq, k)` ([L4.8] events_base.c:972-1010): EVTCHNOP_bind_virq with
 * xen_vcpu_nr(k); on -EEXIST `find_virq` looks for the port by EVTCHNOP_status, comparing
 * `status.vcpu` with the Linux cpu (not the mapped id, in 4.8.15), and BUG_ONs when it finds
 * none. The 2007 code BUGs on any failure (arch/i386/xen/events.c).
 */
export function bindVirq(
  g: Guest,
  cpu: number,
  side: Side,
  k: number,
  name: 'VIRQ_TIMER' | 'VIRQ_DEBUG',
  fn: string,
): Failure | null {
  if (g.portOf(k, name) !== 0) return null
  const id = g.idOf(k)
  const virq = name as Virq
  const r = g.hv.bindVirq(virq, id)
  const ev = g.call(
    cpu,
    side,
    k,
    'EVTCHNOP_bind_virq',
    id,
    r.rc,
    fn,
    r.rc === 0 ? r.port : null,
    name,
  )
  if (r.rc === 0) {
    g.bindPort(k, name, r.port, ev)
    return null
  }
  if (g.code2007)
    return { reason: `BUG() in bind_virq_to_irq (${name} ${rcText(r.rc)})`, event: ev, bug: true }
  if (r.rc !== EEXIST) {
    return { reason: `BUG_ON in bind_virq_to_irq (${name} ${rcText(r.rc)})`, event: ev, bug: true }
  }
  // find_virq scans every port; the one with this VIRQ and status.vcpu == k is vCPU k's.
  const found = g.hv.vcpu(k)?.virqPorts[virq] ?? ENOENT
  const st = g.call(
    cpu,
    side,
    k,
    'EVTCHNOP_status',
    null,
    found < 0 ? found : 0,
    'find_virq',
    found < 0 ? null : found,
    `find_virq(${name}, ${k}): status.vcpu == ${k}`,
    'derived',
  )
  if (found < 0) {
    return {
      reason: `BUG_ON in bind_virq_to_irq (${name} -EEXIST, find_virq found no port on vCPU ${k})`,
      event: st,
      bug: true,
    }
  }
  g.bindPort(k, name, found, st)
  return null
}

/** `bind_ipi_to_irq(ipi, k)` ([L4.8] events_base.c:880-920): EVTCHNOP_bind_ipi, BUG() on failure. */
export function bindIpi(
  g: Guest,
  cpu: number,
  side: Side,
  k: number,
  name: PortName,
  fn: string,
): Failure | null {
  if (g.portOf(k, name) !== 0) return null
  const id = g.idOf(k)
  const r = g.hv.bindIpi(id)
  const ev = g.call(
    cpu,
    side,
    k,
    'EVTCHNOP_bind_ipi',
    id,
    r.rc,
    fn,
    r.rc === 0 ? r.port : null,
    name,
  )
  if (r.rc !== 0)
    return { reason: `BUG() in bind_ipi_to_irq (${name} ${rcText(r.rc)})`, event: ev, bug: true }
  g.bindPort(k, name, r.port, ev)
  return null
}

/** `unbind_from_irq`: EVTCHNOP_close on the port, Linux forgets the binding. */
export function unbind(
  g: Guest,
  cpu: number,
  side: Side,
  k: number,
  name: PortName,
  fn: string,
): void {
  const port = g.portOf(k, name)
  if (port === 0) return
  const rc = g.hv.close(port)
  g.call(cpu, side, k, 'EVTCHNOP_close', null, rc, fn, port, name)
  g.unbindPort(k, name)
}

/**
 * `xen_smp_intr_init(k)`: RESCHEDULE, CALL_FUNCTION, VIRQ_DEBUG, CALL_FUNCTION_SINGLE, and on
 * PV IRQ_WORK ([L4.8] smp.c:162-249); the 2007 code binds RESCHEDULE and CALL_FUNCTION only.
 */
export function* smpIntrInit(
  g: Guest,
  cpu: number,
  side: Side,
  k: number,
  fn: string,
): Gen<Failure | null> {
  const order: PortName[] = g.code2007
    ? ['RESCHEDULE', 'CALL_FUNCTION']
    : g.kind === 'pv'
      ? ['RESCHEDULE', 'CALL_FUNCTION', 'VIRQ_DEBUG', 'CALL_FUNCTION_SINGLE', 'IRQ_WORK']
      : ['RESCHEDULE', 'CALL_FUNCTION', 'VIRQ_DEBUG', 'CALL_FUNCTION_SINGLE']
  for (const name of order) {
    const f =
      name === 'VIRQ_DEBUG'
        ? bindVirq(g, cpu, side, k, name, fn)
        : bindIpi(g, cpu, side, k, name, fn)
    yield STEP
    if (f) return f
  }
  return null
}

/** `xen_smp_intr_free(k)`, `xen_uninit_lock_cpu(k)`, `xen_teardown_timer(k)`: every port closed. */
export function* freeCpuPorts(g: Guest, cpu: number, side: Side, k: number): Gen {
  const steps: [PortName, string][] = [
    ['RESCHEDULE', 'xen_smp_intr_free'],
    ['CALL_FUNCTION', 'xen_smp_intr_free'],
    ['VIRQ_DEBUG', 'xen_smp_intr_free'],
    ['CALL_FUNCTION_SINGLE', 'xen_smp_intr_free'],
    ['IRQ_WORK', 'xen_smp_intr_free'],
    ['SPINLOCK', 'xen_uninit_lock_cpu'],
    ['VIRQ_TIMER', 'xen_teardown_timer'],
  ]
  for (const [name, fn] of steps) {
    if (g.portOf(k, name) === 0) continue
    unbind(g, cpu, side, k, name, fn)
    yield STEP
  }
}

/**
 * Registering the Xen clockevent on `k` (its own CPU): the tick core switches it to one-shot
 * (`xen_vcpuop_set_oneshot`: VCPUOP_stop_periodic_timer, BUG on failure) and programs it
 * (`xen_vcpuop_set_next_event`: VCPUOP_set_singleshot_timer, BUG_ON unless 0 — the 2007 code
 * also accepts -ETIME). With the timer_op clockevent (stop_periodic failed at xen_time_init)
 * the programming is HYPERVISOR_set_timer_op, which names no vCPU.
 */
export function* registerClockevent(
  g: Guest,
  k: number,
  side: Side,
  vcpuop: boolean,
): Gen<Failure | null> {
  if (!vcpuop) {
    g.call(k, side, k, 'HYPERVISOR_set_timer_op', null, 0, 'xen_timerop_set_next_event')
    yield STEP
    return null
  }
  const oneshot = g.code2007 ? 'xen_vcpuop_set_mode' : 'xen_vcpuop_set_oneshot'
  const rc1 = vcpuOp(g, k, side, k, 'VCPUOP_stop_periodic_timer', oneshot)
  const ev1 = g.last()
  yield STEP
  if (rc1 !== 0)
    return {
      reason: `BUG in ${oneshot} (VCPUOP_stop_periodic_timer ${rcText(rc1)})`,
      event: ev1,
      bug: true,
    }
  const rc2 = vcpuOp(g, k, side, k, 'VCPUOP_set_singleshot_timer', 'xen_vcpuop_set_next_event')
  const ev2 = g.last()
  yield STEP
  if (rc2 !== 0 && !(g.code2007 && rc2 === ETIME)) {
    return {
      reason: `BUG_ON in xen_vcpuop_set_next_event (VCPUOP_set_singleshot_timer ${rcText(rc2)})`,
      event: ev2,
      bug: true,
    }
  }
  return null
}
