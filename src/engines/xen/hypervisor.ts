/**
 * The model Xen: one domain's vCPUs and event channels, answering every vCPU-naming hypercall
 * with the return code Xen gives, per Xen version (xen/common/domain.c `do_vcpu_op`, event_channel.c, event_fifo.c; sources below).
 *
 * Invariants:
 * 1. Every vCPU argument is read as Xen reads it: an unsigned 32-bit number, so a Linux -1 is
 *    4294967295 and fails the range check like any other id >= max_vcpus.
 * 2. The checks run in Xen's order, so the first failing check decides the errno:
 *    HVM filter (< 4.7, -ENOSYS) before the range check; ARM range check (-ENOENT) before its
 *    whitelist (-EINVAL); bind_virq's global-VIRQ check (-EINVAL) before its range check.
 * 3. A call can return 0 and still do the wrong thing (bind to a vCPU that is down): the state
 *    here records it, and delivery (`deliveryOf`) says what happens to an event raised later.
 */
import { EBUSY, EEXIST, EINVAL, ENOENT, ENOSYS } from './errno'
import { withRoom } from './flat'
import { HVM_MAX_VCPUS } from '../../shared/scenario/xenScenario'

export type GuestKind = 'pv' | 'hvm' | 'arm'
export type EventAbi = 'fifo' | '2l'

export type VcpuOp =
  | 'VCPUOP_initialise'
  | 'VCPUOP_up'
  | 'VCPUOP_down'
  | 'VCPUOP_is_up'
  | 'VCPUOP_register_vcpu_info'
  | 'VCPUOP_register_runstate_memory_area'
  | 'VCPUOP_set_singleshot_timer'
  | 'VCPUOP_stop_singleshot_timer'
  | 'VCPUOP_set_periodic_timer'
  | 'VCPUOP_stop_periodic_timer'

export type Virq = 'VIRQ_TIMER' | 'VIRQ_DEBUG' | 'VIRQ_CONSOLE' | 'VIRQ_XENPMU'

/** Per-vCPU VIRQs (xen/common/event_channel.c `virq_is_global`); every other VIRQ is global. */
const PER_VCPU_VIRQS: ReadonlySet<Virq> = new Set(['VIRQ_TIMER', 'VIRQ_DEBUG', 'VIRQ_XENPMU'])

/** x86 `XEN_LEGACY_MAX_VCPUS`: vCPUs with a vcpu_info slot in shared_info; ARM has only vCPU 0. */
export const X86_LEGACY_MAX_VCPUS = 32

/** `HVM_MAX_VCPUS` (public/hvm/hvm_info_table.h): XEN_DOMCTL_max_vcpus refuses more (-EINVAL). */
export { HVM_MAX_VCPUS }
/**
 * ARM `MAX_VIRT_CPUS` (xen/include/asm-arm/config.h): 8 up to Xen 4.5 (RELEASE-4.5.0), 128 on
 * arm64 from 4.6 (8f853b74df "xen/arm64: increase MAX_VIRT_CPUS to 128 on arm64"). The model's
 * ARM guest is arm64.
 */
export function armMaxVcpus(xenMinor: number): number {
  return xenMinor <= 5 ? 8 : 128
}

/**
 * The vGIC's vCPU limit from Xen 4.6 (bc3569b89b "xen/arm: make domain_max_vcpus return value from
 * vgic_ops"): GICv2 8, GICv3 4096 (AFF1 and AFF0 of the redistributors); up to 4.5 there is none
 * beyond MAX_VIRT_CPUS.
 */
export function vgicMaxVcpus(xenMinor: number, gic: 'v2' | 'v3'): number {
  if (xenMinor <= 5) return Infinity
  return gic === 'v2' ? 8 : 4096
}

/**
 * The most vCPUs Xen builds for this guest kind on this Xen: HVM (and PVH) HVM_MAX_VCPUS; ARM
 * `min(MAX_VIRT_CPUS, the vGIC's limit)`, checked by XEN_DOMCTL_max_vcpus (`domain_max_vcpus`,
 * 4.6–4.11) or at XEN_DOMCTL_createdomain (`arch_sanitise_domain_config`, 344214c968, 4.12 on).
 */
