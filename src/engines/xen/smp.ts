/**
 * The SMP operations of "xen: SMP guest support" (f87e4cac, 2007) and their v4.8.15/v4.9.76
 * successors, run as workload steps (workload.ts) after the boot (arch/i386/xen/smp.c @f87e4cac; arch/x86/xen/smp.c, kernel/smp.c):
 * - IPIs over event channels: `send-ipi` raises the target's port; Xen raises the event on the
 *   vCPU the port is bound to, and the Linux CPU running there (if it looks in the right place)
 *   runs the handler, which may not be the CPU the IPI was sent to.
 * - smp_call_function: the 2007 `xen_smp_call_function_mask` (call_lock, caller removed from the
 *   mask, call_data with started/finished counts, SCHEDOP_yield, spin) or the generic
 *   `smp_call_function_many` (per-CPU csd queues, wait only when asked). A target that never
 *   gets the IPI leaves the caller spinning: the run ends normally and reports the hang.
 * - stop (stop_self: load swapper_pg_dir, VCPUOP_down on itself), exit-mmap (drop the lazy TLB
 *   references, then MMUEXT_UNPIN_TABLE), IRQ affinity (EVTCHNOP_bind_vcpu).
 * ARM IPIs are GIC SGIs and x86 HVM's stop uses the local APIC's REBOOT_VECTOR: neither goes
 * through an event channel, so both reach the CPU they name.
 */
import type { CallFunctionEvent, HypercallEvent, IpiEvent } from '../../shared/result'
import type { Recorded } from './place'
import { errnoName, rcText } from './errno'
import type { Guest, LinuxCpu, PortName } from './guest'
import { vcpuOp, type Gen } from './guestCalls'
import {
  Call,
  CALL_FUNCTION_TICKS,
  Gate,
  IPI_LATENCY,
  RESCHED_TICKS,
  STEP,
  type Task,
} from './runtime'
import { isCall, NO_CALLS, type CallData, type Csds, type Func, type SmpState } from './smpState'

const cpuOf = (g: Guest, k: number) => g.cpus[k] as LinuxCpu | undefined
/** The CPU is online in Linux and its vCPU is up (it runs what is asked of it). */
export function running(g: Guest, c: LinuxCpu | undefined): boolean {
  if (c === undefined || c.state !== 'online') return false
  const v = g.runsOn(c.cpu)
  return v >= 0 && g.hv.vcpus[v]?.up === true
}

// ---------------------------------------------------------------------------------------------
// IPIs

/**
 * `rebind_irq_to_cpu` (events_base.c, arch/i386/xen/events.c): EVTCHNOP_bind_vcpu with the
 * target's id; Linux moves its own binding only when Xen says yes. Xen refuses IPI and per-vCPU
 * VIRQ ports (-EINVAL), which Linux ignores. What calls it for a per-CPU IRQ is this model's
 * choice: /proc/irq refuses IRQF_PERCPU interrupts before reaching Xen.
 */
export function setAffinity(
  g: Guest,
  cpu: number,
  irq: 'reschedule' | 'call-function' | 'timer',
  target: number,
): string | null {
  if (g.kind === 'arm')
    return 'ARM IPIs and the timer are GIC interrupts (SGI/PPI), not Xen event channels'
  const name: PortName =
    irq === 'reschedule' ? 'RESCHEDULE' : irq === 'call-function' ? 'CALL_FUNCTION' : 'VIRQ_TIMER'
  const port = g.portOf(cpu, name)
  if (port === 0) return `cpu ${cpu} has no ${name} port`
  const t = cpuOf(g, target)
  const id = t ? g.idOf(target) : target
  const rc = g.hv.bindVcpu(port, id)
  g.call(
    cpu,
    'self',
    target,
    'EVTCHNOP_bind_vcpu',
    id,
    rc,
    'rebind_irq_to_cpu',
    port,
    name,
    'model',
  )
  const lp = g.linuxPort(port)
  if (rc >= 0 && lp) lp.cpu = target
  return null
}

