/**
 * The kernel's orders, per guest type and era (Linux v4.8.15, v4.9.76 and f87e4cac; sources on each
 * function): the boot CPU, then `smp_init` bringing each present CPU up in cpu order — the
 * prepare steps on the boot side, the start (INIT/SIPI, PSCI CPU_ON or VCPUOP_up), the starting
 * CPU's own steps — and CPU offline. A failed prepare step cancels that CPU and the kernel goes on
 * without it; a BUG/BUG_ON marks the CPU failed and panics the guest.
 *
 * Trees: x86 PVHVM and PV, and ARM, follow v4.8.15 (CPU notifiers) or v4.9.76 (cpuhp states);
 * `raw-cpu` on PV is the 2007 code of f87e4cac "xen: SMP guest support" (arch/i386/xen).
 * Designs change where ids come from (idSources.ts) and, for the two proposals of de75abbe, who
 * issues the prepare-time hypercalls.
 */
import { EOPNOTSUPP, rcText } from './errno'
import type { Guest, LinuxCpu, Side } from './guest'
import {
  bindIpi,
  bindVirq,
  freeCpuPorts,
  initControl,
  registerClockevent,
  smpIntrInit,
  vcpuOp,
  xenVcpuSetup,
  type Failure,
  type Gen,
} from './guestCalls'
import { armMpidr, cpuidHvmLeaf, idFromCpuid, U32_MAX, vcpuOfMpidr } from './idSources'
import { AP_START_DELAY, DIE_POLL_TICKS, Gate, STEP } from './runtime'

const cpuOf = (g: Guest, k: number) => g.cpus[k] as LinuxCpu

function track(g: Guest, cpu: number) {
  return g.rec.track(g.vcpuOf(cpu))
}

/** A failed step: a BUG panics the guest; anything else fails CPU `k` and the kernel goes on. */
function failWith(g: Guest, onCpu: number, k: number, f: Failure): void {
  if (f.bug) g.bug(onCpu, k, f.reason, f.event)
  else g.fail(k, f.reason, f.event, g.where('cpu_up'))
}

function failed(g: Guest, onCpu: number, k: number, f: Failure): false {
  failWith(g, onCpu, k, f)
  return false
}

/** The starting CPU issues the prepare-time hypercalls itself (de75abbe's proposal a). */
const selfPrepare = (g: Guest) => g.design.selfPrepare

// ---------------------------------------------------------------------------------------------
// The boot CPU

const CLAMPED =
  'not brought up: register_vcpu_info failed, so clamp_max_cpus set setup_max_cpus to 32 and smp_init stopped there (arch/x86/xen/enlighten.c before 4.13)'

function onlineCount(g: Guest): number {
  let n = 0
  for (const c of g.cpus) if (c && c.state === 'online') n++
  return n
}

/** The boot thread: the boot CPU's own set-up, then `smp_init`, then (PV, ARM) the CPU watcher. */
export function* bootGuest(g: Guest): Gen {
  const c0 = cpuOf(g, 0)
  c0.state = 'online'
  g.setLinuxOnline(c0, true)
  track(g, 0)?.set(g.now, 'boot', 'cpu 0')
  let ok: boolean
  if (g.kind === 'hvm') ok = yield* bootHvm(g)
  else if (g.kind === 'arm') ok = yield* bootArm(g)
  else ok = g.code2007 ? yield* boot2007(g) : yield* bootPv(g)
  if (!ok) return
  g.setState(
    0,
    'online',
    null,
    g.where(g.kind === 'hvm' ? 'xen_hvm_smp_prepare_cpus' : 'xen_smp_prepare_cpus'),
  )
  for (const c of g.cpus) {
    if (!c || c.cpu === 0 || !c.present) continue
    if (g.setupMaxCpus !== Infinity && onlineCount(g) >= g.setupMaxCpus) {
      // smp_init stops once num_online_cpus() reaches setup_max_cpus.
      g.setState(c.cpu, 'offline', CLAMPED, g.where('clamp_max_cpus'), 'derived')
      continue
    }
    yield* cpuUp(g, 0, c.cpu)
    if (g.panicked) return
  }
  if (g.code2007 || (g.kind === 'hvm' && !g.pvh)) return
  // setup_cpu_watcher (drivers/xen/cpu_hotplug.c, v4.8.15): vCPUs whose xenstore availability is
  // "offline" are taken down once xenstore is up (x86 PV and ARM; PVH from 4.11, which brings up
  // every vCPU first on Xen before 4.19, whose MADT enables them all).
  for (const c of g.cpus) {
    if (!c || c.cpu === 0 || c.state !== 'online' || c.cpu < g.s.guest.onlineVcpus) continue
    yield* cpuDown(
      g,
      0,
      c.cpu,
      `xenstore cpu/${c.cpu}/availability is "offline" (setup_cpu_watcher)`,
    )
  }
}

