/**
 * The `engine: "xen"` part of a scenario (docs/scenario.md): the Xen version, the guest (type, vCPUs,
 * Linux nr_cpus, event-channel ABI, normal boot or kdump), the Linux design and era, and a
 * workload of SMP operations.
 */
import { z } from 'zod'
import { XEN_DESIGN_NAMES, XEN_DESIGN_TABLE, type XenDesignName } from '../../designs/xen'
import { LINUX_ERA_NAMES, LINUX_ERA_TABLE, type LinuxEraName } from '../../designs/xenEras'
import { MAX_STEPS, bool, closed, intIn, oneOf } from './fields'
import { problem, type PathSegment, type Problem } from './problems'

/** Xen versions where an answer changes: 4.6 CPUID vcpu-id flag, 4.7 soft reset and HVM VCPUOPs,
 * 4.8 libacpi, 4.11 last vCPU down powers off, 4.18 register_vcpu_info re-registration -EBUSY. */
export const XEN_VERSIONS = [
  '4.4',
  '4.5',
  '4.6',
  '4.7',
  '4.8',
  '4.9',
  '4.10',
  '4.11',
  '4.12',
  '4.13',
  '4.14',
  '4.15',
  '4.16',
  '4.17',
  '4.18',
  '4.19',
  '4.20',
] as const
export type XenVersion = (typeof XEN_VERSIONS)[number]

export const GUEST_TYPES = ['pv', 'pvhvm', 'pvh', 'arm'] as const
export type GuestType = (typeof GUEST_TYPES)[number]

/** The ARM guest's virtual GIC (libxl `gic_version`): its vCPU limit is the vGIC's. */
export const GIC_VERSIONS = ['v2', 'v3'] as const
export type GicVersion = (typeof GIC_VERSIONS)[number]

export const EVENT_CHANNEL_ABIS = ['fifo', '2l'] as const
export type EventChannelAbi = (typeof EVENT_CHANNEL_ABIS)[number]

/** The designs a scenario may name: the table of src/designs/xen. */
export const XEN_DESIGNS = XEN_DESIGN_NAMES
export type XenDesign = XenDesignName

/** The Linux releases a scenario may name: the table of src/designs/xenEras. */
export const LINUX_ERAS = LINUX_ERA_NAMES
export type LinuxEra = LinuxEraName

export const ID_BEFORE_SET = ['minus-one', 'zero', 'boot-id', 'u32-max'] as const
export type IdBeforeSet = (typeof ID_BEFORE_SET)[number]

export const IPI_VECTORS = ['reschedule', 'call-function'] as const
export type IpiVector = (typeof IPI_VECTORS)[number]

/** Per-CPU interrupts whose affinity a `set-affinity` step moves (EVTCHNOP_bind_vcpu). */
export const AFFINITY_IRQS = ['reschedule', 'call-function', 'timer'] as const
export type AffinityIrq = (typeof AFFINITY_IRQS)[number]

export const XEN_VERBS = [
  'send-ipi',
  'call-function',
  'exit-mmap',
  'offline',
  'online',
  'stop-others',
  'vcpu-hot-add',
  'set-affinity',
] as const
export type XenVerb = (typeof XEN_VERBS)[number]

export const MAX_XEN_VCPUS = 4096
export const MAX_NR_CPUS = 8192
/** `HVM_MAX_VCPUS` (public/hvm/hvm_info_table.h): XEN_DOMCTL_max_vcpus refuses more (-EINVAL). */
export const HVM_MAX_VCPUS = 128

/**
 * How many Local APIC entries the MADT of an HVM guest has. Up to Xen 4.7 hvmloader writes 15
 * (its 15-CPU DSDT) for up to 15 vCPUs, else HVM_MAX_VCPUS = 128
 * (tools/firmware/hvmloader/acpi/build.c:construct_madt @RELEASE-4.7.0); from 4.8 libacpi writes
 * one per vCPU (tools/libacpi/build.c:construct_madt @RELEASE-4.8.0). Entries past the vCPUs
 * online at build are disabled. Beyond 128 vCPUs (more than Xen builds) the model extends the rule.
 */
export function hvmMadtEntries(xenMinor: number, maxVcpus: number): number {
  if (xenMinor >= 8) return maxVcpus
  return maxVcpus <= 15 ? 15 : Math.max(HVM_MAX_VCPUS, maxVcpus)
}

