/**
 * A Linux guest on Xen (from an xl.cfg or a libvirt Xen domain) as a xen scenario: its type, its
 * vCPUs (xl.cfg(5): `vcpus` online at boot, `maxvcpus` the most it may bring up, the first
 * `vcpus` online and the rest offline) and what its kernel command line says about CPUs and
 * event channels.
 */
import { LINUX_ERAS, XEN_DESIGNS, XEN_VERSIONS } from '../scenario'
import type { ImportLog } from './types'

/** The guest as the toolstack builds it: `hvm` is the x86 HVM container Linux runs PVHVM in. */
export type XenGuestKind = 'pv' | 'hvm' | 'pvh' | 'arm'

export interface XenGuest {
  where: { kind: string; vcpus: string; maxVcpus: string; cmdline: string }
  name: string | null
  kind: XenGuestKind
  vcpus: number
  maxVcpus: number
  /** The kernel command line (direct kernel boot), or null. */
  cmdline: string | null
}

/** The lab's guest type for each kind. `pvh` maps to itself: the schema decides whether it runs. */
const GUEST_TYPE: Readonly<Record<XenGuestKind, string>> = {
  pv: 'pv',
  hvm: 'pvhvm',
  pvh: 'pvh',
  arm: 'arm',
}

const GUEST_TYPE_WHY: Readonly<Record<XenGuestKind, string>> = {
  pv: 'a PV guest',
  hvm: 'Linux in an HVM guest runs with the PV extensions on HVM (PVHVM): the paths the lab models',
  pvh: 'a PVH guest',
  arm: 'a Linux guest on Xen/ARM',
}

/** Kernel parameters that change how many CPUs Linux brings up, which the model does not have. */
const REFUSED_PARAMS: Readonly<Record<string, string>> = {
  maxcpus:
    'maxcpus= limits the CPUs Linux brings up at boot; the model brings up every online vCPU',
  possible_cpus: 'possible_cpus= sets the possible map itself; the model derives it (guest.nrCpus)',
  nosmp: 'nosmp runs Linux on one CPU; the model brings up every online vCPU',
  xen_nopv:
    'xen_nopv makes Linux ignore Xen in an HVM guest; the lab models the PV extensions (PVHVM)',
}

/** What the kernel command line says to the model: nr_cpus and the event-channel ABI. */
function readCmdline(g: XenGuest, log: ImportLog, guest: Record<string, unknown>): void {
  if (g.cmdline === null) return
  const unused: string[] = []
  for (const word of g.cmdline.split(/\s+/).filter((w) => w !== '')) {
    const eq = word.indexOf('=')
    const key = eq < 0 ? word : word.slice(0, eq)
    const value = eq < 0 ? null : word.slice(eq + 1)
    if (REFUSED_PARAMS[key] !== undefined) {
      log.refuse(`${g.where.cmdline} ${word}`, `${REFUSED_PARAMS[key]}; remove it`)
    } else if (key === 'nr_cpus') {
      const n = value !== null && /^\d+$/.test(value) ? Number(value) : null
      if (n === null || n < 1) {
        log.refuse(
          `${g.where.cmdline} ${word}`,
          `nr_cpus must be a whole number from 1 (got "${value ?? ''}")`,
        )
      } else {
        guest.nrCpus = n
        log.use({
          option: `${g.where.cmdline} nr_cpus`,
          value: String(n),
          field: 'guest.nrCpus',
          why: "Linux's nr_cpu_ids: the CPUs it may ever have",
        })
      }
    } else if (key === 'xen.fifo_events') {
      // drivers/xen/events/events_base.c: a bool parameter; false keeps the 2-level ABI.
      const v = (value ?? '1').toLowerCase()
      const on = ['1', 'y', 'yes', 'on', 'true'].includes(v)
      const off = ['0', 'n', 'no', 'off', 'false'].includes(v)
      if (!on && !off) {
        log.refuse(
          `${g.where.cmdline} ${word}`,
          `xen.fifo_events takes a boolean (0 or 1, n or y, off or on) (got "${value ?? ''}")`,
        )
      } else {
        guest.eventChannels = on ? 'fifo' : '2l'
        log.use({
          option: `${g.where.cmdline} xen.fifo_events`,
          value: value ?? '1',
          field: 'guest.eventChannels',
          why: on ? 'Linux uses the FIFO ABI' : 'Linux keeps the 2-level event-channel ABI',
        })
      }
    } else {
      unused.push(word)
    }
  }
  if (unused.length > 0) {
    log.ignore({
      option: g.where.cmdline,
      value: unused.join(' '),
      why: 'kernel parameters the model does not read (it reads nr_cpus= and xen.fifo_events=)',
    })
  }
}

function versionOf(given: string | undefined, log: ImportLog): string | null {
  if (given === undefined) return null
  if (!(XEN_VERSIONS as readonly string[]).includes(given)) {
    log.refuse(
      '--xen-version',
      `must be one of ${XEN_VERSIONS.map((v) => `"${v}"`).join(', ')} (got "${given}")`,
    )
    return null
  }
  log.assume({
    option: '--xen-version',
    value: given,
    field: 'xen.version',
    why: 'given to the import',
  })
  return given
}