/**
 * x86 PVHVM boot CPU (v4.8.15 `xen_hvm_guest_init`, `init_hvm_pv_info`): CPUID leaf base+4 → id; VCPUOP_register_vcpu_info (the 2016
 * series; not in raw-cpu kernels); FIFO init_control in init_IRQ; xen_time_init from
 * apic_bsp_setup; xen_smp_intr_init(0); xen_init_lock_cpu(0).
 */
function* bootHvm(g: Guest): Gen<boolean> {
  const c0 = cpuOf(g, 0)
  if (g.mapped) {
    const { id, via } = idFromCpuid(cpuidHvmLeaf(g.minor, g.bootVcpu), 0)
    g.setId(0, id, via, 'init_hvm_pv_info')
    yield STEP
  }
  c0.vcpuInfoOf = c0.id < 32 ? c0.id : null // xen_hvm_init_shared_info
  if (c0.vcpuInfoOf === null && g.era.earlyXenClock === 'panics') {
    // xen_hvm_init_time_ops reads the Xen clock through per_cpu(xen_vcpu, 0), NULL for id ≥ 32.
    const at = `${g.where('xen_hvm_init_time_ops')} → ${g.where('xen_clocksource_read')}`
    g.bug(0, 0, earlyClockPanic(c0.id), null, true, `${at}; 38669ba2, 857baa87; fixed by eed05744`)
    return false
  }
  if (c0.vcpuInfoOf === null && g.era.earlyXenClock === 'delayed') {
    g.printk(
      0,
      'info',
      `Delay xen_init_time_common() as kernel is running on vcpu=${c0.id}`,
      'xen_hvm_init_time_ops',
    )
  }
  if (g.mapped) {
    xenVcpuSetup(
      g,
      0,
      'self',
      0,
      g.era.earlyXenClock === 'none' ? 'xen_smp_prepare_boot_cpu' : 'xen_hvm_smp_prepare_boot_cpu',
    )
    yield STEP
  }
  yield* fifoInit(g, 'xen_evtchn_fifo_init')
  const f =
    (yield* timeInit(g, 'xen_time_init')) ??
    (yield* smpIntrInit(g, 0, 'self', 0, 'xen_hvm_smp_prepare_cpus'))
  if (f) return bootFailed(g, f)
  const lock = bindIpi(g, 0, 'self', 0, 'SPINLOCK', 'xen_init_lock_cpu')
  yield STEP
  return lock ? bootFailed(g, lock) : true
}

/** What the crash kernel dies of in xen_hvm_init_time_ops (4.19–5.17): a derived oops. */
function earlyClockPanic(id: number): string {
  return `NULL pointer dereference in xen_clocksource_read, from xen_hvm_init_time_ops in setup_arch: vCPU ${id} ≥ 32 has no shared_info slot, so per_cpu(xen_vcpu, 0) is NULL (38669ba2 reads the clock this early since 857baa87; fixed by eed05744 in 5.18). The crash kernel dies before its console is up`
}

/**
 * x86 PV boot CPU ([L4.8] enlighten.c, smp.c): xen_fill_possible_map (VCPUOP_is_up with the raw
 * index for i < nr_cpu_ids), id 0 and its runstate in xen_start_kernel, register_vcpu_info for
 * every possible CPU (xen_setup_vcpu_info_placement), FIFO init, xen_time_init, then
 * xen_smp_prepare_cpus (SPINLOCK, XENPMU_init, xen_smp_intr_init).
 */
function* bootPv(g: Guest): Gen<boolean> {
  yield* fillPossibleMap(g, 'xen_fill_possible_map')
  if (g.mapped) g.setId(0, 0, 'direct', 'xen_start_kernel')
  vcpuOp(g, 0, 'self', 0, 'VCPUOP_register_runstate_memory_area', 'xen_start_kernel')
  yield STEP
  for (const c of g.cpus) {
    if (!c) continue
    if (g.mapped) g.setId(c.cpu, c.cpu, 'direct', 'xen_setup_vcpu_info_placement')
    xenVcpuSetup(g, 0, c.cpu === 0 ? 'self' : 'boot', c.cpu, 'xen_setup_vcpu_info_placement')
    yield STEP
  }
  yield* fifoInit(g, 'xen_evtchn_fifo_init')
  const t = yield* timeInit(g, 'xen_time_init')
  if (t) return bootFailed(g, t)
  const lock = bindIpi(g, 0, 'self', 0, 'SPINLOCK', 'xen_init_lock_cpu')
  yield STEP
  if (lock) return bootFailed(g, lock)
  pmuInit(g, 0, 'self', 0)
  yield STEP
  const f = yield* smpIntrInit(g, 0, 'self', 0, 'xen_smp_prepare_cpus')
  return f ? bootFailed(g, f) : true
}