type Vector = IpiEvent['vector']

function vectorOf(name: PortName): Vector {
  return name === 'RESCHEDULE'
    ? 'reschedule'
    : name === 'CALL_FUNCTION_SINGLE'
      ? 'call-function-single'
      : 'call-function'
}

/**
 * `xen_send_IPI_one(to, vector)`: the target's IPI port (BUG_ON(irq < 0) when it has none), then
 * EVTCHNOP_send. ARM sends a GIC SGI instead (smp_cross_call), routed by MPIDR.
 */
export function sendIpi(g: Guest, from: number, to: number, name: PortName): Recorded<IpiEvent> {
  const arm = g.kind === 'arm'
  const port = arm ? 0 : g.portOf(to, name)
  const bound = arm ? g.vcpuOf(to) : port === 0 ? null : g.hv.boundVcpu(port)
  const ids = g.rec.ids
  // the sender is running, and a CPU keeps its vCPU: placed now (place.ts)
  const fromVcpu = g.vcpuOf(from) ?? undefined
  const ev: Recorded<IpiEvent> = {
    kind: 'ipi',
    at: g.now,
    from,
    to,
    vector: vectorOf(name),
    boundVcpu: bound === null || bound < 0 ? null : bound,
    deliveredToCpu: null,
    port: port === 0 ? null : port,
    arrivedAt: null,
    outcome: 'lost',
    cause: 'not delivered before the run ended',
    source: (g.smp.ipiSource ??= g.where(arm ? 'smp_cross_call' : 'xen_send_IPI_one')),
    confidence: g.conf,
    track: ids.id(fromVcpu),
    toTracks: ids.to(bound, undefined),
  }
  if (!arm && port === 0) {
    ev.outcome = 'not-sent'
    ev.cause = `cpu ${to} has no ${name} port (never brought up, or closed when it went offline)`
    g.push(ev)
    const where = `BUG_ON(irq < 0) in xen_send_IPI_one (cpu ${to} has no ${name} port)`
    g.bug(from, from, where, null, false)
    return ev
  }
  if (!arm) {
    // EVTCHNOP_send, recorded inline: this is the hottest call of large runs
    const rc = g.hv.send(port)
    const onVcpu = g.onVcpu(from)
    const track = ids.id(onVcpu)
    const send: Recorded<HypercallEvent> = {
      kind: 'hypercall',
      at: ev.at,
      op: 'EVTCHNOP_send',
      cpu: from,
      onVcpu,
      side: 'self',
      vcpu: null,
      rc,
      errno: errnoName(rc),
      forCpu: to,
      port,
      what: name,
      source: (g.smp.sendSource ??= g.sourceOf('xen_send_IPI_one', 'EVTCHNOP_send')),
      confidence: ev.confidence,
      // no toTracks: EVTCHNOP_send names a port, not a vCPU (8 bytes less for every IPI)
      track,
    }
    g.rec.pushPlainHypercall(send, rc, track !== undefined)
  }
  const k = g.rec.ipiCount
  g.rec.pushIpi(ev, ev.track !== undefined)
  g.rt.later(IPI_LATENCY, IpiFlight.take(g, ev, k, arm ? -1 : port, name))
  return ev
}

/** Why an event raised on `port` is not seen: the sentence is `missReason`'s. */
type Miss = 'no-control-block' | 'vcpu-down' | 'no-cpu' | 'fifo-owner' | 'vcpu-info' | 'evtchn-mask'

/** Why the event on `port`, raised now, is not seen by any Linux CPU, or null when it is. */
function missOf(g: Guest, port: number, c: number, v: number): Miss | null {
  const d = g.hv.deliveryOf(port)
  if (d !== 'upcall') return d
  if (c < 0) return 'no-cpu'
  if (g.abi === 'fifo') return (g.fifoOwner[v] ?? -1) === c ? null : 'fifo-owner'
  if ((g.cpus[c] as LinuxCpu).vcpuInfoOf !== v) return 'vcpu-info'
  const lp = g.linuxPort(port)
  return lp && lp.cpu !== c ? 'evtchn-mask' : null
}

