/**
 * A QEMU pseries guest under KVM (from a QEMU command line or a libvirt domain) as a book3s
 * scenario: the vcpus QEMU creates, the ids it gives them and the SMT mode it asks KVM for.
 *
 * What QEMU does, in its own terms (hw/ppc/spapr.c):
 * - `spapr_set_vsmt_mode`: threads per core must be a power of two; a `vsmt` given on the
 *   command line must be at least the threads per core; without one, machine types from
 *   pseries-4.2 on take `vsmt = smp_threads` (their class sets `smp_threads_vsmt`, Greg Kurz's
 *   "spapr: Set VSMT to smp_threads by default", 2019), and older machine types
 *   `MAX(8, smp_threads)`, 8 being what KVM on POWER8 gives (QEMU 2.12's default). Under KVM,
 *   when vsmt differs from the mode KVM reports (KVM_CAP_PPC_SMT: threads per subcore before
 *   POWER9, 1 on POWER9), QEMU asks KVM for vsmt; if KVM refuses, QEMU goes on only when KVM's
 *   own mode covers the threads and divides vsmt ("we'll waste some vcpu ids"), else it stops.
 * - `spapr_vcpu_id`: vcpu `cpu_index` gets id `(cpu_index / smp_threads) * vsmt + cpu_index %
 *   smp_threads`.
 * - `spapr_init_cpus`: with hotpluggable CPUs (every machine type the lab takes), `-smp` cpus and
 *   maxcpus must be multiples of the threads; the boot cores are cpus / threads.
 */
import { BOOK3S_DESIGNS, PROCESSORS, THREADS_PER_CORE, type Processor } from '../scenario'
import type { ImportLog } from './types'

export interface PseriesGuest {
  /** How the configuration names each part, for messages: `-smp`, `/domain/vcpu`. */
  where: { cpus: string; threads: string; vsmt: string; processor: string; machine: string }
  name: string | null
  /** The host processor the configuration fixes (`-cpu POWER8`), or null when it leaves it to the host. */
  processor: Processor | null
  /** Boot vcpus (`-smp cpus`), the most there may be (`maxcpus`), and threads per core. */
  cpus: number
  maxcpus: number
  threads: number
  /** `vsmt` as given, or null. */
  vsmt: number | null
  /** The machine type: `pseries` (the latest) or `pseries-X.Y`. */
  machine: string
}

/** The pseries machine types whose default vsmt is smp_threads: pseries-4.2 and later. */
export function machineDefaultsVsmtToThreads(machine: string): boolean {
  const m = /^pseries-(\d+)\.(\d+)$/.exec(machine)
  if (!m) return true
  const [major, minor] = [Number(m[1]), Number(m[2])]
  return major > 4 || (major === 4 && minor >= 2)
}

const isPowerOfTwo = (n: number) => n >= 1 && (n & (n - 1)) === 0

/** spapr_vcpu_id for every boot vcpu. */
export function spaprVcpuIds(cpus: number, threads: number, vsmt: number): number[] {
  return Array.from({ length: cpus }, (_, i) => Math.floor(i / threads) * vsmt + (i % threads))
}

/** The processor the person named (`--processor`), checked against the configuration's. */
function processorOf(g: PseriesGuest, given: string | undefined, log: ImportLog): Processor | null {
  if (given !== undefined && !(PROCESSORS as readonly string[]).includes(given)) {
    log.refuse(
      '--processor',
      `must be one of ${PROCESSORS.map((p) => `"${p}"`).join(', ')} (got "${given}")`,
    )
    return null
  }
  const opt = given as Processor | undefined
  if (g.processor && opt && opt !== g.processor) {
    log.refuse(
      '--processor',
      `${opt} conflicts with ${g.where.processor}, which fixes ${g.processor}: under KVM HV the guest's CPU model is the host's (KVM refuses another PVR)`,
    )
    return null
  }
  if (g.processor) {
    log.use({
      option: g.where.processor.replace(/ \S+$/, ''),
      value: g.processor,
      field: 'host.processor',
      why: "under KVM HV the guest's CPU model is the host's own family",
    })
    return g.processor
  }
  if (opt) {
    log.assume({
      option: '--processor',
      value: opt,
      field: 'host.processor',
      why: `${g.where.processor} leaves the CPU to the host; the import was told the host is ${opt}`,
    })
    return opt
  }
  log.refuse(
    g.where.processor,
    `the configuration leaves the CPU model to the host, so it does not say which POWER processor runs the guest; choose one: --processor POWER7, POWER8 or POWER9 (the Import dialog's Processor)`,
  )
  return null
}

