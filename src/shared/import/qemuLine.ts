/**
 * A QEMU command line (qemu-system-ppc64) as a book3s scenario. The line is split into words as
 * a POSIX shell would (shell-quote), after joining backslash-newline continuations; a shell
 * variable, operator or second command is refused, since the import cannot know what a shell
 * would make of it.
 *
 * Options read (the QEMU manual's -smp, -machine, -accel, -cpu, -name):
 * - `-smp [cpus=]n[,maxcpus=m][,sockets=s][,cores=c][,threads=t]`: missing values are computed as
 *   machine_parse_smp_config does (hw/core/machine-smp.c): sockets and threads default to 1,
 *   cores to what is left of maxcpus, threads last from maxcpus / (sockets × cores); the product
 *   must equal maxcpus, and maxcpus must be at least cpus. dies, clusters, books, drawers and
 *   modules are not levels the pseries machine has (1 only).
 * - `-M`/`-machine pseries[-X.Y][,vsmt=N][,accel=kvm][,kvm-type=HV]`: the machine type decides
 *   vsmt's default (pseries.ts); absent, qemu-system-ppc64's default machine is the latest pseries.
 * - `-accel kvm` or `-enable-kvm` (or `accel=kvm`): the model is KVM HV; without it QEMU runs TCG.
 * - `-cpu POWER7|POWER8|POWER9` (any of their versions) fixes the host's family under KVM HV;
 *   `-cpu host` (or none, which is host under KVM) leaves it to the host.
 */
import { parse } from 'shell-quote'
import type { Processor } from '../scenario'
import { pseriesScenario, type PseriesGuest } from './pseries'
import { ImportLog, didYouMean, type ImportOptions, type ImportOutcome } from './types'

const SOURCE = 'a QEMU command line'

/** QEMU options the model does not use: name → whether it takes an argument. */
const IGNORED_WITH_ARG = [
  'm',
  'mem-path',
  'drive',
  'blockdev',
  'device',
  'netdev',
  'nic',
  'net',
  'chardev',
  'serial',
  'monitor',
  'mon',
  'qmp',
  'qmp-pretty',
  'display',
  'vga',
  'vnc',
  'spice',
  'kernel',
  'initrd',
  'append',
  'dtb',
  'bios',
  'L',
  'boot',
  'object',
  'rtc',
  'global',
  'msg',
  'overcommit',
  'sandbox',
  'uuid',
  'pidfile',
  'runas',
  'run-with',
  'trace',
  'D',
  'd',
  'incoming',
  'k',
  'fsdev',
  'virtfs',
  'audiodev',
  'audio',
  'watchdog-action',
  'action',
  'icount',
  'loadvm',
  'prom-env',
  'hda',
  'hdb',
  'hdc',
  'hdd',
  'cdrom',
  'fda',
  'fdb',
  'mtdblock',
  'sd',
  'pflash',
  'iscsi',
  'add-fd',
  'set',
  'readconfig',
  'usbdevice',
  'smbios',
  'semihosting-config',
  'plugin',
  'compat',
  'numa',
  'tpmdev',
  'parallel',
  'debugcon',
  'gdb',
  'chroot',
  'mem-prealloc-threads',
  'seed',
  'fw_cfg',
  'option-rom',
  'nvram',
]
const IGNORED_FLAGS = [
  'nographic',
  'nodefaults',
  'no-user-config',
  'nodefconfig',
  'daemonize',
  'S',
  'snapshot',
  'no-reboot',
  'no-shutdown',
  'usb',
  'full-screen',
  'mem-prealloc',
  's',
  'preconfig',
  'only-migratable',
  'enable-sync-profile',
  'async-teardown',
  'no-hpet',
  'no-acpi',
]

