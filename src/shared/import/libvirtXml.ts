/**
 * A libvirt domain XML (libvirt's formatdomain) as a book3s scenario (a ppc64 pseries domain
 * under KVM) or a xen scenario (`<domain type='xen'>`). The XML is parsed by fast-xml-parser;
 * a syntax error is reported at its line and column, every other problem at its element path.
 *
 * Read from formatdomain:
 * - `<vcpu current='C'>N</vcpu>`: the domain may have N vCPUs, C of them online at boot (default
 *   C = N; N defaults to 1). `<vcpus><vcpu id enabled hotpluggable order/>` says which are
 *   enabled: the lab's guests start vCPUs 0 to C-1, so the enabled ones must be those.
 * - `<cpu><topology sockets dies clusters cores threads/>`: the product must equal N.
 * - `<cpu mode='custom'><model>POWER9</model>` names the CPU; `host-passthrough` and `host-model`
 *   leave it to the host (on ppc64, host-model with a `<model>` is a compatibility mode).
 * - `<os><type arch machine>`: for KVM, arch ppc64 or ppc64le and machine pseries[-X.Y], which
 *   libvirt hands to QEMU as `-machine` and `-smp C,maxcpus=N,sockets,cores,threads` (libvirt sets
 *   no vsmt, so QEMU's default for the machine type holds); for Xen, `hvm` (HVM), `xen` or
 *   `linux` (PV) or `xenpvh` (PVH), and `<cmdline>` the kernel command line of a direct boot.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Processor } from '../scenario'
import { pseriesScenario } from './pseries'
import { ImportLog, didYouMean, type ImportOptions, type ImportOutcome } from './types'
import { xenScenario, type XenGuestKind } from './xenGuest'

const SOURCE = 'a libvirt domain XML'

type Node = Record<string, unknown>

/** Top-level elements of a domain (formatdomain) that the model does not use. */
const IGNORED_ELEMENTS: Readonly<Record<string, string>> = {
  uuid: 'identity',
  genid: 'identity',
  title: 'a label',
  description: 'a label',
  metadata: 'applications’ data',
  bootloader: 'booting, not CPU numbering',
  bootloader_args: 'booting, not CPU numbering',
  idmap: 'containers',
  sysinfo: 'firmware tables',
  iothreads: 'host threads for I/O',
  iothreadids: 'host threads for I/O',
  defaultiothread: 'host threads for I/O',
  cputune: 'host CPU pinning and shares: the model runs no host scheduler',
  memory: 'memory: the model has none',
  maxMemory: 'memory: the model has none',
  currentMemory: 'memory: the model has none',
  memoryBacking: 'memory: the model has none',
  memtune: 'memory: the model has none',
  blkiotune: 'block I/O',
  numatune: 'host NUMA placement',
  resource: 'host resource partitions',
  clock: 'timekeeping',
  on_poweroff: 'lifecycle actions',
  on_reboot: 'lifecycle actions',
  on_crash: "lifecycle actions (the lab's kdump boot is guest.boot, set in the editor)",
  on_lockfailure: 'lifecycle actions',
  pm: 'power management',
  perf: 'host perf events',
  devices: 'devices: the model has none',
  seclabel: 'security labels',
  keywrap: 'crypto',
  launchSecurity: 'confidential guests',
  throttlegroups: 'block I/O',
}

const USED_ELEMENTS = ['name', 'os', 'vcpu', 'vcpus', 'cpu', 'features']

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  alwaysCreateTextNode: true,
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
})

const children = (n: Node | undefined, name: string): Node[] =>
  (n?.[name] as Node[] | undefined) ?? []
const child = (n: Node | undefined, name: string): Node | undefined => children(n, name)[0]
const attr = (n: Node | undefined, name: string): string | undefined =>
  n?.[`@${name}`] as string | undefined
const text = (n: Node | undefined): string => ((n?.['#text'] as string | undefined) ?? '').trim()
const elementNames = (n: Node): string[] =>
  Object.keys(n).filter((k) => !k.startsWith('@') && k !== '#text')