/** vsmt as QEMU settles it: given, or the machine type's default. */
function vsmtOf(g: PseriesGuest, log: ImportLog): number | null {
  if (!isPowerOfTwo(g.threads)) {
    log.refuse(
      g.where.threads,
      `threads must be a power of two on a pseries machine (spapr_set_vsmt_mode) (got ${g.threads})`,
    )
    return null
  }
  if (g.vsmt !== null) {
    if (g.vsmt < g.threads) {
      log.refuse(
        g.where.vsmt,
        `vsmt must be at least the threads per core, ${g.threads} (spapr_set_vsmt_mode) (got ${g.vsmt})`,
      )
      return null
    }
    log.use({
      option: g.where.vsmt,
      value: String(g.vsmt),
      field: 'guest vcpu ids',
      why: 'the spacing of the cores’ first vcpu ids (spapr_vcpu_id)',
    })
    return g.vsmt
  }
  const toThreads = machineDefaultsVsmtToThreads(g.machine)
  const vsmt = toThreads ? g.threads : Math.max(8, g.threads)
  log.assume({
    option: g.where.machine.replace(` ${g.machine}`, ''),
    value: g.machine,
    field: 'vsmt',
    why: toThreads
      ? `no vsmt given: ${g.machine} (pseries-4.2 or later) sets vsmt to the threads per core, ${vsmt} (spapr_set_vsmt_mode, smp_threads_vsmt)`
      : `no vsmt given: ${g.machine} (before pseries-4.2) sets vsmt to MAX(8, threads) = ${vsmt} (spapr_set_vsmt_mode)`,
  })
  return vsmt
}

/**
 * The SMT mode KVM runs: vsmt when KVM takes it (KVM_CAP_PPC_SMT: a power of two up to the
 * threads per subcore before POWER9, up to 8 on POWER9), else KVM's own when QEMU goes on.
 */
function kvmModeOf(g: PseriesGuest, p: Processor, vsmt: number, log: ImportLog): number | null {
  const p9 = p === 'POWER9'
  const reported = p9 ? 1 : THREADS_PER_CORE[p]
  const limit = p9 ? 8 : THREADS_PER_CORE[p]
  if (vsmt === reported || (isPowerOfTwo(vsmt) && vsmt <= limit)) return vsmt
  if (reported >= g.threads && vsmt % reported === 0) {
    log.assume({
      option: g.where.vsmt,
      value: String(vsmt),
      field: p9 ? 'kvm.emulSmtMode' : 'kvm.smtMode',
      why: `KVM on ${p} refuses SMT mode ${vsmt} (at most ${limit}); QEMU warns and goes on with KVM's mode ${reported}, keeping vsmt ${vsmt} for the ids (spapr_set_vsmt_mode: "we'll waste some vcpu ids")`,
    })
    return reported
  }
  log.refuse(
    g.where.vsmt,
    `KVM on ${p} takes an SMT mode that is a power of two up to ${limit}, and its own mode ${reported} does not cover ${g.threads} threads per core, so QEMU stops ("Failed to set KVM's VSMT mode to ${vsmt}", spapr_set_vsmt_mode) (got vsmt ${vsmt})`,
  )
  return null
}

/** Every rule of spapr_init_cpus on the counts. */
function countsOk(g: PseriesGuest, log: ImportLog): boolean {
  let ok = true
  if (g.cpus % g.threads !== 0) {
    log.refuse(
      g.where.cpus,
      `the boot vcpus (${g.cpus}) must be a multiple of the threads per core (${g.threads}) (spapr_init_cpus)`,
    )
    ok = false
  }
  if (g.maxcpus % g.threads !== 0) {
    log.refuse(
      g.where.cpus,
      `maxcpus (${g.maxcpus}) must be a multiple of the threads per core (${g.threads}) (spapr_init_cpus)`,
    )
    ok = false
  }
  if (g.maxcpus < g.cpus) {
    log.refuse(g.where.cpus, `maxcpus (${g.maxcpus}) must be at least the boot vcpus (${g.cpus})`)
    ok = false
  }
  return ok
}

/** Host cores so every vcore of the guest can run at once: one per vcore (POWER9: 4 vcpus each). */
function coresFor(p: Processor, ids: number[], kvmMode: number): number {
  const vcores =
    p === 'POWER9'
      ? Math.ceil(ids.length / 4)
      : new Set(ids.map((id) => Math.floor(id / kvmMode))).size
  return Math.min(Math.max(vcores, 1), 1024)
}

/** The default design: what kvm_hv runs with its module parameters left alone. */
export const DEFAULT_BOOK3S_DESIGN = 'dynamic-micro-threading'

export interface PseriesScenario {
  scenario: Record<string, unknown>
  /** The ids QEMU gives, which the scenario must come to. */
  ids: number[]
}