export function domainMaxVcpus(
  kind: GuestKind,
  xenMinor: number,
  gic: 'v2' | 'v3' | null = null,
): number {
  if (kind === 'hvm') return HVM_MAX_VCPUS
  if (kind === 'arm') return Math.min(armMaxVcpus(xenMinor), vgicMaxVcpus(xenMinor, gic ?? 'v3'))
  return Infinity
}

export interface VcpuState {
  readonly id: number
  /** Running: `_VPF_down` clear. */
  up: boolean
  /** `v->is_initialised`: has a context (VCPUOP_initialise, or built/started by Xen). */
  initialised: boolean
  /** Where its vcpu_info lives: the shared_info slot, a registered area, or the dummy. */
  vcpuInfo: 'shared' | 'registered' | 'dummy'
  runstate: boolean
  /** FIFO control block mapped (EVTCHNOP_init_control). */
  fifoBlock: boolean
  /** `v->virq_to_evtchn`: the port each VIRQ is bound to on this vCPU. */
  virqPorts: Partial<Record<Virq, number>>
}

export type PortKind = 'free' | 'interdomain' | 'ipi' | 'virq'

export interface PortState {
  kind: PortKind
  /** `notify_vcpu_id`: the vCPU an event on this port is raised on. */
  vcpu: number
  virq: Virq | null
}

/** What happens to an event raised on a port (xen/common/event_fifo.c, event_2l.c). */
export type Delivery =
  /** The upcall is raised on the bound vCPU, which is running. */
  | 'upcall'
  /** Pending on a vCPU that is down: nobody sees it while it stays down. */
  | 'vcpu-down'
  /** FIFO, and the bound vCPU has no control block: Xen drops it with a warning. */
  | 'no-control-block'

export interface HypervisorConfig {
  /** Minor version of Xen 4.x (7 for 4.7). */
  minor: number
  kind: GuestKind
  maxVcpus: number
  /** vCPUs running when the guest starts (vCPU 0, or the crashed vCPU for kdump). */
  upAtStart: readonly number[]
}

const UP = 1
const FIFO_BLOCK = 2

/**
 * A vCPU's state. `up` and `fifoBlock`, which every event delivery reads, live in one byte per
 * vCPU of the hypervisor's `flags` (a small array that stays in the cache on large runs, where
 * an object per vCPU would be a cache miss per event); the accessors keep one source of truth.
 */
class Vcpu implements VcpuState {
  initialised = false
  runstate = false
  virqPorts: Partial<Record<Virq, number>> = {}

  constructor(
    readonly id: number,
    public vcpuInfo: VcpuState['vcpuInfo'],
    private readonly flags: Uint8Array,
  ) {}

  get up(): boolean {
    return ((this.flags[this.id] as number) & UP) !== 0
  }

  set up(on: boolean) {
    this.set(UP, on)
  }

  get fifoBlock(): boolean {
    return ((this.flags[this.id] as number) & FIFO_BLOCK) !== 0
  }

  set fifoBlock(on: boolean) {
    this.set(FIFO_BLOCK, on)
  }

  private set(bit: number, on: boolean): void {
    const f = this.flags[this.id] as number
    this.flags[this.id] = on ? f | bit : f & ~bit
  }
}

export class XenHypervisor {
  readonly minor: number
  readonly kind: GuestKind
  readonly maxVcpus: number
  readonly vcpus: VcpuState[]
  /** `up` and `fifoBlock` of each vCPU (see `Vcpu`). */
  private readonly flags: Uint8Array
  abi: EventAbi = '2l'
  /** Set when the last vCPU went down on Xen >= 4.11 (d3b230fc46): the domain powered off. */
  poweredOff = false
  private readonly ports: PortState[] = [{ kind: 'free', vcpu: 0, virq: null }]
  /**
   * `notify_vcpu_id` of each port, -1 when the port is free: a copy of `ports` the event paths
   * read (one small array instead of an object per port, which large runs miss in the cache).
   * Every change to a port's kind or vCPU goes through `setPort`.
   */
  private notify = new Int32Array(64).fill(-1)
  private lowestFree = 1
  /** Page tables: pinned flag and the vCPUs whose CR3 references them. */
  private readonly tables = new Map<number, { pinned: boolean; cr3: Set<number> }>()

