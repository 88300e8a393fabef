/**
 * An xl.cfg (xl.cfg(5)) as a xen scenario. Each option of the manual is used, ignored with its
 * reason, or refused; an option the manual does not have is refused (xl itself would skip it
 * silently, and a misspelt `maxvcpu` should not quietly give a 1-vCPU guest).
 *
 * Read as xl reads them (tools/xl/xl_parse.c, parse_config_data): `type` pv, pvh or hvm (the
 * deprecated `builder` "generic" or "hvm" must agree with it); without either, PV on x86 and PVH
 * on Arm. `vcpus` (default 1) vCPUs online at boot; `maxvcpus` (default `vcpus`) the domain's
 * vCPUs, and xl stops with "maxvcpus < vcpus" when it is smaller. The kernel command line is
 * `cmdline`, or else `root=` and `extra` joined (cmdline wins over both).
 */
import { ImportLog, didYouMean, type ImportOptions, type ImportOutcome } from './types'
import { parseXlCfg, xlNumber, type XlSetting, type XlValue } from './xlCfgSyntax'
import { xenScenario, type XenGuestKind } from './xenGuest'

const SOURCE = 'an xl.cfg'

/** Options the model does not use, by why. */
const IGNORED: readonly [string, readonly string[]][] = [
  [
    'host CPUs, pools and scheduling: the model runs no host scheduler, so a vCPU has no host CPU',
    ['cpus', 'cpus_soft', 'pool', 'cpu_weight', 'cap', 'period', 'slice', 'latency', 'extratime'],
  ],
  [
    'memory: the model has none',
    [
      'memory',
      'maxmem',
      'vnuma',
      'e820_host',
      'mmio_hole',
      'rdm_mem_boundary',
      'videoram',
      'shadow_memory',
    ],
  ],
  [
    "actions on shutdown, crash and soft reset: the lab's kdump boot is guest.boot, set in the editor",
    ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset'],
  ],
  [
    'booting: which kernel and firmware, not how it numbers CPUs',
    [
      'kernel',
      'ramdisk',
      'firmware',
      'bootloader',
      'bootloader_args',
      'boot',
      'bios',
      'bios_path_override',
      'acpi_firmware',
      'smbios_firmware',
      'device_tree',
    ],
  ],
  [
    'devices: the model has none',
    [
      'disk',
      'vif',
      'vtpm',
      'p9',
      'pvcalls',
      'vfb',
      'channel',
      'rdm',
      'usbctrl',
      'usbdev',
      'pci',
      'pci_permissive',
      'pci_msitranslate',
      'pci_seize',
      'pci_power_mgmt',
      'gfx_passthru',
      'dtdev',
      'ioports',
      'iomem',
      'irqs',
      'vdispl',
      'vsnd',
      'vkb',
      'tee',
      'virtio',
      'passthrough',
      'serial',
      'soundhw',
      'usb',
      'usbdevice',
      'usbversion',
      'vkb_device',
      'vendor_device',
      'xen_platform_pci',
      'hdtype',
      'stdvga',
      'vga',
      'nographic',
      'vnc',
      'vnclisten',
      'vncdisplay',
      'vncunused',
      'vncpasswd',
      'keymap',
      'sdl',
      'opengl',
      'spice',
      'spicehost',
      'spiceport',
      'spicetls_port',
      'spicedisable_ticketing',
      'spicepasswd',
      'spiceagent_mouse',
      'spicevdagent',
      'spice_clipboard_sharing',
      'spiceusbredirection',
      'spice_image_compression',
      'spice_streaming_video',
      'vuart',
      'nr_spis',
    ],
  ],
  [
    'the device model: the model runs no QEMU',
    [
      'device_model_override',
      'device_model_version',
      'device_model_stubdomain_override',
      'device_model_stubdomain_seclabel',
      'device_model_args',
      'device_model_args_pv',
      'device_model_args_hvm',
      'device_model_user',
      'dm_restrict',
    ],
  ],
  [
    'identity, security and limits the model does not count: grant frames, event-channel ports (Linux binds a few per CPU; a limit too small for them would make binds fail, which the model does not show)',
    [
      'uuid',
      'seclabel',
      'init_seclabel',
      'max_grant_frames',
      'max_maptrack_frames',
      'max_grant_version',
      'max_event_channels',
      'nomigrate',
      'driver_domain',
      'xend_suspend_evtchn_compat',
      'vmtrace_buf_kb',
      'vpmu',
      'llc_colors',
    ],
  ],
  [
    'HVM and platform features that do not change how Linux numbers its CPUs in the model',
    [
      'pae',
      'acpi_s3',
      'acpi_s4',
      'acpi_laptop_slate',
      'nx',
      'hpet',
      'altp2m',
      'altp2mhvm',
      'nestedhvm',
      'cpuid',
      'ms_vm_genid',
      'tsc_mode',
      'localtime',
      'rtc_timeoffset',
      'vpt_align',
      'timer_mode',
      'mca_caps',
      'hap',
      'oos',
      'viridian',
      'msr_relaxed',
      'assisted_xapic',
      'assisted_x2apic',
      'trap_unmapped_accesses',
      'max_altp2m',
      'gic_version',
    ],
  ],
]