/** The book3s scenario of a pseries guest, or null with the problems in `log`. */
export function pseriesScenario(
  g: PseriesGuest,
  opts: { processor?: string; hostCores?: number; design?: string; name?: string },
  source: string,
  log: ImportLog,
): PseriesScenario | null {
  const processor = processorOf(g, opts.processor, log)
  const counts = countsOk(g, log)
  const vsmt = vsmtOf(g, log)
  if (processor === null || vsmt === null || !counts) return null
  const kvmMode = kvmModeOf(g, processor, vsmt, log)
  if (kvmMode === null) return null
  const p9 = processor === 'POWER9'
  const ids = spaprVcpuIds(g.cpus, g.threads, vsmt)
  log.use({
    option: g.where.cpus,
    value: `${g.cpus} vcpus, ${g.threads} per core`,
    field: kvmMode === vsmt ? 'guest.vcpus, guest.threads' : 'guest.vcpuIds',
    why: `QEMU creates ${g.cpus} boot vcpus with ids ${shortList(ids)} (spapr_vcpu_id, vsmt ${vsmt})`,
  })
  if (g.maxcpus > g.cpus) {
    log.ignore({
      option: g.where.cpus,
      value: `maxcpus=${g.maxcpus}`,
      why: `the ${g.maxcpus - g.cpus} hotpluggable vcpus are created only by a later device_add, which the model does not do`,
    })
  }
  const kvm: Record<string, unknown> = { design: DEFAULT_BOOK3S_DESIGN }
  if (p9 ? kvmMode !== 1 : kvmMode !== THREADS_PER_CORE[processor]) {
    kvm[p9 ? 'emulSmtMode' : 'smtMode'] = kvmMode
    log.use({
      option: g.where.vsmt,
      value: String(kvmMode),
      field: p9 ? 'kvm.emulSmtMode' : 'kvm.smtMode',
      why: `QEMU asks KVM for SMT mode ${kvmMode} (KVM_CAP_PPC_SMT)`,
    })
  }
  const design = designOf(opts.design, log)
  if (design !== null) kvm.design = design
  const cores = hostCoresOf(opts.hostCores, processor, ids, kvmMode, log)
  log.assume({
    option: 'lab defaults',
    field: 'host.subcoresPerCore, host.hz, kvm.kernel',
    why: `not in ${source}: the lab's defaults (no static split-core, CONFIG_HZ 100, the design's first kernel with every setting used)`,
  })
  const guest: Record<string, unknown> =
    kvmMode === vsmt ? { vcpus: g.cpus, threads: g.threads } : { vcpuIds: ids }
  const name = opts.name ?? g.name ?? `pseries guest, ${g.cpus} vcpus`
  return {
    ids,
    scenario: {
      schemaVersion: 1,
      name,
      description: `Imported from ${source}: ${g.cpus} vcpus, ${g.threads} threads per core, vsmt ${vsmt} on ${g.machine}, so QEMU gives ids ${shortList(ids)} (spapr_vcpu_id).`,
      engine: 'book3s',
      host: { processor, cores },
      kvm,
      guest,
    },
  }
}

function designOf(given: string | undefined, log: ImportLog): string | null {
  if (given === undefined) {
    log.assume({
      option: '--design',
      value: DEFAULT_BOOK3S_DESIGN,
      field: 'kvm.design',
      why: "the host kernel is not in the guest's configuration; dynamic-micro-threading stands for kvm_hv with its module parameters left alone (dynamic_mt_modes=6, b4deba5c)",
    })
    return null
  }
  const name = given.split('@')[0] ?? ''
  if (!(BOOK3S_DESIGNS as readonly string[]).includes(name)) {
    log.refuse(
      '--design',
      `must be one of ${BOOK3S_DESIGNS.map((d) => `"${d}"`).join(', ')}, optionally with @RELEASE (got "${given}")`,
    )
    return null
  }
  log.assume({ option: '--design', value: given, field: 'kvm.design', why: 'given to the import' })
  return name
}

function hostCoresOf(
  given: number | undefined,
  p: Processor,
  ids: number[],
  kvmMode: number,
  log: ImportLog,
): number {
  if (given !== undefined) {
    log.assume({
      option: '--host-cores',
      value: String(given),
      field: 'host.cores',
      why: 'given to the import',
    })
    return given
  }
  const cores = coresFor(p, ids, kvmMode)
  log.assume({
    option: '--host-cores',
    value: String(cores),
    field: 'host.cores',
    why: `the guest's configuration does not say the host's size: one ${p} core per vcore${p === 'POWER9' ? ' group of 4 threads' : ''}, so every vcore can run at once`,
  })
  return cores
}

/** `0, 1, 8, 9, …` (at most 12 ids). */
export function shortList(ids: readonly number[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, … (${ids.length})`
}