/**
 * The 2007 PV boot CPU (f87e4cac, arch/i386/xen): xen_fill_possible_map over NR_CPUS (the
 * scenario's nrCpus), xen_time_init (stop_periodic, then xen_setup_timer: bind_virq TIMER and
 * the runstate area), xen_smp_intr_init(0). xen_vcpu_setup only points at
 * shared_info->vcpu_info[cpu]: this code issues no VCPUOP_register_vcpu_info.
 */
function* boot2007(g: Guest): Gen<boolean> {
  yield* fillPossibleMap(g, 'xen_fill_possible_map')
  cpuOf(g, 0).vcpuInfoOf = 0
  const t = yield* timeInit(g, 'xen_time_init')
  if (t) return bootFailed(g, t)
  const f = yield* smpIntrInit(g, 0, 'self', 0, 'xen_smp_prepare_cpus')
  return f ? bootFailed(g, f) : true
}

/**
 * ARM boot CPU ([L4.8] arch/arm/xen/enlighten.c:326-415): xen_guest_init (an early_initcall,
 * before smp_init) sets the ids, initialises FIFO for cpu 0 (xen_init_IRQ), and its
 * cpuhp_setup_state runs xen_starting_cpu(0): register_vcpu_info and the runstate area.
 */
function* bootArm(g: Guest): Gen<boolean> {
  for (const c of g.cpus) {
    if (!c) continue
    const rule = g.design.armInitId(c.cpu)
    if (rule === 'direct') g.setId(c.cpu, c.cpu, 'direct', 'xen_guest_init')
    else if (rule === 'mpidr') {
      g.setId(c.cpu, vcpuOfMpidr(c.mpidr ?? 0, g.minor), 'mpidr', 'xen_guest_init', 'model')
    } else if (rule === 'before-set') {
      c.id = g.beforeSet
      c.idSource = 'before-set'
    }
  }
  yield STEP
  yield* fifoInit(g, 'xen_evtchn_fifo_init')
  const f = yield* armStarting(g, 0)
  return f ? bootFailed(g, f) : true
}

function bootFailed(g: Guest, f: Failure): false {
  failWith(g, 0, 0, f)
  return false
}

/** VCPUOP_is_up(i) for i < nr_cpu_ids: rc >= 0 makes cpu i possible (raw index; `xen_fill_possible_map`, arch/x86/xen/smp.c). */
function* fillPossibleMap(g: Guest, fn: string): Gen {
  for (let i = 0; i < g.s.guest.nrCpus; i++) {
    const rc = g.hv.vcpuOp('VCPUOP_is_up', g.bootVcpu, i)
    g.call(0, 'self', i, 'VCPUOP_is_up', i, rc, fn)
    if (rc >= 0 && !g.cpus[i]) g.addCpu(i, { startsOn: i, expected: expectedPv(g, i) })
    yield STEP
  }
}

function expectedPv(g: Guest, cpu: number): boolean {
  return g.code2007 || cpu < g.s.guest.onlineVcpus
}

/** `xen_init_IRQ`: FIFO init for the boot CPU; a failure falls back to 2-level silently. */
function* fifoInit(g: Guest, fn: string): Gen {
  if (g.abi !== 'fifo' || g.code2007) return
  const rc = initControl(g, 0, 'self', 0, fn)
  yield STEP
  if (rc < 0) {
    g.abi = '2l'
    g.abiWhy = `EVTCHNOP_init_control for cpu 0 returned ${rcText(rc)}: xen_init_IRQ fell back to 2-level`
  }
}

/**
 * `xen_time_init` on the boot CPU: VCPUOP_stop_periodic_timer (success selects the vcpuop
 * clockevent), the runstate area, bind_virq TIMER, then registering the clockevent
 * (stop_periodic again from set_oneshot, set_singleshot from set_next_event: derived from the
 * tick core's one-shot switch, `tick_switch_to_oneshot` in kernel/time/tick-oneshot.c, for the starting CPU).
 */
function* timeInit(g: Guest, fn: string): Gen<Failure | null> {
  const rc = vcpuOp(g, 0, 'self', 0, 'VCPUOP_stop_periodic_timer', fn)
  g.vcpuopTimer = rc === 0
  yield STEP
  if (!g.code2007) {
    const r = yield* runstate(g, 0, 'self', 0, 'xen_setup_runstate_info')
    if (r) return r
  }
  const b = bindVirq(g, 0, 'self', 0, 'VIRQ_TIMER', 'xen_setup_timer')
  yield STEP
  if (b) return b
  if (g.code2007) {
    const r = yield* runstate(g, 0, 'self', 0, 'setup_runstate_info')
    if (r) return r
  }
  return yield* registerClockevent(g, 0, 'self', g.vcpuopTimer)
}