const IGNORED_WHY = new Map<string, string>(
  IGNORED.flatMap(([why, keys]) => keys.map((k) => [k, why] as const)),
)

/** Options read here. */
const USED = [
  'name',
  'type',
  'builder',
  'vcpus',
  'maxvcpus',
  'cmdline',
  'root',
  'extra',
  'acpi',
  'apic',
  'pvshim',
  'pvshim_path',
  'pvshim_cmdline',
  'pvshim_extra',
]

/** Options xl.cfg(5) documents only for Arm: their presence says the guest is an Arm one. */
const ARM_ONLY = ['gic_version', 'vuart', 'nr_spis', 'dtdev']

const KNOWN = new Set([...USED, ...IGNORED_WHY.keys()])

const loc = (s: { line: number; column: number }, key: string) =>
  `line ${s.line}, column ${s.column}: ${key}`

function atomText(s: XlSetting, log: ImportLog): string | null {
  if (s.value.kind !== 'atom') {
    log.refuse(loc(s, s.key), 'must be a single value, not a list')
    return null
  }
  return s.value.text
}

function numberOf(s: XlSetting | undefined, log: ImportLog, min: number): number | null {
  if (!s) return null
  const text = atomText(s, log)
  if (text === null) return null
  const n = xlNumber(text)
  if (n === null || n < min) {
    log.refuse(loc(s, s.key), `must be a whole number from ${min} (got ${show(s.value)})`)
    return null
  }
  return n
}

function show(v: XlValue): string {
  return v.kind === 'atom' ? (v.quoted ? `"${v.text}"` : v.text) : '[ … ]'
}

/** The guest kind from `type`, `builder` and the architecture. */
function kindOf(
  byKey: Map<string, XlSetting>,
  arm: boolean,
  log: ImportLog,
): { kind: XenGuestKind; where: string } | null {
  const type = byKey.get('type')
  const builder = byKey.get('builder')
  let kind: 'pv' | 'pvh' | 'hvm' | null = null
  let where = arm ? 'type (absent: PVH on Arm)' : 'type (absent: PV on x86)'
  if (type) {
    const t = atomText(type, log)
    if (t === null) return null
    if (t !== 'pv' && t !== 'pvh' && t !== 'hvm') {
      log.refuse(loc(type, 'type'), `must be "pv", "pvh" or "hvm" (got ${show(type.value)})`)
      return null
    }
    kind = t
    where = 'type'
  }
  if (builder) {
    const b = atomText(builder, log)
    if (b === null) return null
    const bk = b === 'generic' ? 'pv' : b === 'hvm' ? 'hvm' : null
    if (bk === null) {
      log.refuse(
        loc(builder, 'builder'),
        `must be "generic" or "hvm" (deprecated; type= replaces it) (got ${show(builder.value)})`,
      )
      return null
    }
    if (kind !== null && kind !== bk) {
      log.refuse(
        loc(builder, 'builder'),
        `contradicts type="${kind}" (xl: Contradicting "builder" and "type" options specified)`,
      )
      return null
    }
    if (kind === null) where = 'builder'
    kind = bk
  }
  if (arm) {
    if (kind !== null && kind !== 'pvh') {
      log.refuse(
        loc((type ?? builder)!, where),
        `an Arm guest (it sets ${ARM_ONLY.filter((k) => byKey.has(k)).join(', ')}) is a PVH guest; xl on Arm takes no other type (got "${kind}")`,
      )
      return null
    }
    return { kind: 'arm', where: kind === null ? 'type (absent: PVH on Arm)' : where }
  }
  return { kind: kind ?? 'pv', where }
}

/** Options that would change what the model shows but that it does not model: refused. */
function refuseUnmodelled(byKey: Map<string, XlSetting>, kind: XenGuestKind, log: ImportLog): void {
  for (const key of ['acpi', 'apic'] as const) {
    const s = byKey.get(key)
    if (!s) continue
    const n = numberOf(s, log, 0)
    if (n === 0 && kind === 'hvm') {
      log.refuse(
        loc(s, key),
        `${key}=0 leaves Linux without the ${key === 'acpi' ? 'MADT' : 'local APICs'} it finds its CPUs by; the lab's PVHVM guest has them: remove it or set 1`,
      )
    } else if (n !== null) {
      log.use({
        option: key,
        value: String(n),
        why:
          kind === 'hvm'
            ? `the ${key === 'acpi' ? 'MADT' : 'local APICs'} the PVHVM guest finds its CPUs by`
            : `no effect on a ${kind} guest`,
      })
    }
  }
  const shim = byKey.get('pvshim')
  if (shim && numberOf(shim, log, 0) !== 0) {
    log.refuse(
      loc(shim, 'pvshim'),
      'a PV guest in a PVH container (the PV shim) is not modelled: remove it or set 0',
    )
  }
  for (const key of ['pvshim_path', 'pvshim_cmdline', 'pvshim_extra']) {
    if (byKey.has(key))
      log.ignore({ option: key, why: 'the PV shim is not modelled (and pvshim is off)' })
  }
}