/*
 * The sentences of the IPI path are built in functions of their own, called only when they are
 * needed: written inline, TurboFan converts the numbers they share (`v`, `port`) to strings ahead
 * of the branches, on every delivery (about 4% of the IPI phase of the large benchmark, in
 * profiles).
 */

function missReason(g: Guest, port: number, c: number, v: number, miss: Miss): string {
  const cpu = g.cpus[c] as LinuxCpu
  switch (miss) {
    case 'no-control-block':
      return `vCPU ${v} has no FIFO control block: Xen drops the event ("%pv has no FIFO event channel control block")`
    case 'vcpu-down':
      return `bound to vCPU ${v}, which is down: the event stays pending`
    case 'no-cpu':
      return `no Linux CPU runs on vCPU ${v}`
    case 'fifo-owner':
      return `cpu ${c} on vCPU ${v} reads the FIFO control block it registered for vCPU ${cpu.id}; vCPU ${v}'s queue belongs to cpu ${g.fifoOwner[v] ?? -1}`
    case 'vcpu-info':
      return `cpu ${c} on vCPU ${v} reads vCPU ${cpu.vcpuInfoOf ?? 'none'}'s vcpu_info, so it never sees vCPU ${v}'s upcall`
    case 'evtchn-mask':
      return `port ${port} is in cpu ${g.linuxPort(port)?.cpu}'s cpu_evtchn_mask, so cpu ${c}'s 2-level scan skips it`
  }
}

function closedReason(port: number): string {
  return `port ${port} was closed before the event was raised`
}

function notRunning(cpu: number): string {
  return `cpu ${cpu} is not running`
}

function misdelivery(g: Guest, port: number, v: number, c: number, to: number): string {
  const want = cpuOf(g, to)
  return `port ${port} is bound to vCPU ${v} (cpu ${to}'s id was ${want?.id ?? '?'}), where cpu ${c} runs; cpu ${to} runs on vCPU ${g.vcpuOf(to) ?? 'none'}`
}

/**
 * One IPI in flight, fired three times: it arrives at the bound vCPU (or, ARM, the target), its
 * handler starts on the CPU that sees it (once that CPU is free: handlers run one at a time, with
 * interrupts off), and the handler ends. A flight that has fired for the last time goes back to
 * the guest's pool for the next IPI (large runs have hundreds of thousands of them).
 */
export class IpiFlight implements Task {
  private phase: 'arrive' | 'start' | 'end' = 'arrive'
  private cpu = -1
  /** The vCPU the handler runs on. */
  private vcpu = -1
  private ticks = 0
  private ran: Csds = NO_CALLS

  private constructor(
    private g: Guest,
    private ev: Recorded<IpiEvent>,
    /** Which IPI of the run `ev` is (Recorder.ipiSettled). */
    private k: number,
    /** The event channel, or -1 for an ARM SGI. */
    private port: number,
    private name: PortName,
  ) {}

  /** A flight for `ev`, from the pool when one is free. */
  static take(
    g: Guest,
    ev: Recorded<IpiEvent>,
    k: number,
    port: number,
    name: PortName,
  ): IpiFlight {
    const f = g.smp.flights.pop()
    if (f === undefined) return new IpiFlight(g, ev, k, port, name)
    f.g = g
    f.ev = ev
    f.k = k
    f.port = port
    f.name = name
    f.phase = 'arrive'
    f.cpu = -1
    f.vcpu = -1
    f.ticks = 0
    f.ran = NO_CALLS
    return f
  }

  /** Fired for the last time: nothing refers to it any more. */
  private release(): void {
    this.ran = NO_CALLS
    this.g.smp.flights.push(this)
  }

  fire(): void {
    if (this.phase === 'arrive') this.arrive()
    else if (this.phase === 'start') this.start()
    else this.end()
  }