/** VCPUOP_register_runstate_memory_area: `xen_setup_runstate_info` BUG()s on an error. */
function* runstate(g: Guest, cpu: number, side: Side, k: number, fn: string): Gen<Failure | null> {
  const rc = vcpuOp(g, cpu, side, k, 'VCPUOP_register_runstate_memory_area', fn)
  const ev = g.last()
  yield STEP
  return rc === 0 ? null : { reason: `BUG() in ${fn} (${rcText(rc)})`, event: ev, bug: true }
}

/**
 * XENPMU_init with the raw cpu (arch/x86/xen/pmu.c): Xen answers -EOPNOTSUPP while its vPMU is
 * off, which is its default (`opt_vpmu_enabled`, xen/arch/x86/cpu/vpmu.c); Linux logs it once.
 */
function pmuInit(g: Guest, cpu: number, side: Side, k: number): void {
  g.call(cpu, side, k, 'XENPMU_init', k, EOPNOTSUPP, 'xen_pmu_init')
}

// ---------------------------------------------------------------------------------------------
// Secondary CPUs

/**
 * `cpu_up(k)` driven from CPU `d`: at boot from smp_init, later for `online` and hot-add.
 * Resolves to true when the CPU came online.
 */
export function* cpuUp(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  c.onlineGate = new Gate()
  c.doneGate = new Gate()
  const conf = g.design.bringUpConfidence(g.s.guest.type)
  if (conf) c.conf = conf
  track(g, d)?.set(g.now, 'prepare', `prepare cpu ${k}`)
  let ok: boolean
  if (g.kind === 'hvm') ok = yield* hvmUp(g, d, k)
  else if (g.kind === 'arm') ok = yield* armUp(g, d, k)
  else ok = g.code2007 ? yield* pvUp2007(g, d, k) : yield* pvUp(g, d, k)
  if (!g.panicked) track(g, d)?.set(g.now, 'idle', `cpu ${d}`)
  return ok
}

/** Starts CPU k's vCPU and its starting thread; records the arrow from the boot side. */
function startAp(
  g: Guest,
  d: number,
  k: number,
  method: 'INIT/SIPI' | 'PSCI CPU_ON' | 'VCPUOP_up',
  ap: () => Gen,
): void {
  const c = cpuOf(g, k)
  const v = c.startsOn as number
  const fn =
    method === 'INIT/SIPI'
      ? 'native_cpu_up'
      : method === 'PSCI CPU_ON'
        ? 'psci_cpu_on'
        : 'xen_cpu_up'
  g.push({
    kind: 'ap-start',
    at: g.now,
    from: d,
    to: k,
    method,
    vcpu: v,
    apicId: c.apicId,
    mpidr: c.mpidr,
    source: g.where(fn),
    confidence: g.confOf(k),
  })
  if (method === 'INIT/SIPI') g.hv.hvmStart(v)
  else if (method === 'PSCI CPU_ON') g.hv.psciCpuOn(v)
  track(g, d)?.set(g.now, 'bringup', `bring up cpu ${k}`)
  // Xen runs a vCPU woken by VCPUOP_up at once; INIT/SIPI and PSCI take the AP through firmware.
  g.rt.spawn(k, ap(), method === 'VCPUOP_up' ? STEP : AP_START_DELAY)
}

/** Runs on the AP when it starts: it now executes on its vCPU. */
function arrive(g: Guest, k: number): void {
  const c = cpuOf(g, k)
  g.place(k, c.startsOn as number)
}

function online(g: Guest, k: number, fn: string): void {
  g.setState(k, 'online', null, g.where(fn))
  g.rt.open(cpuOf(g, k).onlineGate)
}

/**
 * PVHVM secondary, v4.8.15 (`xen_hvm_cpu_notify`) or v4.9.76 (`xen_cpu_up_prepare_hvm`, cpuhp states):
 * 4.8 CPU_UP_PREPARE: xen_hvm_cpu_notify (id from the MADT ACPI id, register_vcpu_info,
 *   bind_virq TIMER), then the FIFO notifier (init_control; failure cancels the CPU);
 *   bring-up xen_hvm_cpu_up: xen_smp_intr_init, INIT/SIPI, then xen_init_lock_cpu on the boot side.
 * 4.9 CPUHP_XEN_PREPARE (the same plus xen_smp_intr_init), CPUHP_XEN_EVTCHN_PREPARE
 *   (init_control; failure rolls XEN_PREPARE back with xen_cpu_dead), native INIT/SIPI, and
 *   xen_init_lock_cpu on the starting CPU at CPUHP_AP_ONLINE_DYN.
 */