  constructor(cfg: HypervisorConfig) {
    this.minor = cfg.minor
    this.kind = cfg.kind
    this.maxVcpus = cfg.maxVcpus
    this.vcpus = []
    this.flags = new Uint8Array(cfg.maxVcpus)
    const legacy = cfg.kind === 'arm' ? 1 : X86_LEGACY_MAX_VCPUS
    for (let id = 0; id < cfg.maxVcpus; id++) {
      this.vcpus.push(new Vcpu(id, id < legacy ? 'shared' : 'dummy', this.flags))
    }
    for (const id of cfg.upAtStart) {
      const v = this.vcpus[id] as VcpuState
      v.up = true
      v.initialised = true
    }
    // The toolstack's xenstore and console channels (interdomain, notify vCPU 0) take the first
    // ports before the guest runs: a model choice for port numbering only.
    this.allocPort('interdomain', 0, null)
    this.allocPort('interdomain', 0, null)
  }

  vcpu(id: number): VcpuState | undefined {
    return id < this.maxVcpus ? this.vcpus[id] : undefined
  }

  port(port: number): PortState | undefined {
    const p = this.ports[port]
    return p && p.kind !== 'free' ? p : undefined
  }

  /** The vCPU an event on `port` is raised on, or -1 when the port is not open. */
  boundVcpu(port: number): number {
    return port < this.notify.length ? (this.notify[port] as number) : -1
  }

  private setPort(port: number, kind: PortKind, vcpu: number): void {
    const p = this.ports[port] as PortState
    p.kind = kind
    p.vcpu = vcpu
    this.notify = withRoom(this.notify, port, -1)
    this.notify[port] = kind === 'free' ? -1 : vcpu
  }

  /**
   * HYPERVISOR_vcpu_op(op, target) issued on vCPU `caller`.
   * Sources: [X4.7] xen/common/domain.c do_vcpu_op; xen/arch/x86/hvm/hvm.c hvm_vcpu_op (< 4.7);
   * xen/arch/arm/domain.c do_arm_vcpu_op; [XHEAD] common_vcpu_op.
   */
  vcpuOp(op: VcpuOp, caller: number, target: number): number {
    if (this.kind === 'hvm' && this.minor < 7 && !HVM_VCPUOPS_BEFORE_4_7.has(op)) return ENOSYS
    const v = this.vcpu(target)
    if (!v) return ENOENT
    if (this.kind === 'arm' && !ARM_VCPUOPS.has(op)) return EINVAL
    switch (op) {
      case 'VCPUOP_initialise':
        // 03e484a4f6 (4.19) limited the dummy-vcpu_info check to PV.
        if (v.vcpuInfo === 'dummy' && (this.kind === 'pv' || this.minor < 19)) return EINVAL
        if (v.initialised) return EEXIST
        v.initialised = true
        return 0
      case 'VCPUOP_up':
        if (!v.initialised) return EINVAL
        v.up = true
        return 0
      case 'VCPUOP_down':
        this.takeDown(v)
        return 0
      case 'VCPUOP_is_up':
        return v.up ? 1 : 0
      case 'VCPUOP_register_vcpu_info':
        return this.registerVcpuInfo(v, caller)
      case 'VCPUOP_register_runstate_memory_area':
        v.runstate = true
        return 0
      case 'VCPUOP_set_singleshot_timer':
      case 'VCPUOP_stop_singleshot_timer':
        return target === caller ? 0 : EINVAL
      case 'VCPUOP_set_periodic_timer':
      case 'VCPUOP_stop_periodic_timer':
        return 0
    }
  }

  /**
   * map_vcpu_info ([X4.7]–[X4.17]): already registered, or another vCPU that is running: -EINVAL.
   * map_guest_area (295514ff75, 4.18): re-registration -EBUSY; another running vCPU is paused
   * and mapped.
   */
  private registerVcpuInfo(v: VcpuState, caller: number): number {
    if (v.vcpuInfo === 'registered') return this.minor >= 18 ? EBUSY : EINVAL
    if (this.minor < 18 && v.id !== caller && v.up) return EINVAL
    v.vcpuInfo = 'registered'
    return 0
  }

