/**
 * The modelled Linux guest: its CPUs (number, the vCPU each runs on, the id its hypercalls carry,
 * where that id came from), its event-channel bindings as Linux sees them, and the recording
 * helpers every part of the model uses. One `Guest` is one run; nothing here is global.
 */
import type { Confidence, CpuState, HypercallEvent, VcpuIdSource } from '../../shared/result'
import type { XenScenario } from '../../shared/scenario/xenScenario'
import { XEN_DESIGN_TABLE, type XenDesignSpec } from '../../designs/xen'
import { errnoName } from './errno'
import { LINUX_ERA_TABLE, type LinuxEraSpec } from '../../designs/xenEras'
import { XenHypervisor, type EventAbi, type GuestKind } from './hypervisor'
import type { X86CpuNumbering } from './idSources'
import type { Recorded } from './place'
import { Recorder } from './recorder'
import type { RecordBudget } from '../kernel'
import { withRoom } from './flat'
import { Gate, Runtime, type Thread } from './runtime'
import { SmpState } from './smpState'
import { callSource, linuxWhere, xenWhere, type LinuxTree } from './sources'

export type Side = HypercallEvent['side']

/** The Linux names of the per-CPU event channels (enum ipi_vector, the VIRQs Linux binds). */
export type PortName =
  | 'RESCHEDULE'
  | 'CALL_FUNCTION'
  | 'CALL_FUNCTION_SINGLE'
  | 'IRQ_WORK'
  | 'SPINLOCK'
  | 'VIRQ_TIMER'
  | 'VIRQ_DEBUG'

export const PORT_NAMES: readonly PortName[] = [
  'RESCHEDULE',
  'CALL_FUNCTION',
  'CALL_FUNCTION_SINGLE',
  'IRQ_WORK',
  'SPINLOCK',
  'VIRQ_TIMER',
  'VIRQ_DEBUG',
]
/** Slots per CPU in the port table (one per `PORT_NAMES` entry, rounded up). */
const PORT_STRIDE = 8
/**
 * `name`'s slot in a CPU's row of the port table, its index in `PORT_NAMES`. A switch: looking a
 * varying name up in an object is a megamorphic load, paid on every IPI sent.
 */
function portIndex(name: PortName): number {
  switch (name) {
    case 'RESCHEDULE':
      return 0
    case 'CALL_FUNCTION':
      return 1
    case 'CALL_FUNCTION_SINGLE':
      return 2
    case 'IRQ_WORK':
      return 3
    case 'SPINLOCK':
      return 4
    case 'VIRQ_TIMER':
      return 5
    case 'VIRQ_DEBUG':
      return 6
  }
}

/** A port as Linux bound it: whose per-CPU interrupt it is (`cpu_evtchn[]`, `info->cpu`). */
export interface LinuxPort {
  cpu: number
  name: PortName
  /** The hypercall event that bound it. */
  event: number
}

export interface LinuxCpu {
  cpu: number
  /** The vCPU the kernel will start this CPU on (APIC id / 2, MPIDR, or VCPUOP_up's target). */
  startsOn: number | null
  acpiId: number | null
  apicId: number | null
  mpidr: number | null
  /** `xen_vcpu_nr(cpu)` (unsigned), or the Linux cpu number for raw-cpu and the 2007 code. */
  id: number
  idSource: VcpuIdSource
  present: boolean
  /** Should be online when the boot settles (present, vCPU online, within nr_cpus). */
  expected: boolean
  state: CpuState | 'never'
  reason: string | null
  failedEvent: number | null
  /** Whose vcpu_info this CPU reads (`per_cpu(xen_vcpu, cpu)`); null before it has one. */
  vcpuInfoOf: number | null
  /** `per_cpu(xen_vcpu, cpu) == &per_cpu(xen_vcpu_info, cpu)`: registration done once. */
  registered: boolean
  /** FIFO: `per_cpu(cpu_control_block, cpu)` allocated. */
  controlBlock: boolean
  /** The 2007/PV `xen_cpu_initialized_map`. */
  initialised: boolean
  /** Opens when the CPU reports itself online (or fails); a new gate per bring-up. */
  onlineGate: Gate
  /** Opens when the CPU has finished its own bring-up states (4.9 waits for them). */
  doneGate: Gate
  /** Set while the CPU spins in smp_call_function (or on its call lock). */
  spinningSince: number | null
  /** The step the CPU is running; later steps on it wait. */
  stepGate: Gate | null
  /** Confidence of this CPU's bring-up when it differs from the run's (a proposal). */
  conf: Confidence | null
}