function* hvmUp(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  const cpuhp = g.era.cpuhp
  const prep = g.era.hvmPrepare
  if (!selfPrepare(g)) {
    if (g.mapped) {
      const acpi = c.acpiId ?? U32_MAX
      if (acpi !== U32_MAX) g.setId(k, acpi, 'acpi-id', prep)
      else g.setId(k, k, 'fallback-cpu', prep)
    }
    xenVcpuSetup(g, d, 'boot', k, prep)
    yield STEP
    if (c.vcpuInfoOf === null && g.era.vcpuSetupEnodev) return noVcpuInfo(g, k, prep)
    const t = bindVirq(g, d, 'boot', k, 'VIRQ_TIMER', 'xen_setup_timer')
    yield STEP
    if (t) return failed(g, d, k, t)
    if (cpuhp) {
      const f = yield* smpIntrInit(g, d, 'boot', k, prep)
      if (f) return failed(g, d, k, f)
    }
    if (!(yield* prepareFifo(g, d, k))) return false
    if (!cpuhp) {
      const f = yield* smpIntrInit(g, d, 'boot', k, 'xen_hvm_cpu_up')
      if (f) return failed(g, d, k, f)
    }
  }
  startAp(g, d, k, 'INIT/SIPI', () => hvmAp(g, k))
  yield STEP
  yield c.onlineGate
  if (c.state !== 'online') return false
  if (!cpuhp && !selfPrepare(g)) {
    const l = bindIpi(g, d, 'boot', k, 'SPINLOCK', 'xen_init_lock_cpu')
    yield STEP
    if (l) return failed(g, d, k, l)
  }
  if (cpuhp) yield c.doneGate
  return c.state === 'online'
}

/**
 * `xen_vcpu_setup` returns -ENODEV (4.13 on): vcpu_info placement is off and the CPU's id is 32 or
 * more, so it has neither a registered area nor a shared_info slot; the prepare state fails and
 * the CPU stays offline.
 */
function noVcpuInfo(g: Guest, k: number, prep: string): false {
  g.fail(
    k,
    `-ENODEV from xen_vcpu_setup at ${prep}: vCPU ${g.idOf(k)} ≥ 32 has no vcpu_info (register_vcpu_info failed earlier, so placement is off and there is no shared_info slot)`,
    null,
    g.where(prep),
  )
  return false
}

/** The FIFO prepare step for k on the boot side; false when it failed (CPU cancelled). */
function* prepareFifo(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  if (g.abi !== 'fifo' || c.controlBlock) return true
  const cpuhp = g.era.cpuhp
  const rc = initControl(g, d, 'boot', k, g.era.fifoPrepare.fn)
  const ev = g.last()
  yield STEP
  if (rc >= 0) return true
  const state = g.era.fifoPrepare.state
  // 4.9 rolls back the states already done: CPUHP_XEN_PREPARE's teardown is xen_cpu_dead.
  if (cpuhp) yield* freeCpuPorts(g, d, 'boot', k)
  g.fail(k, `init_control ${rcText(rc)} at ${state}`, ev, g.where('cpu_up'))
  return false
}

/**
 * The PVHVM starting CPU (start_secondary): marks itself online, then
 * xen_hvm_setup_cpu_clockevents (runstate area, clockevent registration); 4.9 adds
 * xen_init_lock_cpu at CPUHP_AP_ONLINE_DYN. Under `starting-cpu-hypercalls` (a proposal, so a
 * model) it first reads its id from CPUID and issues the prepare-time calls itself.
 */
function* hvmAp(g: Guest, k: number): Gen {
  arrive(g, k)
  const c = cpuOf(g, k)
  if (c.vcpuInfoOf === null && g.mapped && !selfPrepare(g) && !g.era.vcpuSetupEnodev) {
    // Before 4.13 the CPU comes up with per_cpu(xen_vcpu, k) NULL: its first vcpu_info access
    // (the clock, the event upcall) faults (derived).
    return g.bug(k, k, nullVcpuOops(g, k), null, true, g.where(g.era.hvmPrepare))
  }
  if (selfPrepare(g)) {
    const { id, via } = idFromCpuid(cpuidHvmLeaf(g.minor, g.runsOn(k)), k)
    g.setId(k, id, via, 'start_secondary', 'model')
    xenVcpuSetup(g, k, 'starting', k, 'start_secondary')
    yield STEP
    const f = yield* apSelfPrepare(g, k, 'start_secondary')
    if (f) return failWith(g, k, k, f)
  }
  online(g, k, 'start_secondary')
  yield STEP
  const f =
    (yield* runstate(g, k, 'starting', k, 'xen_hvm_setup_cpu_clockevents')) ??
    (yield* registerClockevent(g, k, 'starting', g.vcpuopTimer))
  if (f) return failWith(g, k, k, f)
  const l = yield* apLockCpu(g, k)
  if (l) return failWith(g, k, k, l)
  track(g, k)?.set(g.now, 'idle', `cpu ${k}`)
  g.rt.open(c.doneGate)
}