/**
 * Linux's nr_cpu_ids when the command line has no `nr_cpus=`, as each guest type finds it:
 * - PVHVM: `prefill_possible_map` (arch/x86/kernel/smpboot.c @v4.8) makes every MADT entry
 *   possible, enabled or not ("Allowing 15 CPUs, 11 hotplug CPUs" for 4 vCPUs on Xen 4.7), up to
 *   NR_CPUS; the model's kernel has NR_CPUS = 8192 (CONFIG_MAXSMP, a model choice).
 * - ARM: the device tree libxl writes, one cpu node per vCPU (tools/libxl/libxl_arm.c:make_cpus_node).
 * - PV: `xen_fill_possible_map` (arch/x86/xen/smp.c @v4.8) keeps the ids VCPUOP_is_up answers
 *   for, which are the domain's vCPUs; the model stops its is_up scan there instead of at NR_CPUS
 *   (the calls beyond return -ENOENT and change nothing).
 */
export function defaultNrCpus(type: GuestType, xenMinor: number, maxVcpus: number): number {
  // PVH: libxl writes one MADT entry per vCPU (tools/libacpi/build.c construct_madt).
  if (type !== 'pvhvm') return maxVcpus
  return Math.min(hvmMadtEntries(xenMinor, maxVcpus), MAX_NR_CPUS)
}
const MAX_TICK = 1e12

const tick = intIn(0, MAX_TICK)
const cpu = intIn(0, MAX_NR_CPUS - 1)
const cpuList = z
  .array(cpu, { error: 'must be an array of Linux CPU numbers' })
  .max(MAX_NR_CPUS, { error: `must name at most ${MAX_NR_CPUS} CPUs` })

const step = z.discriminatedUnion(
  'do',
  [
    closed({ at: tick, cpu, do: z.literal('send-ipi'), target: cpu, vector: oneOf(IPI_VECTORS) }),
    closed({
      at: tick,
      cpu,
      do: z.literal('call-function'),
      targets: cpuList,
      wait: bool().default(true),
    }),
    closed({
      at: tick,
      cpu,
      do: z.literal('exit-mmap'),
      lazyCpus: cpuList,
      /** `drop-first` is xen_exit_mmap as written; `unpin-first` shows what Xen does otherwise. */
      order: oneOf(['drop-first', 'unpin-first']).default('drop-first'),
    }),
    closed({ at: tick, cpu, do: z.literal('offline') }),
    closed({ at: tick, cpu, do: z.literal('online') }),
    closed({ at: tick, cpu, do: z.literal('stop-others') }),
    /** The toolstack brings vCPU `vcpu` online (`xl vcpu-set`); `cpu` runs the hotplug. */
    closed({ at: tick, cpu, do: z.literal('vcpu-hot-add'), vcpu: intIn(0, MAX_XEN_VCPUS - 1) }),
    /** `cpu`'s per-CPU interrupt `irq` is moved to Linux CPU `target` (rebind_irq_to_cpu). */
    closed({
      at: tick,
      cpu,
      do: z.literal('set-affinity'),
      irq: oneOf(AFFINITY_IRQS),
      target: cpu,
    }),
  ],
  { error: `must be one of ${XEN_VERBS.map((v) => JSON.stringify(v)).join(', ')}` },
)

export const xenSchema = closed({
  schemaVersion: z.unknown().optional(),
  name: z.unknown().optional(),
  description: z.unknown().optional(),
  engine: z.literal('xen'),
  seed: z.unknown().optional(),
  xen: closed({ version: oneOf(XEN_VERSIONS).default('4.7') }).default({ version: '4.7' }),
  guest: closed({
    type: oneOf(GUEST_TYPES),
    maxVcpus: intIn(1, MAX_XEN_VCPUS),
    onlineVcpus: intIn(1, MAX_XEN_VCPUS).optional(),
    nrCpus: intIn(1, MAX_NR_CPUS).optional(),
    eventChannels: oneOf(EVENT_CHANNEL_ABIS).default('fifo'),
    /** ARM only: the virtual GIC (libxl gic_version); default v3. */
    gic: oneOf(GIC_VERSIONS).optional(),
    boot: closed({
      kind: oneOf(['normal', 'kdump']).default('normal'),
      crashedVcpu: intIn(0, MAX_XEN_VCPUS - 1).optional(),
    }).default({ kind: 'normal' }),
  }),
  linux: closed({
    design: oneOf(XEN_DESIGNS),
    era: oneOf(LINUX_ERAS).default('4.8'),
    idBeforeSet: oneOf(ID_BEFORE_SET).optional(),
  }),
  workload: closed({
    steps: z
      .array(step, { error: 'must be an array of steps' })
      .max(MAX_STEPS, { error: `must have at most ${MAX_STEPS.toLocaleString('en-US')} steps` })
      .default([]),
    until: intIn(1, MAX_TICK).optional(),
  }).default({ steps: [] }),
})

type ParsedStep = z.infer<typeof step>
export type XenStep = ParsedStep