/** A whole number attribute or text, or a refusal naming it. */
function count(
  value: string | undefined,
  where: string,
  log: ImportLog,
  min = 1,
): number | null | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
    log.refuse(where, `must be a whole number from ${min} (got "${value}")`)
    return null
  }
  return Number(value)
}

interface Vcpus {
  max: number
  current: number
  threads: number
}

/** <vcpu>, <vcpus> and <cpu><topology>. */
function vcpusOf(dom: Node, log: ImportLog): Vcpus | null {
  const vcpu = child(dom, 'vcpu')
  for (const a of Object.keys(vcpu ?? {}).filter((k) => k.startsWith('@'))) {
    const name = a.slice(1)
    if (name === 'placement' || name === 'cpuset') {
      log.ignore({
        option: `/domain/vcpu/@${name}`,
        value: attr(vcpu, name),
        why: 'host CPU placement: the model runs no host scheduler',
      })
    } else if (name !== 'current') {
      log.refuse(
        `/domain/vcpu/@${name}`,
        `not an attribute of <vcpu>${didYouMean(name, ['current', 'placement', 'cpuset'])}`,
      )
    }
  }
  const max = vcpu ? count(text(vcpu), '/domain/vcpu', log) : 1
  const current = count(attr(vcpu, 'current'), '/domain/vcpu/@current', log)
  if (max === null || max === undefined || current === null) return null
  const cur = current ?? max
  if (cur > max) {
    log.refuse('/domain/vcpu/@current', `must be at most the vCPUs of <vcpu> (${max}) (got ${cur})`)
    return null
  }
  if (!enabledOk(dom, cur, max, log)) return null
  const topo = child(child(dom, 'cpu'), 'topology')
  let threads = 1
  if (topo) {
    const t: Record<string, number> = {}
    for (const k of ['sockets', 'dies', 'clusters', 'cores', 'threads']) {
      const v = count(attr(topo, k), `/domain/cpu/topology/@${k}`, log)
      if (v === null) return null
      t[k] = v ?? 1
    }
    const product = t.sockets! * t.dies! * t.clusters! * t.cores! * t.threads!
    if (product !== max) {
      log.refuse(
        '/domain/cpu/topology',
        `sockets × dies × clusters × cores × threads (${product}) must equal the vCPUs of <vcpu> (${max})`,
      )
      return null
    }
    threads = t.threads!
  }
  return { max, current: cur, threads }
}

/** <vcpus>: the enabled vcpus must be 0 … current-1, as the lab starts them. */
function enabledOk(dom: Node, current: number, max: number, log: ImportLog): boolean {
  const list = children(child(dom, 'vcpus'), 'vcpu')
  if (list.length === 0) return true
  if (list.length !== max) {
    log.refuse('/domain/vcpus', `must list every vCPU of <vcpu> (${max}), got ${list.length}`)
    return false
  }
  const enabled = list.filter((v) => attr(v, 'enabled') === 'yes').map((v) => Number(attr(v, 'id')))
  const expected = Array.from({ length: current }, (_, i) => i)
  if (enabled.length !== current || !expected.every((id) => enabled.includes(id))) {
    log.refuse(
      '/domain/vcpus',
      `the enabled vCPUs must be 0 to ${current - 1} (current=${current}): the lab brings up the first vCPUs at boot (got ${enabled.join(', ') || 'none'})`,
    )
    return false
  }
  log.use({
    option: '/domain/vcpus',
    value: `${current} of ${max} enabled`,
    why: 'the vCPUs online at boot',
  })
  return true
}