/** cmdline, or root= and extra joined, as parse_cmdline builds the kernel command line. */
function cmdlineOf(
  byKey: Map<string, XlSetting>,
  log: ImportLog,
): { text: string | null; where: string } {
  const get = (k: string) => {
    const s = byKey.get(k)
    return s ? atomText(s, log) : null
  }
  const [cmdline, root, extra] = [get('cmdline'), get('root'), get('extra')]
  if (cmdline !== null) {
    if (root !== null || extra !== null) {
      log.ignore({
        option: root !== null && extra !== null ? 'root, extra' : root !== null ? 'root' : 'extra',
        why: 'cmdline replaces root= and extra= (xl.cfg(5))',
      })
    }
    return { text: cmdline, where: 'cmdline' }
  }
  if (root !== null || extra !== null) {
    const text = [root !== null ? `root=${root}` : null, extra].filter((x) => x !== null).join(' ')
    return { text, where: extra !== null ? 'extra' : 'root' }
  }
  return { text: null, where: 'cmdline' }
}

/** Imports an xl.cfg's text. */
export function importXlCfg(text: string, opts: ImportOptions): ImportOutcome {
  const parsed = parseXlCfg(text)
  if (!parsed.ok) return { ok: false, format: 'xl', problems: parsed.problems }
  const log = new ImportLog()
  const byKey = new Map(parsed.settings.map((s) => [s.key, s]))
  for (const s of parsed.settings) {
    if (!KNOWN.has(s.key)) {
      log.refuse(
        loc(s, s.key),
        `not an option of xl.cfg(5)${didYouMean(s.key, KNOWN)}; remove it or correct its name`,
      )
    } else if (IGNORED_WHY.has(s.key) && !ARM_ONLY.includes(s.key)) {
      log.ignore({ option: s.key, value: show(s.value), why: IGNORED_WHY.get(s.key)! })
    }
  }
  const arm = ARM_ONLY.some((k) => byKey.has(k))
  for (const k of ARM_ONLY.filter((k) => byKey.has(k))) {
    log.use({
      option: k,
      value: show(byKey.get(k)!.value),
      field: 'guest.type',
      why:
        k === 'gic_version'
          ? 'an Arm-only option: the guest is an Arm guest'
          : 'an Arm-only option: the guest is an Arm guest (its value is not modelled)',
    })
  }
  const kind = kindOf(byKey, arm, log)
  const vcpus = byKey.has('vcpus') ? numberOf(byKey.get('vcpus'), log, 1) : 1
  const maxVcpus = byKey.has('maxvcpus') ? numberOf(byKey.get('maxvcpus'), log, 1) : vcpus
  if (kind) refuseUnmodelled(byKey, kind.kind, log)
  const cmdline = cmdlineOf(byKey, log)
  const nameSetting = byKey.get('name')
  const name = nameSetting ? atomText(nameSetting, log) : null
  if (name !== null)
    log.use({ option: 'name', value: name, field: 'name', why: "the domain's name" })
  if (kind === null || vcpus === null || maxVcpus === null || log.problems.length > 0) {
    return { ok: false, format: 'xl', problems: log.problems }
  }
  const at = (key: string, absent: string) => {
    const s = byKey.get(key)
    return s ? `${key} (line ${s.line})` : absent
  }
  const doc = xenScenario(
    {
      where: {
        kind: kind.where,
        vcpus: at('vcpus', 'vcpus (absent: 1)'),
        maxVcpus: at('maxvcpus', 'maxvcpus (absent: vcpus)'),
        cmdline: cmdline.where,
      },
      name,
      kind: kind.kind,
      vcpus,
      maxVcpus,
      cmdline: cmdline.text,
    },
    opts,
    SOURCE,
    log,
  )
  if (doc !== null) gicOf(byKey.get('gic_version'), doc, log)
  if (doc === null || log.problems.length > 0)
    return { ok: false, format: 'xl', problems: log.problems }
  return { ok: true, scenario: doc, report: log.report('xl', 'xen') }
}

/**
 * `gic_version` (xl.cfg(5): "v2", "v3" or "native") → `guest.gic`, whose vCPU limit Xen applies;
 * "native" is the host's GIC, which the configuration does not say: the lab's default, GICv3.
 */
function gicOf(s: XlSetting | undefined, doc: Record<string, unknown>, log: ImportLog): void {
  if (!s) return
  const text = atomText(s, log)
  if (text === null) return
  const v = text.toLowerCase()
  if (v === 'v2' || v === 'v3') {
    ;(doc.guest as Record<string, unknown>).gic = v
    log.use({
      option: 'gic_version',
      value: v,
      field: 'guest.gic',
      why: "the guest's virtual GIC, which bounds its vCPUs (GICv2: 8)",
    })
  } else if (v === 'native') {
    log.ignore({
      option: 'gic_version',
      value: 'native',
      why: "the host's GIC, which the configuration does not say: the lab's default GICv3 (guest.gic)",
    })
  } else {
    log.refuse(loc(s, 'gic_version'), `must be "v2", "v3" or "native" (got ${show(s.value)})`)
  }
}