export interface XenScenario {
  schemaVersion: 1
  name: string
  description: string
  engine: 'xen'
  seed: number
  xen: { version: XenVersion }
  guest: {
    type: GuestType
    maxVcpus: number
    onlineVcpus: number
    nrCpus: number
    eventChannels: EventChannelAbi
    /** ARM: the virtual GIC; null for x86 guests. */
    gic: GicVersion | null
    boot: { kind: 'normal' } | { kind: 'kdump'; crashedVcpu: number }
  }
  linux: { design: XenDesign; era: LinuxEra; idBeforeSet: IdBeforeSet }
  workload: { steps: XenStep[]; until: number | null }
}

/**
 * The value a secondary CPU's `xen_vcpu_id` holds before its prepare step sets it, as each design
 * and era had it (`xen_vcpu_id` in arch/x86/xen/enlighten.c and arch/arm/xen/enlighten.c):
 * - x86 PVHVM: the boot vCPU's id, because `init_hvm_pv_info` writes it into the per-CPU template
 *   before `setup_per_cpu_areas` copies the template (derived, 4.8/4.9 x86-64);
 * - `vcpu-id-mapping` as first merged (88e957d6): `int` initialised to -1;
 * - the later designs build on v4.8.15, where it is a `uint32_t` with no initialiser: 0.
 * `raw-cpu` has no mapping; the value is echoed as 0 and never read.
 */
export function defaultIdBeforeSet(
  design: XenDesign,
  type: GuestType,
  era: LinuxEra = '4.8',
): IdBeforeSet {
  const fixed = LINUX_ERA_TABLE[era].idBeforeSet
  if (fixed !== null && (type === 'pvhvm' || type === 'pvh')) return fixed
  return XEN_DESIGN_TABLE[design].idBeforeSet(type)
}

type Parsed = z.infer<typeof xenSchema>
type Common = Pick<XenScenario, 'schemaVersion' | 'name' | 'description' | 'seed'>

/** Records a problem at a JSON path of the scenario; the message is quoted with what was found. */
type Report = (path: PathSegment[], message: string) => void

/** The guest's boot, checking that a kdump boot is on x86 PVHVM from an online vCPU and that
 * only a kdump boot names a crashed vCPU. */
function normalizeBoot(
  g: Parsed['guest'],
  onlineVcpus: number,
  at: Report,
): XenScenario['guest']['boot'] {
  if (g.boot.kind !== 'kdump') {
    if (g.boot.crashedVcpu !== undefined) {
      at(['guest', 'boot', 'crashedVcpu'], 'only a kdump boot has a crashed vCPU')
    }
    return { kind: 'normal' }
  }
  if (g.type === 'arm') {
    at(
      ['guest', 'boot', 'kind'],
      'kdump is not supported on Xen/ARM ("arm/xen: fix SMP guests boot"); must be "normal"',
    )
  } else if (g.type === 'pv') {
    at(
      ['guest', 'boot', 'kind'],
      'kdump is modelled for x86 PVHVM and PVH (soft reset, CPUID leaf base+4); must be "normal" for pv',
    )
  }
  if (g.boot.crashedVcpu === undefined) {
    at(['guest', 'boot', 'crashedVcpu'], 'kdump needs the Xen vCPU the crash kernel starts on')
  } else if (g.boot.crashedVcpu >= onlineVcpus) {
    at(
      ['guest', 'boot', 'crashedVcpu'],
      `must be an online vCPU, from 0 to ${onlineVcpus - 1} (guest.onlineVcpus - 1)`,
    )
  }
  return { kind: 'kdump', crashedVcpu: g.boot.crashedVcpu ?? 0 }
}

/** Checks one workload step against the guest: its CPUs below nr_cpus, exit-mmap only on a PV
 * guest, a hot-added vCPU inside the domain. */
function checkStep(s: ParsedStep, i: number, g: Parsed['guest'], nrCpus: number, at: Report): void {
  const checkCpu = (path: PathSegment[], n: number) => {
    if (n >= nrCpus) at(path, `must be a Linux CPU number below guest.nrCpus (${nrCpus})`)
  }
  checkCpu(['workload', 'steps', i, 'cpu'], s.cpu)
  if (s.do === 'send-ipi') checkCpu(['workload', 'steps', i, 'target'], s.target)
  if (s.do === 'call-function') {
    s.targets.forEach((t, j) => checkCpu(['workload', 'steps', i, 'targets', j], t))
  }
  if (s.do === 'exit-mmap') {
    s.lazyCpus.forEach((t, j) => checkCpu(['workload', 'steps', i, 'lazyCpus', j], t))
    if (g.type !== 'pv') {
      at(
        ['workload', 'steps', i, 'do'],
        'exit-mmap models the PV page-table unpin (xen_exit_mmap); HVM and ARM guests pin no page tables, so guest.type must be "pv"',
      )
    }
  }
  if (s.do === 'set-affinity') checkCpu(['workload', 'steps', i, 'target'], s.target)
  if (s.do === 'vcpu-hot-add' && s.vcpu >= g.maxVcpus) {
    at(
      ['workload', 'steps', i, 'vcpu'],
      `must be a vCPU of the domain, from 0 to ${g.maxVcpus - 1} (guest.maxVcpus - 1)`,
    )
  }
}