function nullVcpuOops(g: Guest, k: number): string {
  return `NULL pointer dereference on cpu ${k}: xen_vcpu_setup left per_cpu(xen_vcpu, ${k}) NULL (vCPU ${g.idOf(k)} ≥ 32, vcpu_info placement off) and the CPU came up anyway (before 4.13); its first vcpu_info access faults`
}

/**
 * The starting CPU binds its own spinlock IPI: 4.9 at CPUHP_AP_ONLINE_DYN (xen_cpu_up_online),
 * and under the proposal; 4.8 binds it on the boot side instead.
 */
function* apLockCpu(g: Guest, k: number): Gen<Failure | null> {
  if (!g.era.cpuhp && !selfPrepare(g)) return null
  const fn = g.era.cpuhp ? 'xen_cpu_up_online' : 'xen_init_lock_cpu'
  const l = bindIpi(g, k, 'starting', k, 'SPINLOCK', fn)
  yield STEP
  return l
}

/** `starting-cpu-hypercalls`: the starting CPU binds its timer, FIFO block and IPIs itself. */
function* apSelfPrepare(g: Guest, k: number, fn: string): Gen<Failure | null> {
  const t = bindVirq(g, k, 'starting', k, 'VIRQ_TIMER', 'xen_setup_timer')
  yield STEP
  if (t) return t
  return (yield* apFifo(g, k)) ?? (yield* smpIntrInit(g, k, 'starting', k, fn))
}

/** `starting-cpu-hypercalls`: the starting CPU issues its own init_control (a model). */
function* apFifo(g: Guest, k: number): Gen<Failure | null> {
  if (g.abi !== 'fifo' || cpuOf(g, k).controlBlock) return null
  const rc = initControl(g, k, 'starting', k, 'start_secondary')
  const ev = g.last()
  yield STEP
  return rc < 0
    ? { reason: `init_control ${rcText(rc)} on the starting CPU`, event: ev, bug: false }
    : null
}

/**
 * PV secondary, v4.8.15 (`xen_cpu_up`, arch/x86/xen/smp.c): FIFO init_control at CPU_UP_PREPARE; xen_cpu_up: runstate,
 * bind_virq TIMER, xen_init_lock_cpu, VCPUOP_initialise once (xen_cpu_initialized_map; BUG on
 * failure), XENPMU_init, xen_smp_intr_init, VCPUOP_up (BUG_ON), then SCHEDOP_yield until the
 * CPU reports online. v4.9.76 moves the timer and IPI binds to CPUHP_XEN_PREPARE and the
 * spinlock IPI to the starting CPU (CPUHP_AP_ONLINE_DYN).
 */
function* pvUp(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  const cpuhp = g.era.cpuhp
  if (!selfPrepare(g)) {
    if (cpuhp) {
      const t = bindVirq(g, d, 'boot', k, 'VIRQ_TIMER', 'xen_setup_timer')
      yield STEP
      const f = t ?? (yield* smpIntrInit(g, d, 'boot', k, 'xen_cpu_up_prepare'))
      if (f) return failed(g, d, k, f)
    }
    if (!(yield* prepareFifo(g, d, k))) return false
  }
  track(g, d)?.set(g.now, 'bringup', `bring up cpu ${k}`)
  const r = yield* runstate(g, d, 'boot', k, 'xen_setup_runstate_info')
  if (r) return failed(g, d, k, r)
  if (!cpuhp && !selfPrepare(g)) {
    const t = bindVirq(g, d, 'boot', k, 'VIRQ_TIMER', 'xen_setup_timer')
    yield STEP
    const l = t ?? bindIpi(g, d, 'boot', k, 'SPINLOCK', 'xen_init_lock_cpu')
    yield STEP
    if (l) return failed(g, d, k, l)
  }
  const init = yield* initialise(g, d, k)
  if (init) return failed(g, d, k, init)
  pmuInit(g, d, 'boot', k)
  yield STEP
  if (!cpuhp && !selfPrepare(g)) {
    const f = yield* smpIntrInit(g, d, 'boot', k, 'xen_cpu_up')
    if (f) return failed(g, d, k, f)
  }
  const up = yield* vcpuUp(g, d, k, () => pvAp(g, k))
  if (up) return failed(g, d, k, up)
  while (c.state !== 'online' && c.state !== 'failed' && !g.panicked) {
    g.call(d, 'boot', k, 'SCHEDOP_yield', null, 0, 'xen_cpu_up')
    yield STEP
  }
  if (cpuhp || selfPrepare(g)) yield c.doneGate
  return c.state === 'online'
}