/** -machine properties of pseries that the model does not use. */
const IGNORED_MACHINE_PROPS = [
  'resize-hpt',
  'ic-mode',
  'modern-hotplug-events',
  'vof',
  'x-vof',
  'host-model',
  'host-serial',
  'usb',
  'graphics',
  'dump-guest-core',
  'mem-merge',
  'memory-backend',
  'firmware',
  'kernel',
  'initrd',
  'append',
  'dtb',
  'dumpdtb',
  'phandle-start',
  'dt-compatible',
  'suppress-vmdesc',
  'confidential-guest-support',
  'memory-encryption',
  'kernel-irqchip',
  'kernel_irqchip',
  'nvdimm',
  'hmat',
  'smp-cache',
]

const SMP_KEYS = [
  'cpus',
  'maxcpus',
  'sockets',
  'dies',
  'clusters',
  'modules',
  'books',
  'drawers',
  'cores',
  'threads',
]

const USED = ['smp', 'M', 'machine', 'accel', 'enable-kvm', 'cpu', 'name']

/** Words of a shell line: the line's continuations joined, one command only. */
function words(text: string, log: ImportLog): string[] | null {
  const joined = text.replace(/\\\r?\n/g, '')
  const lines = joined
    .split(/\r?\n/)
    .map((l, i) => ({ l: l.trim(), n: i + 1 }))
    .filter(({ l }) => l !== '' && !l.startsWith('#'))
  if (lines.length === 0) {
    log.refuse('', 'no QEMU command line: the text is empty')
    return null
  }
  if (lines.length > 1) {
    log.refuse(
      `line ${lines[1]!.n}`,
      'a second command: paste one QEMU command line (continue it over lines with a backslash at the end of each)',
    )
    return null
  }
  const vars: string[] = []
  const parts = parse(lines[0]!.l, (name: string) => {
    vars.push(name)
    return undefined
  })
  if (vars.length > 0) {
    log.refuse(
      `$${vars[0]}`,
      'a shell variable: the import cannot know its value; write the value itself',
    )
    return null
  }
  const out: string[] = []
  for (const p of parts) {
    if (typeof p === 'string') out.push(p)
    else if ('comment' in p) break
    else if ('op' in p && p.op === 'glob') out.push(p.pattern)
    else {
      log.refuse(`"${'op' in p ? p.op : '?'}"`, 'a shell operator: paste the QEMU command alone')
      return null
    }
  }
  return out
}

/** `a=1,b,c=2` as QEMU's option lists: the first bare item is `implied`. */
function keyvals(
  text: string,
  implied: string,
  where: string,
  log: ImportLog,
): Map<string, string> | null {
  const out = new Map<string, string>()
  const items = text.split(',').filter((s) => s !== '')
  for (const [i, item] of items.entries()) {
    const eq = item.indexOf('=')
    const key = eq < 0 && i === 0 ? implied : eq < 0 ? item : item.slice(0, eq)
    const value = eq < 0 ? (i === 0 ? item : 'on') : item.slice(eq + 1)
    if (out.has(key)) {
      log.refuse(`${where} ${key}`, `given twice in "${text}"; give it once`)
      return null
    }
    out.set(key, value)
  }
  return out
}

interface Smp {
  cpus: number
  maxcpus: number
  threads: number
}