export interface GuestConfig {
  s: XenScenario
  minor: number
  kind: GuestKind
  tree: LinuxTree
  bootVcpu: number
  /** What the run may still record (kernel/recordBudget.ts); unbounded when absent. */
  budget?: RecordBudget
}

export class Guest {
  readonly s: XenScenario
  readonly minor: number
  readonly kind: GuestKind
  readonly tree: LinuxTree
  /** The Linux release's decisions (eras/<release>.ts). */
  readonly era: LinuxEraSpec
  /** The design's decisions (designs/<name>.ts). */
  readonly design: XenDesignSpec
  /** Hypercalls carry `xen_vcpu_nr(cpu)` (every design but raw-cpu). */
  readonly mapped: boolean
  /** An x86 PVH guest: the HVM kind to Xen, booted by `xen_prepare_pvh` (Linux 4.11 on). */
  readonly pvh: boolean
  /**
   * `setup_max_cpus`: how many CPUs smp_init brings up; `clamp_max_cpus` lowers it to 32 when
   * register_vcpu_info fails in the eras before 4.13 (arch/x86/xen/enlighten.c).
   */
  setupMaxCpus = Infinity
  readonly code2007: boolean
  readonly bootVcpu: number
  readonly hv: XenHypervisor
  readonly rec: Recorder
  readonly rt: Runtime
  readonly cpus: LinuxCpu[] = []
  /** vCPU → the Linux CPU running on it, or -1. */
  readonly cpuOnVcpu: Int32Array
  /** vCPU → the Linux CPU whose EVTCHNOP_init_control mapped its FIFO control block, or -1. */
  readonly fifoOwner: Int32Array
  /** Xen port → Linux's binding of it (`evtchn_to_irq`, `cpu_evtchn`). */
  private readonly linux: (LinuxPort | undefined)[] = []
  /** Xen port → the `PORT_NAMES` index of Linux's binding + 1, 0 when unbound (`linux` in brief). */
  private linuxNames = new Uint8Array(64)
  /**
   * The Xen port of each per-CPU interrupt, at `cpu * PORT_STRIDE + portIndex(name)`; 0 when
   * unbound. One array for every CPU: the IPI path reads it for each target.
   */
  private portTable = new Int32Array(64 * PORT_STRIDE)
  /** `cpu_online_mask`, one byte per CPU (see `setLinuxOnline`). */
  private onlineMask = new Uint8Array(64)
  /** `cpus[c].vcpu` of each CPU, -1 before it is placed: written only by `place`. */
  private vcpuOfCpu = new Int32Array(64).fill(-1)
  /** Per CPU, the tick until which it is busy running IPI handlers (they run one at a time). */
  private busy = new Float64Array(64)
  /** The event-channel ABI Linux uses (FIFO falls back to 2-level when the first init fails). */
  abi: EventAbi
  abiWhy: string | null = null
  /** `have_vcpu_info_placement` (cleared by the first failed register_vcpu_info on x86). */
  placement = true
  panicked = false
  /** Why nothing ran at all (kdump without soft reset), or null. */
  startError: string | null = null
  /** Confidence of the run's events (derived for a kdump crash kernel); CPUs may override. */
  conf: Confidence = 'source'
  /** The value `xen_vcpu_id` holds before it is set, and whether any code read it. */
  readonly beforeSet: number
  beforeSetRead = false
  bootEnd = 0
  /** Workload steps that have not started yet (their CPU is still busy with an earlier one). */
  readonly stepsNotStarted = new Set<number>()
  /** The SMP operations' state (smp.ts). */
  readonly smp = new SmpState()
  /** The clockevent is the VCPUOP one (xen_time_init's VCPUOP_stop_periodic_timer succeeded). */
  vcpuopTimer = true
  private readonly wheres = new Map<string, string>()
  private readonly sources = new Map<string, Map<string, string>>()
  /** x86 PVHVM: Linux's numbering of the MADT, kept for ACPI hot-add. */
  numbering: X86CpuNumbering | null = null