/** `cpu_initialize_context`: VCPUOP_initialise once per CPU (BUG() when Xen refuses). */
function* initialise(g: Guest, d: number, k: number): Gen<Failure | null> {
  const c = cpuOf(g, k)
  if (c.initialised) return null
  c.initialised = true
  const rc = vcpuOp(g, d, 'boot', k, 'VCPUOP_initialise', 'cpu_initialize_context')
  const ev = g.last()
  yield STEP
  return rc === 0
    ? null
    : {
        reason: `BUG() in cpu_initialize_context (VCPUOP_initialise ${rcText(rc)})`,
        event: ev,
        bug: true,
      }
}

/** VCPUOP_up (BUG_ON when Xen refuses); on success the vCPU runs the starting thread. */
function* vcpuUp(g: Guest, d: number, k: number, ap: () => Gen): Gen<Failure | null> {
  const rc = vcpuOp(g, d, 'boot', k, 'VCPUOP_up', 'xen_cpu_up')
  const ev = g.last()
  if (rc === 0) startAp(g, d, k, 'VCPUOP_up', ap)
  yield STEP
  return rc === 0
    ? null
    : { reason: `BUG_ON in xen_cpu_up (VCPUOP_up ${rcText(rc)})`, event: ev, bug: true }
}

/**
 * The PV starting CPU (cpu_bringup): the clockevent (stop_periodic, set_singleshot), then it marks
 * itself online; 4.9 binds its spinlock IPI at CPUHP_AP_ONLINE_DYN. Under the proposal it first
 * issues the prepare-time calls itself (a model).
 */
function* pvAp(g: Guest, k: number): Gen {
  arrive(g, k)
  const c = cpuOf(g, k)
  if (selfPrepare(g)) {
    const f = yield* apSelfPrepare(g, k, 'cpu_bringup')
    if (f) return failWith(g, k, k, f)
  }
  const f = yield* registerClockevent(g, k, 'starting', g.vcpuopTimer)
  if (f) return failWith(g, k, k, f)
  online(g, k, 'xen_cpu_up')
  if (g.era.cpuhp || selfPrepare(g)) yield STEP
  const l = yield* apLockCpu(g, k)
  if (l) return failWith(g, k, k, l)
  g.rt.open(c.doneGate)
}

/**
 * The 2007 PV secondary (f87e4cac xen_cpu_up): xen_setup_timer (bind_virq TIMER, runstate),
 * VCPUOP_initialise once (BUG), xen_smp_intr_init (RESCHEDULE, CALL_FUNCTION; BUG), the CPU put in
 * cpu_online_map, VCPUOP_up (BUG_ON). The boot side does not wait for the CPU.
 */
function* pvUp2007(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  c.vcpuInfoOf = k // xen_vcpu_setup: &shared_info->vcpu_info[cpu]
  track(g, d)?.set(g.now, 'bringup', `bring up cpu ${k}`)
  const t = bindVirq(g, d, 'boot', k, 'VIRQ_TIMER', 'xen_setup_timer')
  yield STEP
  if (t) return failed(g, d, k, t)
  const r = yield* runstate(g, d, 'boot', k, 'setup_runstate_info')
  if (r) return failed(g, d, k, r)
  const init = yield* initialise(g, d, k)
  if (init) return failed(g, d, k, init)
  const f = yield* smpIntrInit(g, d, 'boot', k, 'xen_smp_intr_init')
  if (f) return failed(g, d, k, f)
  g.setState(k, 'online', null, g.where('xen_cpu_up'))
  const up = yield* vcpuUp(g, d, k, () => pvAp2007(g, k))
  if (up) return failed(g, d, k, up)
  return true
}

/** The 2007 starting CPU (cpu_bringup_and_idle): registers its clockevent, then idles. */
function* pvAp2007(g: Guest, k: number): Gen {
  arrive(g, k)
  const f = yield* registerClockevent(g, k, 'starting', g.vcpuopTimer)
  if (f) return failWith(g, k, k, f)
  track(g, k)?.set(g.now, 'idle', `cpu ${k}`)
  g.rt.open(cpuOf(g, k).onlineGate)
}

/**
 * ARM secondary (arch/arm/xen/enlighten.c, v4.8.15 and v4.9.76): the FIFO prepare step on the boot side (CPU_UP_PREPARE notifier in 4.8,
 * CPUHP_XEN_EVTCHN_PREPARE in 4.9) with whatever id the CPU holds — under `vcpu-id-mapping` the
 * value before it is set, which is the regression — then PSCI CPU_ON with the CPU's
 * MPIDR, and xen_starting_cpu on the starting CPU.
 */