/** -smp, computed as machine_parse_smp_config does. */
function smpOf(text: string | null, log: ImportLog): Smp | null {
  if (text === null) {
    log.assume({
      option: '-smp',
      value: '1',
      field: 'guest.vcpus',
      why: 'no -smp: QEMU creates 1 vcpu',
    })
    return { cpus: 1, maxcpus: 1, threads: 1 }
  }
  const kv = keyvals(text, 'cpus', '-smp', log)
  if (kv === null) return null
  const n: Record<string, number> = {}
  for (const [k, v] of kv) {
    if (!SMP_KEYS.includes(k)) {
      log.refuse(
        `-smp ${k}`,
        `not a -smp parameter${didYouMean(k, SMP_KEYS)}; -smp takes cpus, maxcpus, sockets, cores and threads`,
      )
      return null
    }
    if (!/^\d+$/.test(v)) {
      log.refuse(`-smp ${k}`, `must be a whole number (got "${v}")`)
      return null
    }
    n[k] = Number(v)
  }
  for (const k of ['dies', 'clusters', 'modules', 'books', 'drawers']) {
    if (n[k] !== undefined && n[k] !== 1) {
      log.refuse(`-smp ${k}`, `the pseries machine has no ${k} level: only 1 (got ${n[k]})`)
      return null
    }
  }
  let { cpus = 0, maxcpus = 0, sockets = 0, cores = 0, threads = 0 } = n
  if (cpus === 0 && maxcpus === 0) {
    sockets ||= 1
    cores ||= 1
    threads ||= 1
  } else {
    maxcpus ||= cpus
    if (cores === 0) {
      sockets ||= 1
      threads ||= 1
      cores = Math.floor(maxcpus / (sockets * threads))
    } else if (sockets === 0) {
      threads ||= 1
      sockets = Math.floor(maxcpus / (cores * threads))
    }
    threads ||= Math.floor(maxcpus / (sockets * cores))
  }
  const total = sockets * cores * threads
  maxcpus ||= total
  cpus ||= maxcpus
  if (total !== maxcpus || total === 0) {
    log.refuse(
      '-smp',
      `sockets (${sockets}) * cores (${cores}) * threads (${threads}) must equal maxcpus (${maxcpus}) (QEMU: "Invalid CPU topology") (got "${text}")`,
    )
    return null
  }
  if (maxcpus < cpus) {
    log.refuse('-smp', `maxcpus (${maxcpus}) must be at least cpus (${cpus}) (got "${text}")`)
    return null
  }
  return { cpus, maxcpus, threads }
}

/** The processor family of a -cpu model, null for `host`, undefined (refused) otherwise. */
function cpuModelOf(model: string, log: ImportLog): Processor | null | undefined {
  const m = model.toLowerCase()
  if (m === 'host') return null
  if (/^power7(\+|p)?(_v[\d.]+)?$/.test(m)) return 'POWER7'
  if (/^power8(e|nvl)?(_v[\d.]+)?$/.test(m)) return 'POWER8'
  if (/^power9(_v[\d.]+)?$/.test(m)) return 'POWER9'
  if (/^power(10|11)/.test(m)) {
    log.refuse(`-cpu ${model}`, 'the lab models POWER7, POWER8 and POWER9 hosts only')
    return undefined
  }
  log.refuse(
    `-cpu ${model}`,
    'KVM Book3S HV in this lab runs POWER7, POWER8 or POWER9 (or host); other models are not modelled',
  )
  return undefined
}

interface Parsed {
  smp: string | null
  machine: Map<string, string>
  machineGiven: boolean
  accels: string[]
  cpu: string | null
  name: string | null
}

/** Walks the words: every option used, ignored or refused. */
function readOptions(ws: string[], log: ImportLog): Parsed | null {
  const p: Parsed = {
    smp: null,
    machine: new Map(),
    machineGiven: false,
    accels: [],
    cpu: null,
    name: null,
  }
  let i = binaryIndex(ws, log)
  if (i === null) return null
  const known = new Set([...USED, ...IGNORED_WITH_ARG, ...IGNORED_FLAGS])
  for (; i < ws.length; i++) {
    const w = ws[i]!
    if (!w.startsWith('-') || w === '-') {
      log.ignore({ option: w, why: 'a disk image for the first disk: the model has no disks' })
      continue
    }
    const name = w.replace(/^--?/, '')
    const takesArg = name !== 'enable-kvm' && !IGNORED_FLAGS.includes(name)
    if (!known.has(name)) {
      log.refuse(
        w,
        `not a QEMU option this import knows${didYouMean(name, known)}; remove it or correct it`,
      )
      continue
    }
    const arg = takesArg ? ws[++i] : undefined
    if (takesArg && arg === undefined) {
      log.refuse(w, 'needs a value after it')
      break
    }
    readOption(name, w, arg, p, log)
  }
  return p
}