  private arrive(): void {
    const { g, ev, port } = this
    let c: number
    if (port < 0) {
      c = ev.to
      if (!running(g, cpuOf(g, c))) {
        ev.cause = notRunning(c)
        this.release()
        return
      }
    } else {
      const v = g.hv.boundVcpu(port)
      if (v < 0) {
        ev.cause = closedReason(port)
        this.release()
        return
      }
      c = g.cpuOn(v)
      const miss = missOf(g, port, c, v)
      if (miss !== null) {
        ev.cause = missReason(g, port, c, v, miss)
        this.release()
        return
      }
      this.name = g.linuxPortName(port) ?? this.name
      if (c !== ev.to) {
        ev.outcome = 'misdelivered'
        ev.cause = misdelivery(g, port, v, c, ev.to)
      }
    }
    const start = Math.max(g.now, g.busyUntil(c))
    this.ticks = this.name === 'RESCHEDULE' ? RESCHED_TICKS : CALL_FUNCTION_TICKS
    g.setBusyUntil(c, start + this.ticks)
    if (ev.outcome !== 'misdelivered') {
      ev.outcome = 'delivered'
      ev.cause = null
    }
    ev.deliveredToCpu = c
    ev.arrivedAt = start
    g.rec.ipiSettled(this.k, ev)
    this.cpu = c
    this.phase = 'start'
    if (start === g.now) this.start()
    else g.rt.later(start - g.now, this)
  }

  private start(): void {
    const { g, ev, cpu: c } = this
    const v = g.runsOn(c)
    this.vcpu = v
    g.rec.track(v)?.beginHandler(g.now, handlerLabel(g, ev.vector, ev.from))
    if (this.name === 'CALL_FUNCTION' || this.name === 'CALL_FUNCTION_SINGLE') {
      this.ran = startFunctions(g, c)
    }
    if (!g.hv.isUp(v)) {
      this.release() // stop_self took the vCPU down inside the handler
      return
    }
    this.phase = 'end'
    g.rt.later(this.ticks, this)
  }

  private end(): void {
    const g = this.g
    g.rec.track(this.vcpu)?.endHandler(g.now)
    const ran = this.ran
    if (isCall(ran)) finishFunction(g, ran)
    else for (const d of ran) finishFunction(g, d)
    this.release()
  }
}

/** "call-function from cpu 3", shared between every handler span with the same text. */
function handlerLabel(g: Guest, vector: string, from: number): string {
  const smp = g.smp
  // a call-function sends one vector from one CPU to every target: the last label is the next
  if (smp.lastLabelFrom === from && smp.lastLabelVector === vector) return smp.lastLabel
  smp.lastLabelFrom = from
  smp.lastLabelVector = vector
  return (smp.lastLabel = labelOf(g, vector, from))
}

function labelOf(g: Guest, vector: string, from: number): string {
  const byVector = g.smp.labels
  let byFrom = byVector.get(vector)
  if (!byFrom) byVector.set(vector, (byFrom = []))
  return (byFrom[from] ??= `${vector} from cpu ${from}`)
}

// ---------------------------------------------------------------------------------------------
// smp_call_function

function newCall(
  g: Guest,
  from: number,
  targets: number[],
  wait: boolean,
  func: Func,
  table: number | null,
): CallData {
  // placed now when the caller runs (place.ts): its targets are online, and keep their vCPUs
  const fromVcpu = g.runsOn(from)
  const ids = g.rec.ids
  const placed = fromVcpu >= 0
  const ev: Recorded<CallFunctionEvent> = {
    kind: 'call-function',
    at: g.now,
    from,
    targets,
    wait,
    started: 0,
    finished: 0,
    doneAt: null,
    func,
    missing: [],
    ranOn: [],
    hung: false,
    source: g.code2007 ? g.where('xen_smp_call_function_mask') : g.where('smp_call_function_many'),
    confidence: g.conf,
    track: placed ? ids.id(fromVcpu) : undefined,
    toTracks: placed ? ids.targets(targets, fromVcpu, g.vcpuOfCpus) : undefined,
  }
  const index = g.push(ev)
  const d: CallData = {
    ev,
    index,
    count: targets.length,
    func,
    table,
    gate: new Gate(),
  }
  g.smp.calls.push(d)
  return d
}

