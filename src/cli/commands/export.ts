/**
 * `lab export`: a run's figures (SVG, PNG), its report, a Chrome trace, a Perfetto trace and its
 * events as CSV. The traces and the CSV are written in chunks as they are made (a large run's
 * Chrome trace is hundreds of megabytes), with the amount written so far on a terminal.
 */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { packageVersion } from '../../services/paths'
import { perfettoFileChunks } from '../../services/perfettoFile'
import type { Palette } from '../../shared/charts/palette'
import { csvChunks } from '../../shared/export/csv'
import { runFigures, stackSvg } from '../../shared/export/figures'
import { buildReportHtml } from '../../shared/export/report'
import { traceChunks } from '../../shared/export/trace'
import { withNewline } from '../../shared/jsonChunks'
import type { RunResult } from '../../shared/result'
import { EXIT_INVALID, ExitError, runFile, themePalette, writeProgress, type CliIo } from './common'

interface ExportOptions {
  design?: string
  svg?: string
  png?: string
  trace?: string
  perfetto?: string
  csv?: string
  report?: string
  theme: string
}

export function registerExport(program: Command, io: CliIo): void {
  program
    .command('export')
    .description(
      'run a scenario and write its figures (SVG, PNG), a report, a Chrome or Perfetto trace and the events as CSV',
    )
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', "override the scenario's design")
    .option('--svg <file>', 'the layout and the timeline, one SVG')
    .option('--png <file>', 'the same picture as PNG, at twice its size')
    .option('--trace <file>', 'Chrome trace-event JSON (opens in Perfetto and chrome://tracing)')
    .option(
      '--perfetto <file>',
      "Perfetto's own protobuf trace (.pftrace): the same picture, loads far faster",
    )
    .option('--csv <file>', 'the events, one row each')
    .option('--report <file>', 'one self-contained HTML page: scenario, figures, checks, metrics')
    .option('--theme <name>', 'light or dark figures', 'light')
    .action(async (file: string, opts: ExportOptions) => {
      if (!opts.svg && !opts.png && !opts.trace && !opts.perfetto && !opts.csv && !opts.report) {
        throw new ExitError(
          EXIT_INVALID,
          'export: give at least one of --svg, --png, --trace, --perfetto, --csv, --report',
        )
      }
      const palette = themePalette(opts.theme)
      const result = await runFile(file, opts.design, io)
      await writeExports(result, opts, palette)
      await writeStreams(result, opts, io)
    })
}

/** Every export asked for, each written atomically; figures are drawn once for SVG, PNG and report. */
async function writeExports(
  result: RunResult,
  opts: ExportOptions,
  palette: Palette,
): Promise<void> {
  if (opts.svg || opts.png || opts.report) {
    // ECharts and resvg take two seconds to load: only an export that draws loads them.
    const { figureSvg, svgToPng } = await import('../../services/chartRender')
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
}

/** The traces and the CSV, each written atomically as its chunks come. */
async function writeStreams(result: RunResult, opts: ExportOptions, io: CliIo): Promise<void> {
  if (opts.trace) {
    await writeFileAtomic(
      opts.trace,
      writeProgress(withNewline(traceChunks(result)), opts.trace, io),
    )
  }
  if (opts.perfetto) {
    await writeFileAtomic(
      opts.perfetto,
      writeProgress(perfettoFileChunks(result), opts.perfetto, io),
    )
  }
  if (opts.csv) await writeFileAtomic(opts.csv, writeProgress(csvChunks(result), opts.csv, io))
}

/** How often the amount written is said on a terminal, in milliseconds. */