function readOption(
  name: string,
  w: string,
  arg: string | undefined,
  p: Parsed,
  log: ImportLog,
): void {
  switch (name) {
    case 'smp':
      if (p.smp !== null) log.refuse(w, 'given twice; give -smp once')
      p.smp = arg!
      return
    case 'M':
    case 'machine': {
      p.machineGiven = true
      const kv = keyvals(arg!, 'type', w, log)
      for (const [k, v] of kv ?? []) {
        if (p.machine.has(k) && p.machine.get(k) !== v)
          log.refuse(
            `${w} ${k}`,
            `given twice with different values ("${p.machine.get(k)}", "${v}")`,
          )
        p.machine.set(k, v)
      }
      return
    }
    case 'accel':
      p.accels.push(...(arg!.split(',')[0] ?? '').split(':'))
      if (arg!.includes(','))
        log.ignore({
          option: w,
          value: arg!.slice(arg!.indexOf(',') + 1),
          why: 'accelerator properties: not modelled',
        })
      return
    case 'enable-kvm':
      p.accels.push('kvm')
      return
    case 'cpu':
      p.cpu = arg!
      return
    case 'name': {
      const kv = keyvals(arg!, 'guest', w, log)
      p.name = kv?.get('guest') ?? null
      for (const [k, v] of kv ?? []) {
        if (k !== 'guest')
          log.ignore({
            option: `${w} ${k}`,
            value: v,
            why: 'how QEMU names its own process and threads',
          })
      }
      return
    }
  }
  if (name === 'device' && /spapr-cpu-core/.test(arg!.split(',')[0] ?? '')) {
    log.refuse(
      `${w} ${arg!.split(',')[0]}`,
      'CPU cores added with -device are not modelled: the lab creates the -smp cpus vcpus',
    )
    return
  }
  log.ignore({ option: w, value: arg, why: 'not part of the CPU model' })
}

/** Where the options start: after the QEMU binary (anything before it is listed as ignored). */
function binaryIndex(ws: string[], log: ImportLog): number | null {
  const bin = ws.findIndex((w) => /(^|\/)(qemu-system-[\w-]+|qemu-kvm)$/.test(w))
  if (bin < 0) {
    if (ws[0]?.startsWith('-')) return 0
    log.refuse(
      ws[0] ?? '',
      'the line does not start with a QEMU binary (qemu-system-ppc64) or an option',
    )
    return null
  }
  const binary = ws[bin]!.split('/').pop()!
  if (!/^(qemu-system-ppc64(le)?|qemu-kvm)$/.test(binary)) {
    log.refuse(
      binary,
      'the book3s model is KVM on POWER: a qemu-system-ppc64 line (or qemu-kvm on a POWER host)',
    )
    return null
  }
  if (bin > 0)
    log.ignore({
      option: ws.slice(0, bin).join(' '),
      why: 'before the QEMU binary: not part of its command line',
    })
  return bin + 1
}

/** The machine type and vsmt, with every property used, ignored or refused. */
function machineOf(p: Parsed, log: ImportLog): { type: string; vsmt: number | null } | null {
  const type = p.machine.get('type') ?? 'pseries'
  if (!p.machineGiven) {
    log.assume({
      option: '-machine',
      value: 'pseries',
      why: "absent: qemu-system-ppc64's default machine, the latest pseries",
    })
  } else if (!/^pseries(-\d+\.\d+)?$/.test(type)) {
    log.refuse(
      `-machine ${type}`,
      'the book3s model is a pseries guest under KVM HV: the machine must be pseries or pseries-X.Y',
    )
    return null
  }
  let vsmt: number | null = null
  for (const [k, v] of p.machine) {
    if (k === 'type') continue
    if (k === 'vsmt') {
      if (!/^\d+$/.test(v) || Number(v) < 1)
        log.refuse('-machine vsmt', `must be a whole number from 1 (got "${v}")`)
      else vsmt = Number(v)
    } else if (k === 'accel') p.accels.push(...v.split(':'))
    else if (k === 'kvm-type') {
      if (v !== 'HV' && v !== 'auto')
        log.refuse('-machine kvm-type', `the model is KVM HV: must be HV or auto (got "${v}")`)
    } else if (k === 'max-cpu-compat') {
      log.refuse(
        '-machine max-cpu-compat',
        `a compatibility mode (a guest that sees an older POWER than the host) is not modelled: remove it (got "${v}")`,
      )
    } else if (k.startsWith('cap-') || IGNORED_MACHINE_PROPS.includes(k)) {
      log.ignore({
        option: `-machine ${k}`,
        value: v,
        why: 'a pseries machine property the model does not use',
      })
    } else {
      log.refuse(
        `-machine ${k}`,
        `not a pseries machine property this import knows${didYouMean(k, ['vsmt', 'accel', 'kvm-type', 'max-cpu-compat', ...IGNORED_MACHINE_PROPS])}; remove it or correct it`,
      )
    }
  }
  return { type, vsmt }
}