/**
 * A call-function IPI's handler: 2007 `xen_call_function_interrupt` reads the global call_data
 * (whoever the IPI was meant for) and counts itself started; generic
 * `generic_smp_call_function_interrupt` runs this CPU's own csd queue.
 */
function startFunctions(g: Guest, c: number): Csds {
  const smp = g.smp
  let list: Csds
  if (g.code2007) list = smp.callData ?? NO_CALLS
  else {
    list = smp.queues[c] ?? NO_CALLS
    smp.queues[c] = undefined
  }
  if (isCall(list)) startFunction(g, c, list)
  else for (const d of list) startFunction(g, c, d)
  return list
}

function startFunction(g: Guest, c: number, d: CallData): void {
  d.ev.started++
  d.ev.ranOn.push(c)
  runFunc(g, c, d)
  if (g.code2007) checkDone(g, d)
}

/** The handler returned: 2007 counts `finished` only when the caller waits; a csd is done. */
function finishFunction(g: Guest, d: CallData): void {
  if (!g.code2007 || d.ev.wait) d.ev.finished++
  checkDone(g, d)
}

function checkDone(g: Guest, d: CallData): void {
  const e = d.ev
  const done = g.code2007
    ? e.started >= d.count && (!e.wait || e.finished >= d.count)
    : e.finished >= d.count
  if (done) g.rt.open(d.gate)
}

/** The function a target runs in interrupt context. */
function runFunc(g: Guest, c: number, d: CallData): void {
  if (d.func === 'drop_other_mm_ref') dropOtherMmRef(g, c, d.table as number)
  else if (d.func === 'stop_self') stopSelf(g, c)
}

/**
 * `xen_smp_call_function_mask` (2007) or `smp_call_function_many` (v4.8.15 kernel/smp.c,
 * through xen_smp_send_call_function_ipi or, on ARM, GIC SGIs). The caller spins (a
 * 'spinning' span) until the targets have started (2007) and finished (when waiting).
 */
export function* callFunction(
  g: Guest,
  from: number,
  targets: readonly number[],
  wait: boolean,
  func: Func,
  table: number | null,
): Gen<CallData | null> {
  const smp = g.smp
  const self = cpuOf(g, from) as LinuxCpu
  const track = g.rec.track(g.vcpuOf(from))
  const uniq = maskOf(targets, from)
  if (g.code2007) {
    // spin_lock(&call_lock): a second caller spins until the first one is done.
    while (smp.callLock && !smp.callLock.opened) {
      self.spinningSince ??= g.now
      track?.set(g.now, 'spinning', 'call_lock')
      yield smp.callLock
    }
    self.spinningSince = null
    if (uniq.length === 0) return null
    const lock = new Gate()
    smp.callLock = lock
    const d = newCall(g, from, uniq, wait, func, table)
    smp.callData = d
    // xen_send_IPI_mask: cpus_and(mask, cpu_online_map)
    yield sendEach(
      g,
      from,
      keep(uniq, (t) => g.linuxOnline(t)),
      'CALL_FUNCTION',
    )
    g.call(from, 'self', from, 'SCHEDOP_yield', null, 0, 'xen_smp_call_function_mask')
    yield STEP
    yield* spin(g, self, d)
    g.rt.open(lock)
    return d
  }
  const online = keep(uniq, (t) => g.linuxOnline(t))
  const d = newCall(g, from, online, wait, func, table)
  if (online.length === 0) {
    d.ev.doneAt = g.now
    return d
  }
  enqueue(smp.queues, online, d)
  const name: PortName = online.length === 1 ? 'CALL_FUNCTION_SINGLE' : 'CALL_FUNCTION'
  yield sendEach(g, from, online, name)
  if (!wait) {
    d.ev.doneAt = g.now
    return d
  }
  yield* spin(g, self, d)
  return d
}