/** The processor a ppc64 <cpu> fixes: custom mode's model, null for the host's. */
function ppcCpuOf(
  dom: Node,
  log: ImportLog,
): { processor: Processor | null; where: string } | undefined {
  const cpu = child(dom, 'cpu')
  const model = text(child(cpu, 'model'))
  const mode = attr(cpu, 'mode') ?? (model ? 'custom' : 'host-model')
  for (const c of elementNames(cpu ?? {}).filter((c) => c !== 'model' && c !== 'topology')) {
    log.ignore({
      option: `/domain/cpu/${c}`,
      why: 'CPU features, NUMA cells and caches are not modelled',
    })
  }
  if (mode === 'host-model' && model) {
    log.refuse(
      '/domain/cpu/model',
      `host-model with a <model> is a compatibility mode on ppc64 (the guest sees ${model}), which is not modelled`,
    )
    return undefined
  }
  if (mode !== 'custom') return { processor: null, where: `/domain/cpu/@mode (${mode})` }
  const m = model.toLowerCase()
  const p: Processor | undefined = /^power7/.test(m)
    ? 'POWER7'
    : /^power8/.test(m)
      ? 'POWER8'
      : /^power9/.test(m)
        ? 'POWER9'
        : undefined
  if (!p) {
    log.refuse(
      '/domain/cpu/model',
      `KVM Book3S HV in this lab runs POWER7, POWER8 or POWER9 (got "${model}")`,
    )
    return undefined
  }
  return { processor: p, where: '/domain/cpu/model' }
}

function bookOf(dom: Node, type: Node, opts: ImportOptions, log: ImportLog): ImportOutcome {
  const fail = (): ImportOutcome => ({ ok: false, format: 'libvirt', problems: log.problems })
  const arch = attr(type, 'arch')
  const machine = attr(type, 'machine') ?? 'pseries'
  if (arch !== 'ppc64' && arch !== 'ppc64le') {
    log.refuse(
      '/domain/os/type/@arch',
      `the book3s model is KVM on POWER: arch must be ppc64 or ppc64le${arch === undefined ? ' (absent: libvirt would take the host’s)' : ` (got "${arch}")`}`,
    )
    return fail()
  }
  if (!/^pseries(-\d+\.\d+)?$/.test(machine)) {
    log.refuse(
      '/domain/os/type/@machine',
      `the book3s model is a pseries guest: must be pseries or pseries-X.Y (got "${machine}")`,
    )
    return fail()
  }
  const v = vcpusOf(dom, log)
  const cpu = ppcCpuOf(dom, log)
  for (const f of elementNames(child(dom, 'features') ?? {})) {
    log.ignore({ option: `/domain/features/${f}`, why: 'a pseries feature the model does not use' })
  }
  if (v === null || cpu === undefined || log.problems.length > 0) return fail()
  const name = text(child(dom, 'name')) || null
  if (name)
    log.use({ option: '/domain/name', value: name, field: 'name', why: "the domain's name" })
  const out = pseriesScenario(
    {
      where: {
        cpus: '/domain/vcpu',
        threads: '/domain/cpu/topology/@threads',
        vsmt: 'vsmt (libvirt sets none)',
        processor: cpu.where,
        machine: '/domain/os/type/@machine',
      },
      name,
      processor: cpu.processor,
      cpus: v.current,
      maxcpus: v.max,
      threads: v.threads,
      vsmt: null,
      machine,
    },
    opts,
    SOURCE,
    log,
  )
  if (out === null || log.problems.length > 0) return fail()
  return { ok: true, scenario: out.scenario, report: log.report('libvirt', 'book3s') }
}