  constructor(cfg: GuestConfig, beforeSet: number) {
    const s = cfg.s
    this.s = s
    this.minor = cfg.minor
    this.kind = cfg.kind
    this.tree = cfg.tree
    this.era = LINUX_ERA_TABLE[s.linux.era]
    this.design = XEN_DESIGN_TABLE[s.linux.design]
    this.code2007 = cfg.tree === 'f87e4cac'
    this.mapped = this.design.mapped
    this.pvh = s.guest.type === 'pvh'
    this.bootVcpu = cfg.bootVcpu
    this.beforeSet = beforeSet
    this.abi = this.code2007 ? '2l' : s.guest.eventChannels
    this.hv = new XenHypervisor({
      minor: cfg.minor,
      kind: cfg.kind,
      maxVcpus: s.guest.maxVcpus,
      upAtStart: [cfg.bootVcpu],
    })
    this.rec = new Recorder(s.guest.maxVcpus, cfg.budget)
    this.cpuOnVcpu = new Int32Array(s.guest.maxVcpus).fill(-1)
    this.fifoOwner = new Int32Array(s.guest.maxVcpus).fill(-1)
    this.rt = new Runtime(s.seed, (t) => this.mayRun(t))
  }

  get now(): number {
    return this.rt.now
  }

  addCpu(cpu: number, init: Partial<LinuxCpu> = {}): LinuxCpu {
    const c: LinuxCpu = {
      cpu,
      startsOn: null,
      acpiId: null,
      apicId: null,
      mpidr: null,
      id: cpu,
      idSource: 'raw-cpu',
      present: true,
      expected: false,
      state: 'never',
      reason: null,
      failedEvent: null,
      vcpuInfoOf: null,
      registered: false,
      controlBlock: false,
      initialised: false,
      onlineGate: new Gate(),
      doneGate: new Gate(),
      spinningSince: null,
      stepGate: null,
      conf: null,
      ...init,
    }
    this.cpus[cpu] = c
    return c
  }

  cpu(n: number): LinuxCpu | undefined {
    return this.cpus[n]
  }

  /** A thread runs only while its CPU runs (or is about to start) and the guest has not panicked. */
  private mayRun(t: Thread): boolean {
    if (this.panicked) return false
    if (t.cpu < 0) return true
    const c = this.cpus[t.cpu]
    if (c === undefined) return false
    const v = this.runsOn(t.cpu)
    return v < 0 || this.hv.vcpus[v]?.up === true
  }

  /** The vCPU the CPU executes on (the boot vCPU before cpu 0 is placed). */
  onVcpu(cpu: number): number {
    return this.vcpuOf(cpu) ?? this.bootVcpu
  }

  /** Records a hypercall; returns its index in `events`. */
  call(
    cpu: number,
    side: Side,
    forCpu: number,
    op: string,
    vcpu: number | null,
    rc: number,
    fn: string,
    port: number | null = null,
    what: string | null = null,
    conf: Confidence = this.confOf(forCpu),
  ): number {
    const onVcpu = this.onVcpu(cpu)
    const target = vcpu === null ? null : vcpu >>> 0
    const ids = this.rec.ids
    return this.rec.push({
      kind: 'hypercall',
      at: this.now,
      op,
      cpu,
      onVcpu,
      side,
      vcpu: target,
      rc,
      errno: rc < 0 ? errnoName(rc) : null,
      forCpu,
      port,
      what,
      source: this.sourceOf(fn, op),
      confidence: conf,
      track: ids.id(onVcpu),
      toTracks: ids.to(target, onVcpu),
    })
  }