/**
 * Queues the csd of `d` on each target (`__smp_call_function_queue` → llist_add). A function of
 * its own: V8 does not optimise loops inside generators, and this one runs over every target.
 */
function enqueue(queues: SmpState['queues'], targets: readonly number[], d: CallData): void {
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k] as number
    const q = queues[t]
    if (q === undefined) queues[t] = d
    else if (isCall(q)) queues[t] = [q, d]
    else q.push(d)
  }
}

/**
 * The cpumask a call-function covers: the targets in CPU order, each once, without the caller.
 * A list already in order (the usual case, and every list the editor writes) is not re-sorted.
 */
function maskOf(targets: readonly number[], from: number): number[] {
  for (let i = 1; i < targets.length; i++) {
    if ((targets[i] as number) <= (targets[i - 1] as number)) {
      return [...new Set(targets)].filter((t) => t !== from).sort((a, b) => a - b)
    }
  }
  return keep(targets, (t) => t !== from)
}

/** `xs.filter(want)` into an array sized once (filter grows its result: garbage on 2047 CPUs). */
function keep(xs: readonly number[], want: (x: number) => boolean): number[] {
  const out = new Array<number>(xs.length)
  let n = 0
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number
    if (want(x)) out[n++] = x
  }
  out.length = n
  return out
}

/**
 * Sends `name` to each CPU of `to`, one hypercall per tick, as a task of its own (not a generator
 * step per IPI: a call-function to 2047 CPUs is the hot path of large runs). The gate opens one
 * step after the last send.
 */
class SendEach implements Task {
  readonly done = new Gate()
  private i = 0

  constructor(
    private readonly g: Guest,
    private readonly from: number,
    private readonly to: readonly number[],
    private readonly name: PortName,
  ) {}

  fire(): void {
    const { g, to } = this
    if (this.i >= to.length || g.panicked) {
      g.rt.open(this.done)
      return
    }
    sendIpi(g, this.from, to[this.i++] as number, this.name)
    g.rt.later(STEP, this)
  }
}

function sendEach(g: Guest, from: number, to: readonly number[], name: PortName): Gate {
  const task = new SendEach(g, from, to, name)
  task.fire()
  return task.done
}

function* spin(g: Guest, self: LinuxCpu, d: CallData): Gen {
  checkDone(g, d)
  if (!d.gate.opened) {
    self.spinningSince = g.now
    g.rec.track(g.vcpuOf(self.cpu))?.set(g.now, 'spinning', 'smp_call_function')
    yield d.gate
    self.spinningSince = null
  }
  d.ev.doneAt = g.now
}

/** At the end of the run: calls whose caller still spins are hangs, with the targets missing. */
export function settleCalls(g: Guest): void {
  // `ran[cpu] === stamp`: the function ran on cpu for the call being settled
  const ran = new Int32Array(g.cpus.length)
  let stamp = 0
  for (const d of g.smp.calls) {
    d.ev.missing = missingOf(d.ev, ran, ++stamp)
    d.ev.hung = d.ev.doneAt === null
  }
}

/** The targets the function never ran on (a function of its own, so V8 optimises the loops). */
function missingOf(ev: Recorded<CallFunctionEvent>, ran: Int32Array, stamp: number): number[] {
  const on = ev.ranOn
  for (let k = 0; k < on.length; k++) {
    const c = on[k] as number
    if (c < ran.length) ran[c] = stamp
  }
  const out: number[] = []
  const targets = ev.targets
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k] as number
    if (ran[t] !== stamp) out.push(t)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// stop

/**
 * stop-others. PV: `xen_smp_send_stop` (2007: call_function on cpu_online_map, wait 0) or
 * `xen_stop_other_cpus` (smp_call_function(stop_self, wait 0)); each runs stop_self.
 * PVHVM: native_stop_other_cpus sends REBOOT_VECTOR through the local APIC and each CPU halts
 * with interrupts off (stop_this_cpu), which Xen turns into _VPF_down. ARM: IPI_CPU_STOP, and
 * the CPU parks in a WFI loop (its vCPU stays up).
 */