/** -accel, -enable-kvm or accel=: KVM must be the accelerator QEMU takes first. */
function kvmOk(p: Parsed, log: ImportLog): boolean {
  const first = p.accels[0]
  if (first === undefined) {
    log.refuse(
      '-accel',
      'no -accel kvm (or -enable-kvm): QEMU would run the guest under TCG, which is not KVM HV; add -accel kvm',
    )
    return false
  }
  if (first !== 'kvm') {
    log.refuse(
      '-accel',
      `QEMU takes the first accelerator, "${first}", which is not KVM HV; the model needs -accel kvm`,
    )
    return false
  }
  log.use({ option: '-accel', value: 'kvm', why: 'KVM HV runs the vcpus' })
  if (p.accels.length > 1)
    log.ignore({
      option: '-accel',
      value: p.accels.slice(1).join(', '),
      why: 'fallback accelerators, unused while KVM works',
    })
  return true
}

/** Imports a QEMU command line. */
export function importQemuLine(text: string, opts: ImportOptions): ImportOutcome {
  const log = new ImportLog()
  const fail = (): ImportOutcome => ({ ok: false, format: 'qemu', problems: log.problems })
  const ws = words(text, log)
  if (ws === null) return fail()
  const p = readOptions(ws, log)
  if (p === null) return fail()
  const machine = machineOf(p, log)
  const kvm = kvmOk(p, log)
  const smp = smpOf(p.smp, log)
  const cpuModel = (p.cpu ?? 'host').split(',')[0]!
  if (p.cpu?.includes(',')) {
    const props = p.cpu.slice(p.cpu.indexOf(',') + 1)
    if (/(^|,)(max-cpu-)?compat=/.test(props))
      log.refuse('-cpu compat', 'a compatibility mode is not modelled: remove it')
    else log.ignore({ option: '-cpu', value: props, why: 'CPU properties: not modelled' })
  }
  const processor = cpuModelOf(cpuModel, log)
  if (p.name !== null)
    log.use({ option: '-name', value: p.name, field: 'name', why: "the guest's name" })
  if (
    machine === null ||
    !kvm ||
    smp === null ||
    processor === undefined ||
    log.problems.length > 0
  )
    return fail()
  const guest: PseriesGuest = {
    where: {
      cpus: '-smp',
      threads: '-smp threads',
      vsmt: '-machine vsmt',
      processor: p.cpu === null ? '-cpu (absent: host under KVM)' : `-cpu ${cpuModel}`,
      machine: `-machine ${machine.type}`,
    },
    name: p.name,
    processor,
    cpus: smp.cpus,
    maxcpus: smp.maxcpus,
    threads: smp.threads,
    vsmt: machine.vsmt,
    machine: machine.type,
  }
  const out = pseriesScenario(guest, opts, SOURCE, log)
  if (out === null || log.problems.length > 0) return fail()
  return { ok: true, scenario: out.scenario, report: log.report('qemu', 'book3s') }
}
