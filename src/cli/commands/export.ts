/** `lab export`: a run's figures (SVG, PNG), its report, a Chrome trace and its events as CSV. */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { figureSvg, svgToPng } from '../../services/chartRender'
import { packageVersion } from '../../services/paths'
import type { Palette } from '../../shared/charts/palette'
import { eventsToCsv } from '../../shared/export/csv'
import { runFigures, stackSvg } from '../../shared/export/figures'
import { buildReportHtml } from '../../shared/export/report'
import { toTrace } from '../../shared/export/trace'
import type { RunResult } from '../../shared/result'
import { EXIT_INVALID, ExitError, runFile, themePalette, type CliIo } from './common'

interface ExportOptions {
  design?: string
  svg?: string
  png?: string
  trace?: string
  csv?: string
  report?: string
  theme: string
}

export function registerExport(program: Command, io: CliIo): void {
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
      const palette = themePalette(opts.theme)
      const result = await runFile(file, opts.design, io)
      await writeExports(result, opts, palette)
    })
}

/** Every export asked for, each written atomically; figures are drawn once for SVG, PNG and report. */
async function writeExports(
  result: RunResult,
  opts: ExportOptions,
  palette: Palette,
): Promise<void> {
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