export function* stopOthers(g: Guest, from: number): Gen<string | null> {
  const others = g.cpus.filter((c) => c && c.cpu !== from && g.linuxOnline(c.cpu)).map((c) => c.cpu)
  if (g.kind === 'pv') {
    yield* callFunction(g, from, others, false, 'stop_self', null)
    return null
  }
  for (const t of others) {
    const ev: Recorded<IpiEvent> = {
      kind: 'ipi',
      at: g.now,
      from,
      to: t,
      vector: g.kind === 'hvm' ? 'reboot' : 'stop',
      boundVcpu: g.vcpuOf(t),
      deliveredToCpu: null,
      port: null,
      arrivedAt: null,
      outcome: 'lost',
      cause: 'not delivered before the run ended',
      source: g.where(g.kind === 'hvm' ? 'native_stop_other_cpus' : 'ipi_cpu_stop'),
      confidence: 'source',
    }
    const k = g.rec.ipiCount
    g.push(ev)
    g.rt.later(IPI_LATENCY, new Call(stopArrives, { g, ev, k, t }))
    yield STEP
  }
  return null
}

/** REBOOT_VECTOR (x86 HVM) or IPI_CPU_STOP (ARM) reaches CPU t. */
function stopArrives({
  g,
  ev,
  k,
  t,
}: {
  g: Guest
  ev: Recorded<IpiEvent>
  k: number
  t: number
}): void {
  const c = cpuOf(g, t)
  if (!running(g, c)) {
    ev.cause = notRunning(t)
    return
  }
  Object.assign(ev, { outcome: 'delivered', cause: null, deliveredToCpu: t, arrivedAt: g.now })
  g.rec.ipiSettled(k, ev)
  const v = g.runsOn((c as LinuxCpu).cpu)
  if (g.kind === 'hvm') {
    g.hv.hvmHalt(v)
    g.rec.track(v)?.set(g.now, 'down')
    g.setState(
      t,
      'offline',
      'stopped: stop_this_cpu halts with interrupts off (Xen: _VPF_down)',
      g.where('native_stop_other_cpus'),
    )
  } else {
    g.rec.track(v)?.set(g.now, 'down', 'parked (WFI)')
    g.setState(
      t,
      'offline',
      'stopped: parked in ipi_cpu_stop (the vCPU stays up in Xen)',
      g.where('ipi_cpu_stop'),
    )
  }
}

/** stop_self: load swapper_pg_dir, (v4.8) leave cpu_online_mask, VCPUOP_down on itself. */
function stopSelf(g: Guest, c: number): void {
  const cpu = g.cpus[c] as LinuxCpu
  const v = g.runsOn(c)
  loadSwapper(g, c, 'stop_self')
  vcpuOp(g, c, 'self', c, 'VCPUOP_down', 'stop_self')
  const track = g.rec.track(v)
  track?.endHandler(g.now)
  track?.set(g.now, 'down')
  if (g.code2007) {
    // f87e4cac's stop_self never clears cpu_online_map: to Linux the CPU is still online (so
    // smp_call_function keeps counting it), only Xen has the vCPU down. No state change to
    // report; the reason says why an online CPU runs nothing.
    cpu.reason =
      'in cpu_online_map, but its vCPU is down: stop_self did VCPUOP_down and the 2007 code never clears the map'
    return
  }
  g.setState(c, 'offline', 'stopped: stop_self did VCPUOP_down', g.where('stop_self'))
}

// ---------------------------------------------------------------------------------------------
// exit-mmap

/** load_cr3(swapper_pg_dir) → MMUEXT_NEW_BASEPTR: the vCPU's CR3 stops referencing the mm. */
function loadSwapper(g: Guest, c: number, fn: string): void {
  const v = g.runsOn(c)
  const rc = g.hv.newBaseptr(v, null)
  g.call(c, 'self', c, 'MMUEXT_NEW_BASEPTR', null, rc, fn, null, 'swapper_pg_dir')
}

