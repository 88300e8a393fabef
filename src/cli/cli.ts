/**
 * The command line: `npm run --silent lab -- <command>` (FORMATS.md).
 *
 * Exit codes: 0 the run completed (whatever the simulated system did); 2 the scenario (or the
 * command line) is not valid, with one `path: problem` line per problem on stderr and nothing
 * written; 1 an internal error, with a message.
 */
import { Command, CommanderError } from 'commander'
import { problemLine } from '../shared/scenario/problems'
import { listPresets } from '../services/presets'
import { PRESETS_DIR, packageVersion } from '../services/paths'
import { readJsonFile } from '../services/scenarioFile'
import { runDocument } from '../services/runDocument'
import { writeFileAtomic } from '../services/atomicWrite'
import { ENGINE_VERSIONS } from '../engines'
import type { RunResult } from '../shared/result'
import { eventsToCsv } from '../shared/export/csv'
import { toTrace } from '../shared/export/trace'
import { runFigures, stackSvg } from '../shared/export/figures'
import { buildReportHtml } from '../shared/export/report'
import { DARK, LIGHT } from '../shared/charts/palette'
import { figureSvg, svgToPng } from '../services/chartRender'

export const EXIT_OK = 0
export const EXIT_INTERNAL = 1
export const EXIT_INVALID = 2

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stderr is a terminal (progress is shown only there). */
  stderrIsTty: boolean
}

const nodeIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTty: Boolean(process.stderr.isTTY),
}

class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

function buildProgram(io: CliIo): Command {
  const program = new Command()
  program
    .name('lab')
    .description('vCPU Lab: run Xen and KVM Book3S HV scenarios headless')
    .version(`${packageVersion()} (${Object.values(ENGINE_VERSIONS).join(', ')})`)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('run')
    .description('run a scenario and print (or write) its run result as JSON')
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', "override the scenario's design")
    .option('--out <file>', 'write the result here (atomically) instead of stdout')
    .option('--compact', 'print JSON on one line')
    .action(async (file: string, opts: { design?: string; out?: string; compact?: boolean }) => {
      const result = await runFile(file, opts.design, io)
      const json = JSON.stringify(result, null, opts.compact ? undefined : 2) + '\n'
      if (opts.out) await writeFileAtomic(opts.out, json)
      else io.stdout(json)
    })

  program
    .command('export')
    .description(
      'run a scenario and write its figures (SVG, PNG), a report, a Chrome trace and the events as CSV',
    )
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', "override the scenario's design")
    .option('--svg <file>', 'the layout and the timeline, one SVG')
    .option('--png <file>', 'the same picture as PNG, at twice its size')
    .option('--trace <file>', 'Chrome trace-event JSON (opens in Perfetto and chrome://tracing)')
    .option('--csv <file>', 'the events, one row each')
    .option('--report <file>', 'one self-contained HTML page: scenario, figures, checks, metrics')
    .option('--theme <name>', 'light or dark figures', 'light')
    .action(async (file: string, opts: ExportOptions) => {
      if (!opts.svg && !opts.png && !opts.trace && !opts.csv && !opts.report) {
        throw new ExitError(
          EXIT_INVALID,
          'export: give at least one of --svg, --png, --trace, --csv, --report',
        )
      }
      if (opts.theme !== 'light' && opts.theme !== 'dark') {
        throw new ExitError(
          EXIT_INVALID,
          `--theme: must be "light" or "dark" (got "${opts.theme}")`,
        )
      }
      const result = await runFile(file, opts.design, io)
      await writeExports(result, opts)
    })

  program
    .command('presets')
    .description('list the built-in scenarios')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const presets = await listPresets(PRESETS_DIR)
      if (opts.json) {
        io.stdout(JSON.stringify(presets, null, 2) + '\n')
        return
      }
      const w = Math.max(...presets.map((p) => p.id.length), 2)
      for (const p of presets) {
        io.stdout(`${p.id.padEnd(w)}  ${p.engine.padEnd(6)}  ${p.design.padEnd(24)}  ${p.name}\n`)
      }
      io.stdout(`\nRun one with: npm run --silent lab -- run resources/presets/<id>.json\n`)
    })
  return program
}

/**
 * Reads, validates and runs a scenario file: the result, or an ExitError with exit code 2 (one
 * `path: problem` line per problem) or 1 (the run itself failed). Progress goes to a terminal.
 */
async function runFile(file: string, design: string | undefined, io: CliIo): Promise<RunResult> {
  const read = await readJsonFile(file)
  if (!read.ok) throw new ExitError(EXIT_INVALID, read.message)
  const progress = io.stderrIsTty
    ? (p: { events: number; tick: number; until: number }) =>
        io.stderr(`\r${p.events.toLocaleString('en-US')} events, tick ${p.tick} of ${p.until}`)
    : undefined
  const outcome = runDocument(read.document, design, { onProgress: progress })
  if (progress) io.stderr('\r\x1b[K')
  if (!outcome.ok) {
    const e = outcome.error
    if (e.code === 'invalid-scenario' && e.problems) {
      throw new ExitError(EXIT_INVALID, e.problems.map(problemLine).join('\n'))
    }
    throw new ExitError(EXIT_INTERNAL, `run failed: ${e.message}`)
  }
  return outcome.value
}

interface ExportOptions {
  design?: string
  svg?: string
  png?: string
  trace?: string
  csv?: string
  report?: string
  theme: string
}

/** Every export asked for, each written atomically; figures are drawn once for SVG, PNG and report. */
async function writeExports(result: RunResult, opts: ExportOptions): Promise<void> {
  const palette = opts.theme === 'dark' ? DARK : LIGHT
  if (opts.svg || opts.png || opts.report) {
    const figures = runFigures(result, { palette })
    const svgs = figures.map((f) => ({
      caption: f.caption,
      svg: figureSvg(f),
      width: f.width,
      height: f.height,
    }))
    const stacked = stackSvg(svgs, palette.background)
    if (opts.svg) await writeFileAtomic(opts.svg, stacked)
    if (opts.png) await writeFileAtomic(opts.png, svgToPng(stacked, 2, palette.background).data)
    if (opts.report) {
      const generatedBy = `vCPU Lab ${packageVersion()}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`
      await writeFileAtomic(opts.report, buildReportHtml({ result, figures: svgs, generatedBy }))
    }
  }
  if (opts.trace) await writeFileAtomic(opts.trace, JSON.stringify(toTrace(result)) + '\n')
  if (opts.csv) await writeFileAtomic(opts.csv, eventsToCsv(result))
}

/** Runs the command line and returns the exit code (never calls process.exit itself). */
export async function runCli(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return EXIT_OK
  } catch (err) {
    if (err instanceof ExitError) {
      io.stderr(err.message.endsWith('\n') ? err.message : `${err.message}\n`)
      return err.code
    }
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return err.exitCode === 0 ? EXIT_OK : EXIT_INVALID
    }
    const message = err instanceof Error ? err.message : String(err)
    io.stderr(`internal error: ${message}\n`)
    return EXIT_INTERNAL
  }
}