function designOf(
  given: string | undefined,
  kind: XenGuestKind,
  log: ImportLog,
): { name: string; era: string | undefined } {
  const fallback = kind === 'arm' ? 'arm-smp-fix' : 'vcpu-id-mapping'
  if (given === undefined) {
    log.assume({
      option: '--design',
      value: fallback,
      field: 'linux.design',
      why:
        kind === 'arm'
          ? "the guest kernel's code is not in the configuration: de75abbe, the ARM fix every later Linux has"
          : "the guest kernel's code is not in the configuration: 88e957d6's xen_vcpu_id mapping, which every Linux since 4.8 has",
    })
    return { name: fallback, era: undefined }
  }
  const [name = '', era] = given.split('@')
  if (!(XEN_DESIGNS as readonly string[]).includes(name)) {
    log.refuse(
      '--design',
      `must be one of ${XEN_DESIGNS.map((d) => `"${d}"`).join(', ')}, optionally with @ERA (got "${given}")`,
    )
  } else if (era !== undefined && !(LINUX_ERAS as readonly string[]).includes(era)) {
    log.refuse(
      '--design',
      `the era after @ must be one of ${LINUX_ERAS.map((e) => `"${e}"`).join(', ')} (got "${era}")`,
    )
  } else {
    log.assume({
      option: '--design',
      value: given,
      field: 'linux.design',
      why: 'given to the import',
    })
  }
  return { name, era }
}

/**
 * What a PVH guest needs that the configuration does not say: Linux 4.11 (`xen_pvh`) and Xen 4.10
 * (libxl `type = "pvh"`), the first releases with them, unless the import was given others.
 */
function pvhDefaults(doc: Record<string, unknown>, eraGiven: boolean, log: ImportLog): void {
  if (doc.xen === undefined) {
    doc.xen = { version: '4.10' }
    log.assume({
      option: 'type = "pvh"',
      value: '4.10',
      field: 'xen.version',
      why: 'the first Xen whose libxl builds PVH guests; --xen-version to choose another',
    })
  }
  if (!eraGiven) {
    ;(doc.linux as Record<string, unknown>).era = '4.11'
    log.assume({
      option: 'type = "pvh"',
      value: '4.11',
      field: 'linux.era',
      why: 'the first Linux with PVH guests (xen_pvh); --design NAME@ERA to choose another',
    })
  }
}

/** The xen scenario of a guest, or null with the problems in `log`. */
export function xenScenario(
  g: XenGuest,
  opts: { design?: string; xenVersion?: string; name?: string },
  source: string,
  log: ImportLog,
): Record<string, unknown> | null {
  if (g.maxVcpus < g.vcpus) {
    log.refuse(
      g.where.maxVcpus,
      `the most vCPUs (${g.maxVcpus}) must be at least the vCPUs online at boot (${g.vcpus})`,
    )
    return null
  }
  const type = GUEST_TYPE[g.kind]
  log.use({
    option: g.where.kind,
    value: g.kind,
    field: 'guest.type',
    why: `"${type}": ${GUEST_TYPE_WHY[g.kind]}`,
  })
  log.use({
    option: g.where.maxVcpus,
    value: String(g.maxVcpus),
    field: 'guest.maxVcpus',
    why: "the domain's vCPUs (0 to N-1)",
  })
  log.use({
    option: g.where.vcpus,
    value: String(g.vcpus),
    field: 'guest.onlineVcpus',
    why: `vCPUs 0 to ${g.vcpus - 1} online at boot${g.maxVcpus > g.vcpus ? `, ${g.vcpus} to ${g.maxVcpus - 1} offline` : ''}`,
  })
  const guest: Record<string, unknown> = { type, maxVcpus: g.maxVcpus, onlineVcpus: g.vcpus }
  readCmdline(g, log, guest)
  const version = versionOf(opts.xenVersion, log)
  const design = designOf(opts.design, g.kind, log)
  if (g.kind !== 'pvh') {
    log.assume({
      option: 'lab defaults',
      field: version === null ? 'xen.version, linux.era' : 'linux.era',
      why: `not in ${source}: the lab's defaults (${version === null ? 'Xen 4.7, ' : ''}Linux 4.8 code; --design NAME@ERA to choose)`,
    })
  }
  const doc: Record<string, unknown> = {
    schemaVersion: 1,
    name: opts.name ?? g.name ?? `${type} guest, ${g.maxVcpus} vCPUs`,
    description: `Imported from ${source}: a ${type} guest with ${g.maxVcpus} vCPUs, ${g.vcpus} online at boot.`,
    engine: 'xen',
  }
  if (version !== null) doc.xen = { version }
  doc.guest = guest
  doc.linux = { design: design.name, ...(design.era !== undefined ? { era: design.era } : {}) }
  if (g.kind === 'pvh') pvhDefaults(doc, design.era !== undefined, log)
  return doc
}