  private takeDown(v: VcpuState): void {
    v.up = false
    if (this.minor >= 11 && this.vcpus.every((x) => !x.up)) this.poweredOff = true
  }

  /** EVTCHNOP_init_control ([X4.7] xen/common/event_fifo.c:513-575, map_control_block :431). */
  initControl(target: number, offset = 0): number {
    const v = this.vcpu(target)
    if (!v) return ENOENT
    if (offset > PAGE_SIZE - FIFO_CONTROL_BLOCK_SIZE || (offset & 7) !== 0) return EINVAL
    if (v.fifoBlock) return EINVAL
    v.fifoBlock = true
    this.abi = 'fifo'
    return 0
  }

  /** EVTCHNOP_bind_virq ([X4.7] xen/common/event_channel.c:349-393). */
  bindVirq(virq: Virq, target: number): { rc: number; port: number } {
    if (!PER_VCPU_VIRQS.has(virq) && target !== 0) return { rc: EINVAL, port: 0 }
    const v = this.vcpu(target)
    if (!v) return { rc: ENOENT, port: 0 }
    if (v.virqPorts[virq] !== undefined) return { rc: EEXIST, port: 0 }
    const port = this.allocPort('virq', target, virq)
    v.virqPorts[virq] = port
    return { rc: 0, port }
  }

  /** EVTCHNOP_bind_ipi ([X4.7] event_channel.c:395-427): a new port bound to `target`. */
  bindIpi(target: number): { rc: number; port: number } {
    if (!this.vcpu(target)) return { rc: ENOENT, port: 0 }
    return { rc: 0, port: this.allocPort('ipi', target, null) }
  }

  /** EVTCHNOP_bind_vcpu ([X4.7] event_channel.c:910-960). */
  bindVcpu(port: number, target: number): number {
    if (!this.vcpu(target)) return ENOENT
    const p = this.port(port)
    if (!p) return EINVAL
    switch (p.kind) {
      case 'virq':
        if (p.virq && PER_VCPU_VIRQS.has(p.virq)) return EINVAL
        this.setPort(port, p.kind, target)
        return 0
      case 'interdomain':
        this.setPort(port, p.kind, target)
        return 0
      default:
        return EINVAL // IPI ports (the default case)
    }
  }

  /** EVTCHNOP_status: the vCPU a port is bound to, for find_virq. */
  status(port: number): PortState | undefined {
    return this.port(port)
  }

  /** EVTCHNOP_close: frees the port; a VIRQ port also frees the vCPU's VIRQ slot. */
  close(port: number): number {
    const p = this.port(port)
    if (!p) return EINVAL
    if (p.kind === 'virq' && p.virq) {
      const v = this.vcpu(p.vcpu)
      if (v && v.virqPorts[p.virq] === port) delete v.virqPorts[p.virq]
    }
    this.setPort(port, 'free', p.vcpu)
    p.virq = null
    if (port < this.lowestFree) this.lowestFree = port
    return 0
  }

  /** EVTCHNOP_send on an IPI port: 0, or -EINVAL for a port that is not open. */
  send(port: number): number {
    return this.boundVcpu(port) >= 0 ? 0 : EINVAL
  }

  /** What becomes of an event raised on `port` now (evtchn_fifo_set_pending, evtchn_2l_set_pending). */
  deliveryOf(port: number): Delivery {
    const f = this.flags[this.notify[port] as number] as number
    if (this.abi === 'fifo' && (f & FIFO_BLOCK) === 0) return 'no-control-block'
    return (f & UP) !== 0 ? 'upcall' : 'vcpu-down'
  }

  /** vCPU `v` is running (`vcpus[v].up`, without reading the object). */
  isUp(v: number): boolean {
    return v >= 0 && v < this.maxVcpus && ((this.flags[v] as number) & UP) !== 0
  }

  /** HVM: HLT with interrupts off takes the vCPU down (hvm_vcpu_down, [X4.7] hvm.c:1584-1625). */
  hvmHalt(vcpu: number): void {
    const v = this.vcpu(vcpu)
    if (v) this.takeDown(v)
  }

  /** HVM: INIT/SIPI through the vLAPIC resets and starts the vCPU. */
  hvmStart(vcpu: number): boolean {
    const v = this.vcpu(vcpu)
    if (!v) return false
    v.initialised = true
    v.up = true
    return true
  }