function xenOf(dom: Node, type: Node, opts: ImportOptions, log: ImportLog): ImportOutcome {
  const fail = (): ImportOutcome => ({ ok: false, format: 'libvirt', problems: log.problems })
  const osType = text(type)
  const arch = attr(type, 'arch')
  const arm = arch === 'aarch64' || arch === 'armv7l'
  const kinds: Record<string, XenGuestKind> = { hvm: 'hvm', xen: 'pv', linux: 'pv', xenpvh: 'pvh' }
  let kind = kinds[osType]
  if (kind === undefined) {
    log.refuse(
      '/domain/os/type',
      `a Xen domain's type must be hvm, xen (or linux) or xenpvh (got "${osType}")`,
    )
    return fail()
  }
  if (arm) kind = 'arm'
  const v = vcpusOf(dom, log)
  if (kind === 'hvm' && !child(child(dom, 'features'), 'acpi')) {
    log.refuse(
      '/domain/features/acpi',
      "absent: libvirt builds the HVM domain with acpi=0, leaving Linux without the MADT it finds its CPUs by; the lab's PVHVM guest has it: add <acpi/>",
    )
  }
  for (const f of elementNames(child(dom, 'features') ?? {}).filter((f) => f !== 'acpi')) {
    log.ignore({
      option: `/domain/features/${f}`,
      why: 'a platform feature the model does not use',
    })
  }
  const topo = child(child(dom, 'cpu'), 'topology')
  if (child(dom, 'cpu')) {
    log.ignore({
      option: '/domain/cpu',
      why: `the CPU model${topo ? ' and topology' : ''}: Linux on Xen numbers vCPUs 0 to N-1 whatever the topology`,
    })
  }
  if (v === null || log.problems.length > 0) return fail()
  const name = text(child(dom, 'name')) || null
  if (name)
    log.use({ option: '/domain/name', value: name, field: 'name', why: "the domain's name" })
  const cmdlineNode = child(child(dom, 'os'), 'cmdline')
  const doc = xenScenario(
    {
      where: {
        kind: '/domain/os/type',
        vcpus: '/domain/vcpu/@current',
        maxVcpus: '/domain/vcpu',
        cmdline: '/domain/os/cmdline',
      },
      name,
      kind,
      vcpus: v.current,
      maxVcpus: v.max,
      cmdline: cmdlineNode ? text(cmdlineNode) : null,
    },
    opts,
    SOURCE,
    log,
  )
  if (doc === null || log.problems.length > 0) return fail()
  return { ok: true, scenario: doc, report: log.report('libvirt', 'xen') }
}

/** Imports a libvirt domain XML. */
export function importLibvirtXml(xml: string, opts: ImportOptions): ImportOutcome {
  const log = new ImportLog()
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    return {
      ok: false,
      format: 'libvirt',
      problems: [
        {
          where: `line ${valid.err.line}, column ${valid.err.col}`,
          message: `not well-formed XML: ${valid.err.msg}`,
        },
      ],
    }
  }
  const root = parser.parse(xml) as Node
  const top = elementNames(root).filter((n) => !n.startsWith('?'))
  const dom = child(root, 'domain')
  if (!dom || top.length !== 1) {
    return {
      ok: false,
      format: 'libvirt',
      problems: [
        {
          where: '/',
          message: `the document must be one <domain> (got ${top.map((t) => `<${t}>`).join(', ') || 'nothing'})`,
        },
      ],
    }
  }
  for (const e of elementNames(dom)) {
    if (USED_ELEMENTS.includes(e)) continue
    if (IGNORED_ELEMENTS[e] !== undefined)
      log.ignore({ option: `/domain/${e}`, why: IGNORED_ELEMENTS[e]! })
    else if (e.includes(':'))
      log.ignore({ option: `/domain/${e}`, why: 'a namespace extension the import does not read' })
    else
      log.refuse(
        `/domain/${e}`,
        `not an element of a libvirt domain${didYouMean(e, [...USED_ELEMENTS, ...Object.keys(IGNORED_ELEMENTS)])}`,
      )
  }
  const os = child(dom, 'os')
  for (const e of elementNames(os ?? {}).filter((e) => e !== 'type' && e !== 'cmdline')) {
    log.ignore({
      option: `/domain/os/${e}`,
      why: 'booting: firmware, kernel and boot order, not how the guest numbers its CPUs',
    })
  }
  const type = child(os, 'type')
  const domainType = attr(dom, 'type')
  if (!type) {
    log.refuse('/domain/os/type', 'absent: the import needs the guest type and architecture')
    return { ok: false, format: 'libvirt', problems: log.problems }
  }
  if (domainType === 'kvm') return bookOf(dom, type, opts, log)
  if (domainType === 'xen') return xenOf(dom, type, opts, log)
  log.refuse(
    '/domain/@type',
    domainType === 'qemu'
      ? 'type "qemu" runs the guest under TCG, which is not KVM HV: the book3s model needs type "kvm"'
      : `must be "kvm" (a ppc64 pseries domain, the book3s model) or "xen" (the xen model) (got ${domainType === undefined ? 'nothing' : `"${domainType}"`})`,
  )
  return { ok: false, format: 'libvirt', problems: log.problems }
}