/** `drop_other_mm_ref`: a CPU whose lazy active_mm is the mm calls leave_mm. */
function dropOtherMmRef(g: Guest, c: number, table: number): void {
  const v = g.runsOn(c)
  if (!g.hv.tableUsers(table).includes(v)) return
  loadSwapper(g, c, 'drop_other_mm_ref')
  g.push({
    kind: 'lazy-tlb-drop',
    at: g.now,
    cpu: c,
    source: g.where('drop_other_mm_ref'),
    confidence: 'source',
  })
}

/**
 * `xen_exit_mmap` (f87e4cac mmu.c; v4.8.15 mmu.c): `drop_mm_ref` — the exiting CPU loads
 * swapper_pg_dir, then a call-function with wait = 1 makes every CPU with a lazy reference
 * leave the mm — and only then `xen_pgd_unpin`: MMUEXT_UNPIN_TABLE and the table pages made
 * writable again in one multicall. Xen clears the pin even while a CR3 holds the table, but will
 * not make a page writable while it still has a page-table type (-EBUSY); the 2007
 * `xen_mc_flush` BUG_ONs on any failed entry (v4.8: WARN_ON). `unpin-first` issues the unpin
 * before drop_mm_ref to show exactly that.
 */
export function* exitMmap(
  g: Guest,
  cpu: number,
  lazy: readonly number[],
  order: 'drop-first' | 'unpin-first',
): Gen<string | null> {
  const smp = g.smp
  const table = smp.nextTable++
  g.hv.pinTable(table)
  const holders = [...new Set([cpu, ...lazy])]
  for (const h of holders) {
    const v = g.vcpuOf(h)
    if (v !== null && g.hv.vcpus[v]?.up) g.hv.newBaseptr(v, table)
  }
  const mask = holders.filter((h) => h !== cpu)
  const drop = g.code2007 ? 'drop_mm_ref' : 'xen_drop_mm_ref'
  if (order === 'unpin-first') {
    const bug = yield* unpin(g, cpu, table)
    if (bug) return null
    loadSwapper(g, cpu, drop)
    yield STEP
    yield* callFunction(g, cpu, mask, true, 'drop_other_mm_ref', table)
    return null
  }
  loadSwapper(g, cpu, drop)
  yield STEP
  const d = yield* callFunction(g, cpu, mask, true, 'drop_other_mm_ref', table)
  if (d && d.ev.doneAt === null) return null
  yield* unpin(g, cpu, table)
  return null
}

/** `xen_pgd_unpin`: one multicall; true when xen_mc_flush BUG_ONs. */
function* unpin(g: Guest, cpu: number, table: number): Gen<boolean> {
  const users = g.hv.tableUsers(table)
  const rc1 = g.hv.unpinTable(table)
  const ev = g.call(
    cpu,
    'self',
    cpu,
    'MMUEXT_UNPIN_TABLE',
    null,
    rc1,
    'xen_pgd_unpin',
    null,
    `mm ${table} pgd`,
  )
  if (users.length > 0) g.smp.unpinsInUse.push({ event: ev, users })
  const rc2 = g.hv.makeWritable(table)
  const ev2 = g.call(
    cpu,
    'self',
    cpu,
    'HYPERVISOR_update_va_mapping',
    null,
    rc2,
    'xen_pgd_unpin',
    null,
    `mm ${table} pgd page made writable`,
  )
  if (users.length > 0) g.smp.unpinsInUse.push({ event: ev2, users })
  yield STEP
  if (rc1 >= 0 && rc2 >= 0) return false
  const failed = rc1 < 0 ? rcText(rc1) : rcText(rc2)
  if (g.code2007) {
    g.bug(cpu, cpu, `BUG_ON in xen_mc_flush: a multicall entry failed (${failed})`, ev2, false)
    return true
  }
  g.push({
    kind: 'bug',
    at: g.now,
    cpu,
    where: `WARN_ON in xen_mc_flush: a multicall entry failed (${failed})`,
    panic: false,
    source: g.where('xen_mc_flush'),
    confidence: 'source',
  })
  return false
}