/** The workload with `until` filled (null: none), checking every step and then that no step is
 * after `until`. */
function normalizeWorkload(parsed: Parsed, nrCpus: number, at: Report): XenScenario['workload'] {
  const steps = parsed.workload.steps
  steps.forEach((s, i) => checkStep(s, i, parsed.guest, nrCpus, at))
  const until = parsed.workload.until ?? null
  if (until !== null) {
    steps.forEach((s, i) => {
      if (s.at > until)
        at(['workload', 'steps', i, 'at'], `must not be after workload.until (${until})`)
    })
  }
  return { steps, until }
}

/**
 * What the Linux release and Xen version allow: the guest types and designs whose code the era
 * runs in the model, PVH (Linux 4.11 `xen_pvh`, Xen 4.10 libxl `type = "pvh"`), and the vGIC only
 * for ARM. Returns the GIC (ARM: default v3, libxl's `native` on a GICv3 host; x86: null).
 */
function checkEra(parsed: Parsed, at: Report): GicVersion | null {
  const g = parsed.guest
  const eraName = parsed.linux.era
  const era = LINUX_ERA_TABLE[eraName]
  const eras = (pred: (e: (typeof LINUX_ERA_TABLE)[LinuxEra]) => boolean) =>
    LINUX_ERAS.filter((n) => pred(LINUX_ERA_TABLE[n]))
      .map((n) => `"${n}"`)
      .join(', ')
  if (g.type === 'pvh' && !era.pvh) {
    at(
      ['linux', 'era'],
      `PVH guests need Linux 4.11 or later (xen_pvh); must be one of ${eras((e) => e.pvh)}`,
    )
  } else if (!era.guestTypes.includes(g.type)) {
    at(
      ['linux', 'era'],
      `Linux ${eraName} is modelled for ${era.guestTypes.join(' and ')} guests only; for ${g.type} must be one of ${eras((e) => e.guestTypes.includes(g.type))}`,
    )
  }
  if (era.designs !== 'all' && !era.designs.includes(parsed.linux.design)) {
    at(
      ['linux', 'design'],
      `Linux ${eraName} carries 88e957d6 and de75abbe, which run the same x86 code; must be ${era.designs.map((d) => `"${d}"`).join(' or ')}`,
    )
  }
  if (g.type === 'pvh' && Number(parsed.xen.version.split('.')[1]) < 10) {
    at(
      ['xen', 'version'],
      'libxl builds PVH guests (type = "pvh") from Xen 4.10; must be "4.10" or later',
    )
  }
  if (g.type !== 'arm') {
    if (g.gic !== undefined)
      at(['guest', 'gic'], 'applies only to ARM guests (the virtual GIC); remove it')
    return null
  }
  return g.gic ?? 'v3'
}

/** Fills the defaults that depend on other fields (online vCPUs, nr_cpus, the id before set,
 * `until`) and checks the rules that span fields. */
export function normalizeXen(
  parsed: Parsed,
  common: Common,
  input: unknown,
): { scenario: XenScenario; problems: Problem[] } {
  const problems: Problem[] = []
  const at: Report = (path, message) => problems.push(problem(path, message, input))
  const g = parsed.guest
  const onlineVcpus = g.onlineVcpus ?? g.maxVcpus
  if (onlineVcpus > g.maxVcpus) {
    at(['guest', 'onlineVcpus'], `must be from 1 to guest.maxVcpus (${g.maxVcpus})`)
  }
  const nrCpus =
    g.nrCpus ?? defaultNrCpus(g.type, Number(parsed.xen.version.split('.')[1]), g.maxVcpus)
  const boot = normalizeBoot(g, onlineVcpus, at)
  const gic = checkEra(parsed, at)

  const design = parsed.linux.design
  const idBeforeSet =
    parsed.linux.idBeforeSet ?? defaultIdBeforeSet(design, g.type, parsed.linux.era)
  const workload = normalizeWorkload(parsed, nrCpus, at)

  return {
    problems,
    scenario: {
      schemaVersion: common.schemaVersion,
      name: common.name,
      description: common.description,
      engine: 'xen',
      seed: common.seed,
      xen: { version: parsed.xen.version },
      guest: {
        type: g.type,
        maxVcpus: g.maxVcpus,
        onlineVcpus,
        nrCpus,
        eventChannels: g.eventChannels,
        gic,
        boot,
      },
      linux: { design, era: parsed.linux.era, idBeforeSet },
      workload,
    },
  }
}