  /** A kernel message the model shows (printk), as the release's source writes it. */
  printk(cpu: number, level: 'debug' | 'info' | 'warning', text: string, fn: string): void {
    this.push({
      kind: 'printk',
      at: this.now,
      cpu,
      level,
      text,
      source: this.where(fn),
      confidence: this.confOf(cpu),
    })
  }

  /** The confidence of what happens for CPU `cpu`. */
  confOf(cpu: number): Confidence {
    return this.cpus[cpu]?.conf ?? this.conf
  }

  push(e: Recorded): number {
    return this.rec.push(e)
  }

  /** Index of the last recorded event. */
  last(): number {
    return this.rec.count - 1
  }

  /** "fn (file, tree)" for a Linux function of the tree this run follows. */
  where(fn: string): string {
    let w = this.wheres.get(fn)
    if (w === undefined) {
      w = linuxWhere(fn, this.tree, this.code2007 ? {} : this.era.files)
      this.wheres.set(fn, w)
    }
    return w
  }

  /** "linux fn / xen fn" for a hypercall, built once per pair. */
  sourceOf(fn: string, op: string): string {
    let byOp = this.sources.get(fn)
    if (!byOp) this.sources.set(fn, (byOp = new Map()))
    let s = byOp.get(op)
    if (s === undefined) {
      s = callSource(this.where(fn), xenWhere(op, this.kind, this.minor))
      byOp.set(op, s)
    }
    return s
  }

  /** Sets a CPU's `xen_vcpu_id` and records where the value came from. */
  setId(cpu: number, id: number, via: VcpuIdSource, fn: string, conf?: Confidence): void {
    const c = this.cpus[cpu] as LinuxCpu
    c.id = id >>> 0
    c.idSource = via
    this.push({
      kind: 'vcpu-id',
      at: this.now,
      cpu,
      vcpu: c.id,
      via,
      source: this.where(fn),
      confidence: conf ?? this.confOf(cpu),
    })
  }

  /** The id a CPU's hypercalls carry now; notes when that is the value before it was set. */
  idOf(cpu: number): number {
    const c = this.cpus[cpu] as LinuxCpu
    if (c.idSource === 'before-set') this.beforeSetRead = true
    return c.id
  }

  /** A CPU starts running on vCPU `vcpu`. */
  place(cpu: number, vcpu: number): void {
    this.cpuOnVcpu[vcpu] = cpu
    this.vcpuOfCpu = withRoom(this.vcpuOfCpu, cpu, -1)
    this.vcpuOfCpu[cpu] = vcpu
    this.rec.track(vcpu)?.set(this.now, cpu === 0 ? 'boot' : 'starting', `cpu ${cpu}`)
  }

  setState(
    cpu: number,
    state: CpuState,
    reason: string | null,
    source: string,
    conf: Confidence = this.confOf(cpu),
  ): void {
    const c = this.cpus[cpu] as LinuxCpu
    c.state = state
    c.reason = reason
    this.setLinuxOnline(c, state === 'online')
    this.push({ kind: 'cpu-state', at: this.now, cpu, state, reason, source, confidence: conf })
    const track = this.rec.track(this.vcpuOf(cpu))
    if (state === 'online') track?.set(this.now, 'idle', `cpu ${cpu}`)
  }

  /** A CPU's bring-up fails without a BUG (a prepare step refused): the kernel goes on. */
  fail(cpu: number, reason: string, event: number | null, source: string): void {
    const c = this.cpus[cpu] as LinuxCpu
    c.failedEvent = event
    const e = event === null ? undefined : this.rec.event(event)
    this.setState(cpu, 'failed', reason, source, e?.confidence ?? this.confOf(cpu))
    this.rt.open(c.onlineGate)
    this.rt.open(c.doneGate)
  }