  /** ARM PSCI CPU_ON: the target MPIDR back to a vCPU ([X4.7] xen/arch/arm/vpsci.c). */
  psciCpuOn(vcpu: number): boolean {
    return this.hvmStart(vcpu)
  }

  /**
   * The soft reset before a crash kernel ([X4.7] domain_soft_reset, domain.c:1056-1085): every
   * event channel closed and the domain back on 2-level, every vcpu_info unmapped (back to its
   * shared_info slot, or the dummy), runstate areas cleared.
   */
  softReset(): void {
    for (let p = 1; p < this.ports.length; p++)
      this.setPort(p, 'free', (this.ports[p] as PortState).vcpu)
    this.lowestFree = 1
    this.abi = '2l'
    const legacy = this.kind === 'arm' ? 1 : X86_LEGACY_MAX_VCPUS
    for (const v of this.vcpus) {
      v.vcpuInfo = v.id < legacy ? 'shared' : 'dummy'
      v.runstate = false
      v.fifoBlock = false
      v.virqPorts = {}
    }
  }

  // Page tables (PV): pinning, CR3 references, and making table pages writable again.

  pinTable(table: number): void {
    this.tables.set(table, { pinned: true, cr3: new Set() })
  }

  /** MMUEXT_NEW_BASEPTR: the vCPU's CR3 moves to `table` (null: swapper_pg_dir). */
  newBaseptr(vcpu: number, table: number | null): number {
    for (const t of this.tables.values()) t.cr3.delete(vcpu)
    if (table !== null) this.tables.get(table)?.cr3.add(vcpu)
    return 0
  }

  /** MMUEXT_UNPIN_TABLE ([X4.7] xen/arch/x86/mm.c:3264): clears the pin; -EINVAL if not pinned. */
  unpinTable(table: number): number {
    const t = this.tables.get(table)
    if (!t || !t.pinned) return EINVAL
    t.pinned = false
    return 0
  }

  /**
   * HYPERVISOR_update_va_mapping making a table page writable: get_page_from_l1e cannot take
   * PGT_writable_page while the page still has a page-table type (pinned, or held by some vCPU's
   * CR3) and answers -EBUSY ([X4.7] mm.c could_not_pin, :1054).
   */
  makeWritable(table: number): number {
    const t = this.tables.get(table)
    if (t && (t.pinned || t.cr3.size > 0)) return EBUSY
    return 0
  }

  /** vCPUs whose CR3 still references `table`. */
  tableUsers(table: number): number[] {
    return [...(this.tables.get(table)?.cr3 ?? [])].sort((a, b) => a - b)
  }

  private allocPort(kind: PortKind, vcpu: number, virq: Virq | null): number {
    let port = this.lowestFree
    while (port < this.ports.length && (this.ports[port] as PortState).kind !== 'free') port++
    const state = { kind, vcpu, virq }
    if (port === this.ports.length) this.ports.push(state)
    else this.ports[port] = state
    this.setPort(port, kind, vcpu)
    this.lowestFree = port + 1
    return port
  }
}

const PAGE_SIZE = 4096
/** sizeof(evtchn_fifo_control_block_t): ready word plus 16 queue heads. */
const FIFO_CONTROL_BLOCK_SIZE = 4 + 16 * 4

/** VCPUOPs an HVM guest may use before 192df6f912 (Xen 4.7): [X4.6] hvm.c hvm_vcpu_op. */
const HVM_VCPUOPS_BEFORE_4_7: ReadonlySet<VcpuOp> = new Set<VcpuOp>([
  'VCPUOP_register_runstate_memory_area',
  'VCPUOP_set_periodic_timer',
  'VCPUOP_stop_periodic_timer',
  'VCPUOP_set_singleshot_timer',
  'VCPUOP_stop_singleshot_timer',
  'VCPUOP_register_vcpu_info',
])

/** The VCPUOPs ARM allows ([X4.7] xen/arch/arm/domain.c do_arm_vcpu_op). */
const ARM_VCPUOPS: ReadonlySet<VcpuOp> = new Set<VcpuOp>([
  'VCPUOP_register_vcpu_info',
  'VCPUOP_register_runstate_memory_area',
])