function* armUp(g: Guest, d: number, k: number): Gen<boolean> {
  const c = cpuOf(g, k)
  if (!selfPrepare(g) && !(yield* prepareFifo(g, d, k))) return false
  startAp(g, d, k, 'PSCI CPU_ON', () => armAp(g, k))
  yield STEP
  yield c.onlineGate
  return c.state === 'online'
}

function* armAp(g: Guest, k: number): Gen {
  arrive(g, k)
  const f = yield* armStarting(g, k)
  if (f) return failWith(g, k, k, f)
  online(g, k, 'xen_starting_cpu')
  track(g, k)?.set(g.now, 'idle', `cpu ${k}`)
  g.rt.open(cpuOf(g, k).doneGate)
}

/**
 * `xen_starting_cpu(k)` at CPUHP_AP_ARM_XEN_STARTING: skipped once vcpu_info is registered
 * (re-onlining); 88e957d6 sets the id here; VCPUOP_register_vcpu_info (BUG_ON), then the runstate
 * area. Under the proposal the CPU reads its MPIDR and does its own init_control first (a model).
 */
function* armStarting(g: Guest, k: number): Gen<Failure | null> {
  const c = cpuOf(g, k)
  const side: Side = k === 0 ? 'self' : 'starting'
  if (c.registered) return null
  const rule = k === 0 ? null : g.design.armStartingId
  if (rule === 'direct') g.setId(k, k, 'direct', 'xen_starting_cpu')
  if (rule === 'mpidr') {
    g.setId(
      k,
      vcpuOfMpidr(c.mpidr ?? armMpidr(k, g.minor), g.minor),
      'mpidr',
      'xen_starting_cpu',
      'model',
    )
  }
  if (k !== 0 && selfPrepare(g)) {
    const fifo = yield* apFifo(g, k)
    if (fifo) return fifo
  }
  const rc = vcpuOp(g, k, side, k, 'VCPUOP_register_vcpu_info', 'xen_starting_cpu')
  const ev = g.last()
  yield STEP
  if (rc !== 0) {
    return {
      reason: `BUG_ON in xen_starting_cpu (VCPUOP_register_vcpu_info ${rcText(rc)})`,
      event: ev,
      bug: true,
    }
  }
  c.registered = true
  c.vcpuInfoOf = c.id
  return yield* runstate(g, k, side, k, 'xen_starting_cpu')
}

// ---------------------------------------------------------------------------------------------
// CPU offline

/**
 * `cpu_down(k)` driven from CPU `d`. PV ([L4.8] smp.c xen_cpu_disable, xen_play_dead,
 * xen_cpu_die): k does VCPUOP_down on itself; the boot side polls VCPUOP_is_up until 0, then
 * closes k's ports. PVHVM: k halts with interrupts off (Xen takes the vCPU down), the boot side
 * closes its ports. ARM: PSCI CPU_OFF, no Xen port to close. The 2007 code cannot (its smp_ops
 * have no CPU hotplug: "This does not handle HOTPLUG_CPU yet"). Resolves to a refusal reason, or
 * null when k went offline.
 */
export function* cpuDown(g: Guest, d: number, k: number, reason: string): Gen<string | null> {
  const c = g.cpus[k]
  if (!c) return `cpu ${k} is not a possible CPU of this guest`
  if (g.code2007)
    return 'the 2007 Xen smp_ops have no CPU hotplug ("This does not handle HOTPLUG_CPU yet")'
  if (k === 0) return 'cpu 0 cannot go offline (xen_cpu_disable / native_cpu_disable: -EBUSY)'
  if (c.state !== 'online') return `cpu ${k} is not online`
  const v = g.runsOn(k)
  g.setLinuxOnline(c, false)
  if (g.kind === 'pv') {
    const first = g.hv.vcpuOp('VCPUOP_is_up', g.onVcpu(d), g.idOf(k))
    g.call(d, 'boot', k, 'VCPUOP_is_up', g.idOf(k), first, 'xen_cpu_die')
    yield STEP
    vcpuOp(g, k, 'self', k, 'VCPUOP_down', 'xen_play_dead')
    yield DIE_POLL_TICKS
    for (;;) {
      const rc = vcpuOp(g, d, 'boot', k, 'VCPUOP_is_up', 'xen_cpu_die')
      yield STEP
      if (rc <= 0) break
      yield DIE_POLL_TICKS
    }
  } else {
    g.hv.hvmHalt(v)
    yield STEP
  }
  g.rec.track(v)?.set(g.now, 'down')
  g.setState(k, 'offline', reason, g.where(g.kind === 'arm' ? 'cpu_up' : 'xen_cpu_die'))
  if (g.kind !== 'arm') yield* freeCpuPorts(g, d, 'boot', k)
  if (g.kind === 'pv') {
    g.call(d, 'boot', k, 'XENPMU_finish', k, EOPNOTSUPP, 'xen_pmu_finish')
    yield STEP
  }
  return null
}
