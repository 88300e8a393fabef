/**
 * `lab import FILE|-`: a QEMU command line, a libvirt domain XML or an xl.cfg as a scenario, on
 * stdout or written atomically to `--out`; the import's report (what was used, assumed, ignored)
 * goes to stderr. A configuration the import refuses exits 2 with one `where: why` line per
 * problem, and nothing is written.
 */
import type { Command } from 'commander'
import { readScenarioText } from '../../services/scenarioFile'
import { writeFileAtomic } from '../../services/atomicWrite'
import {
  IMPORT_FORMATS,
  importProblemLine,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
} from '../../shared/import/types'
import { EXIT_INVALID, ExitError, type CliIo } from './common'

interface ImportFlags {
  from?: string
  processor?: string
  hostCores?: string
  design?: string
  xenVersion?: string
  name?: string
  out?: string
  quiet?: boolean
}

/** The import's report as the lines printed on stderr. */
export function reportLines(r: ImportReport): string[] {
  const note = (n: { option: string; value?: string; field?: string; why: string }) =>
    `  ${n.option}${n.value !== undefined ? ` = ${n.value}` : ''}${n.field ? ` -> ${n.field}` : ''}: ${n.why}`
  return [
    `imported a ${r.engine} scenario from ${r.format === 'qemu' ? 'a QEMU command line' : r.format === 'libvirt' ? 'a libvirt domain XML' : 'an xl.cfg'}`,
    ...(r.used.length > 0 ? ['used:', ...r.used.map(note)] : []),
    ...(r.assumed.length > 0
      ? ['assumed (not in the configuration):', ...r.assumed.map(note)]
      : []),
    ...(r.ignored.length > 0 ? ['ignored (not modelled):', ...r.ignored.map(note)] : []),
  ]
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const c of process.stdin) chunks.push(c as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  const read = await readScenarioText(file)
  if (!read.ok) throw new ExitError(EXIT_INVALID, read.message)
  return read.text
}

function optionsOf(f: ImportFlags): ImportOptions {
  const o: ImportOptions = {}
  if (f.from !== undefined) {
    if (!(IMPORT_FORMATS as readonly string[]).includes(f.from)) {
      throw new ExitError(
        EXIT_INVALID,
        `--from: must be one of ${IMPORT_FORMATS.map((x) => `"${x}"`).join(', ')} (got "${f.from}")`,
      )
    }
    o.format = f.from as ImportFormat
  }
  if (f.hostCores !== undefined) {
    const n = /^\d+$/.test(f.hostCores) ? Number(f.hostCores) : NaN
    if (!(n >= 1 && n <= 1024))
      throw new ExitError(
        EXIT_INVALID,
        `--host-cores: must be an integer from 1 to 1024 (got "${f.hostCores}")`,
      )
    o.hostCores = n
  }
  if (f.processor !== undefined) o.processor = f.processor
  if (f.design !== undefined) o.design = f.design
  if (f.xenVersion !== undefined) o.xenVersion = f.xenVersion
  if (f.name !== undefined) o.name = f.name
  return o
}

export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('import a QEMU command line, a libvirt domain XML or an xl.cfg as a scenario')
    .argument('<file>', 'the configuration (- reads stdin)')
    .option(
      '--from <format>',
      `the format, instead of recognising it: ${IMPORT_FORMATS.join(', ')}`,
    )
    .option(
      '--processor <name>',
      'book3s: the host processor when the configuration leaves it to the host',
    )
    .option('--host-cores <n>', 'book3s: physical cores of the host')
    .option('--design <name>', "the design (NAME or NAME@RELEASE), instead of the import's default")
    .option('--xen-version <v>', 'xen: xen.version')
    .option('--name <name>', "the scenario's name, instead of the configuration's")
    .option('--out <file>', 'write the scenario here (atomically) instead of stdout')
    .option('--quiet', 'do not print the report on stderr')
    .action(async (file: string, flags: ImportFlags) => {
      const opts = optionsOf(flags)
      // The parsers (an XML parser among them) are loaded by the import alone, not at every start.
      const { importConfig } = await import('../../shared/import')
      const out = importConfig(await readInput(file), opts)
      if (!out.ok) throw new ExitError(EXIT_INVALID, out.problems.map(importProblemLine).join('\n'))
      const json = JSON.stringify(out.scenario, null, 2) + '\n'
      if (flags.out) await writeFileAtomic(flags.out, json)
      else io.stdout(json)
      if (!flags.quiet) io.stderr(reportLines(out.report).join('\n') + '\n')
    })
}
