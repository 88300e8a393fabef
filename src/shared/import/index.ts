/**
 * Bring your own guest: a QEMU command line, a libvirt domain XML or an xl.cfg becomes a scenario
 * the lab's own validation (`parseScenario`) accepts, with a report of what was used, assumed and
 * ignored. The CLI (`lab import`) and the app's Import dialog both call `importConfig`.
 */
import { parseScenario, withDesign } from '../scenario'
import { importLibvirtXml } from './libvirtXml'
import { importQemuLine } from './qemuLine'
import { spaprVcpuIds } from './pseries'
import type { ImportFormat, ImportOptions, ImportOutcome, ImportProblem } from './types'
import { importXlCfg } from './xlCfg'

export * from './types'
export { spaprVcpuIds, machineDefaultsVsmtToThreads } from './pseries'
export { parseXlCfg } from './xlCfgSyntax'

/** The most text an import reads (a configuration is a few kilobytes). */
export const MAX_IMPORT_BYTES = 1024 * 1024

/**
 * Which format the text is: XML starts with `<`; a QEMU line names its binary or starts with
 * one of its options; anything else is read as an xl.cfg.
 */
export function detectFormat(text: string): ImportFormat {
  const t = text.replace(/^\uFEFF/, '').trimStart()
  if (t.startsWith('<')) return 'libvirt'
  if (/(^|[\s/])(qemu-system-[\w-]+|qemu-kvm)(\s|$)/.test(t) || /^-{1,2}[A-Za-z]/.test(t))
    return 'qemu'
  return 'xl'
}

const READERS: Readonly<
  Record<ImportFormat, (text: string, opts: ImportOptions) => ImportOutcome>
> = {
  qemu: importQemuLine,
  libvirt: importLibvirtXml,
  xl: importXlCfg,
}

/** Imports a guest configuration: a scenario the lab accepts, or every problem with where it is. */
export function importConfig(text: string, opts: ImportOptions = {}): ImportOutcome {
  if (text.length > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      problems: [
        {
          where: '',
          message: `the text has ${text.length} characters; an import reads at most ${MAX_IMPORT_BYTES}`,
        },
      ],
    }
  }
  const format = opts.format ?? detectFormat(text)
  const out = READERS[format](text.replace(/^\uFEFF/, ''), opts)
  if (!out.ok) return out
  const misplaced = misplacedOptions(out.report.engine, opts)
  if (misplaced.length > 0) return { ok: false, format, problems: misplaced }
  // NAME@RELEASE sets the kernel (book3s) or the era (xen), as the CLI's --design does.
  const scenario = opts.design?.includes('@')
    ? (withDesign(out.scenario, opts.design) as Record<string, unknown>)
    : out.scenario
  const checked = parseScenario(scenario)
  if (!checked.ok) {
    return {
      ok: false,
      format,
      scenario,
      report: out.report,
      problems: checked.problems.map((p) => ({
        where: p.path === '' ? 'scenario' : `scenario ${p.path}`,
        message: p.message,
      })),
    }
  }
  const s = checked.scenario
  if (s.engine === 'book3s' && format !== 'xl') {
    // The scenario must come to the ids QEMU gives; a difference is a bug of this import.
    const g = scenario.guest as { vcpus?: number; threads?: number; vcpuIds?: number[] }
    const expected = g.vcpuIds ?? spaprVcpuIds(g.vcpus ?? 0, g.threads ?? 1, vsmtOf(s))
    if (expected.join() !== s.guest.vcpuIds.join()) {
      throw new Error(
        `import: the scenario's vcpu ids ${s.guest.vcpuIds.join()} are not QEMU's ${expected.join()}`,
      )
    }
  }
  return { ok: true, scenario, report: out.report }
}

/** Options of the other engine: refused rather than dropped without a word. */
function misplacedOptions(engine: 'book3s' | 'xen', opts: ImportOptions): ImportProblem[] {
  const book3sOnly: [keyof ImportOptions, string][] = [
    ['processor', '--processor'],
    ['hostCores', '--host-cores'],
  ]
  const xenOnly: [keyof ImportOptions, string][] = [['xenVersion', '--xen-version']]
  const other = engine === 'book3s' ? xenOnly : book3sOnly
  return other
    .filter(([k]) => opts[k] !== undefined)
    .map(([, flag]) => ({
      where: flag,
      message: `applies to ${engine === 'book3s' ? 'a Xen guest' : 'a KVM on POWER guest'}; this configuration is a ${engine} guest: remove it`,
    }))
}

function vsmtOf(s: {
  kvm: { smtMode: number; emulSmtMode: number }
  host: { processor: string }
}): number {
  return s.host.processor === 'POWER9' ? s.kvm.emulSmtMode : s.kvm.smtMode
}