  /**
   * A BUG/BUG_ON fires on `onCpu` while bringing up (or running) `cpu`: the oops kills the task
   * it ran in. In bring-up that is init or an idle task, so the kernel panics ("Attempted to kill
   * init!" / "...the idle task!"): derived from the oops path, not observed on Xen.
   */
  bug(
    onCpu: number,
    cpu: number,
    where: string,
    event: number | null,
    panic = true,
    source = where,
  ): void {
    this.push({
      kind: 'bug',
      at: this.now,
      cpu: onCpu,
      where,
      panic,
      source,
      confidence: 'derived',
    })
    if (!panic) return
    const c = this.cpus[cpu] as LinuxCpu
    c.failedEvent = event
    this.setState(cpu, 'failed', where, where, 'derived')
    this.rt.open(c.onlineGate)
    this.rt.open(c.doneGate)
    this.panicked = true
    for (const c of this.cpus) {
      const v = c ? this.vcpuOf(c.cpu) : null
      if (v !== null) this.rec.track(v)?.set(this.now, 'failed')
    }
  }

  /** The Xen port bound for CPU `cpu`'s interrupt `name`, or 0. */
  portOf(cpu: number, name: PortName): number {
    return this.portTable[cpu * PORT_STRIDE + portIndex(name)] ?? 0
  }

  bindPort(cpu: number, name: PortName, port: number, event: number): void {
    const at = cpu * PORT_STRIDE + portIndex(name)
    this.portTable = withRoom(this.portTable, at)
    this.portTable[at] = port
    this.linux[port] = { cpu, name, event }
    this.linuxNames = withRoom(this.linuxNames, port)
    this.linuxNames[port] = portIndex(name) + 1
  }

  unbindPort(cpu: number, name: PortName): void {
    const at = cpu * PORT_STRIDE + portIndex(name)
    const port = this.portTable[at] ?? 0
    this.linux[port] = undefined
    if (port < this.linuxNames.length) this.linuxNames[port] = 0
    if (at < this.portTable.length) this.portTable[at] = 0
  }

  /** Sets a CPU's bit in `cpu_online_mask` (the field and the mask the IPI path reads). */
  setLinuxOnline(c: LinuxCpu, on: boolean): void {
    this.onlineMask = withRoom(this.onlineMask, c.cpu)
    this.onlineMask[c.cpu] = on ? 1 : 0
  }

  /** `cpu_online(cpu)`: Linux `cpu_online_mask` (the 2007 stop_self leaves it set). */
  linuxOnline(cpu: number): boolean {
    return cpu >= 0 && cpu < this.onlineMask.length && this.onlineMask[cpu] === 1
  }

  busyUntil(cpu: number): number {
    return cpu < this.busy.length ? (this.busy[cpu] as number) : 0
  }

  setBusyUntil(cpu: number, tick: number): void {
    this.busy = withRoom(this.busy, cpu)
    this.busy[cpu] = tick
  }

  /** Linux's binding of Xen port `port`. */
  linuxPort(port: number): LinuxPort | undefined {
    return this.linux[port]
  }

  /** The name of Linux's binding of Xen port `port` (`linuxPort(port)?.name`, without the object). */
  linuxPortName(port: number): PortName | undefined {
    const i = port < this.linuxNames.length ? (this.linuxNames[port] as number) : 0
    return i === 0 ? undefined : PORT_NAMES[i - 1]
  }

  /** One more than the highest port Linux has bound. */
  get portCount(): number {
    return this.linux.length
  }

  /** The vCPU of every CPU, -1 for one not placed (read only: `place` writes it). */
  get vcpuOfCpus(): Readonly<Int32Array> {
    return this.vcpuOfCpu
  }

  /** The vCPU Linux CPU `cpu` runs on, or -1 (the hot paths' form of `vcpuOf`). */
  runsOn(cpu: number): number {
    return cpu >= 0 && cpu < this.vcpuOfCpu.length ? (this.vcpuOfCpu[cpu] as number) : -1
  }

  /** The vCPU Linux CPU `cpu` runs on, or null before it is placed. */
  vcpuOf(cpu: number): number | null {
    const v = this.runsOn(cpu)
    return v < 0 ? null : v
  }

  /** The Linux CPU that would see an event delivered to vCPU `vcpu`, or -1. */
  cpuOn(vcpu: number): number {
    return this.cpuOnVcpu[vcpu] ?? -1
  }
}
