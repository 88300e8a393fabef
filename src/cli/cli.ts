/**
 * The command line: `npm run --silent lab -- <command>` (docs/cli.md).
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
import { runDocument, validateDocument } from '../services/runDocument'
import { writeFileAtomic } from '../services/atomicWrite'
import { ENGINE_VERSIONS } from '../engines'
import type { RunResult } from '../shared/result'
import { eventsToCsv } from '../shared/export/csv'
import { toTrace } from '../shared/export/trace'
import { runFigures, stackSvg } from '../shared/export/figures'
import { buildReportHtml } from '../shared/export/report'
import { DARK, LIGHT } from '../shared/charts/palette'
import { figureSvg, svgToPng } from '../services/chartRender'
import { compareRuns, type RunComparison } from '../shared/lab/compare'
import { sweepOption, sweepSize, type SweepChartInput } from '../shared/charts/sweepOption'
import { designOf } from '../shared/scenario/scenario'
import { sourceWorkerSpawner, workerRunner } from '../services/runRunner'
import { parseVary, runSweep, workerCount, type SweepRun } from './sweep'

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

  const collect = (v: string, prev: string[]) => [...prev, v]

  program
    .command('compare')
    .description('run a scenario under two designs and print the metrics and checks that differ')
    .argument('<scenario>', 'scenario file (.json)')
    .option('--design <name>', 'a design to compare (give it twice)', collect, [])
    .option('--json', 'print the comparison as JSON')
    .option('--out <file>', 'write the comparison as JSON to this file (atomically)')
    .action(async (file: string, opts: { design: string[]; json?: boolean; out?: string }) => {
      if (opts.design.length !== 2) {
        throw new ExitError(
          EXIT_INVALID,
          `compare: give --design twice (got ${opts.design.length})`,
        )
      }
      const [a, b] = [
        await runFile(file, opts.design[0], io),
        await runFile(file, opts.design[1], io),
      ]
      const cmp = compareRuns(a, b)
      const doc = { scenario: a.scenario.name, engine: a.engine, ...cmp }
      if (opts.out) await writeFileAtomic(opts.out, JSON.stringify(doc, null, 2) + '\n')
      if (opts.json) io.stdout(JSON.stringify(doc, null, 2) + '\n')
      else if (!opts.out) io.stdout(formatComparison(a.scenario.name, cmp))
    })

  program
    .command('sweep')
    .description('run a scenario over a range of one field under each design, and chart one metric')
    .argument('<scenario>', 'scenario file (.json)')
    .requiredOption(
      '--vary <path=range>',
      'the field and its values: guest.vcpus=2..64, a..b:step, a..b*factor or a,b,c',
    )
    .option(
      '--design <name>',
      "a design to sweep (repeat for several; default the scenario's)",
      collect,
      [],
    )
    .option(
      '--metric <name>',
      'the metric to chart (default: misdelivered doorbells, or CPUs online for xen)',
    )
    .option('--svg <file>', 'the chart as SVG')
    .option('--png <file>', 'the chart as PNG, at twice its size')
    .option('--json <file>', 'every point with all its metrics, as JSON')
    .option('--theme <name>', 'light or dark chart', 'light')
    .action(async (file: string, opts: SweepOptions) => {
      const vary = parseVary(opts.vary)
      if (typeof vary === 'string') throw new ExitError(EXIT_INVALID, vary)
      if (opts.theme !== 'light' && opts.theme !== 'dark') {
        throw new ExitError(
          EXIT_INVALID,
          `--theme: must be "light" or "dark" (got "${opts.theme}")`,
        )
      }
      const read = await readJsonFile(file)
      if (!read.ok) throw new ExitError(EXIT_INVALID, read.message)
      // The scenario must be valid as written (its own design), before any variant runs.
      const base = validateDocument(read.document)
      if (!base.ok)
        throw new ExitError(
          EXIT_INVALID,
          (base.error.problems ?? []).map(problemLine).join('\n') || base.error.message,
        )
      const designs = opts.design.length > 0 ? opts.design : [designOf(base.value)]
      const metric =
        opts.metric ?? (base.value.engine === 'book3s' ? 'doorbellsMisdelivered' : 'cpusOnline')
      const runner = workerRunner({ spawn: sourceWorkerSpawner(), size: workerCount() })
      const bar = (done: number, total: number) => {
        if (!io.stderrIsTty) return
        const width = 30
        const filled = Math.round((done / total) * width)
        io.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} runs`)
        if (done === total) io.stderr('\r\x1b[K')
      }
      let sweep: Awaited<ReturnType<typeof runSweep>>
      try {
        sweep = await runSweep(runner, read.document, vary.path, vary.values, designs, metric, bar)
      } finally {
        await runner.close()
      }
      const field = vary.path.join('.')
      io.stdout(formatSweep(field, vary.values, designs, sweep))
      const bad = sweep.points.find(
        (p) => p.error !== null && p.error.startsWith('the run has no metric'),
      )
      if (bad) throw new ExitError(EXIT_INVALID, `--metric: ${bad.error}`)
      if (opts.json) {
        await writeFileAtomic(
          opts.json,
          JSON.stringify({ scenario: base.value.name, field, metric, designs, ...sweep }, null, 2) +
            '\n',
        )
      }
      if (opts.svg || opts.png) {
        const palette = opts.theme === 'dark' ? DARK : LIGHT
        const input: SweepChartInput = {
          title: `${sweep.metricLabel} against ${field}`,
          subtitle: `${base.value.name} · ${designs.join(' vs ')} · ${base.value.engine}`,
          field,
          xs: [...vary.values],
          metricLabel: sweep.metricLabel,
          metricUnit: sweep.metricUnit,
          series: designs.map((d) => ({
            design: d,
            values: vary.values.map(
              (v) => sweep.points.find((p) => p.design === d && p.value === v)?.metric ?? null,
            ),
          })),
          palette,
        }
        const size = sweepSize(input)
        const svg = figureSvg({
          id: 'layout',
          caption: 'sweep',
          ...size,
          option: sweepOption(input),
        })
        if (opts.svg) await writeFileAtomic(opts.svg, svg)
        if (opts.png) await writeFileAtomic(opts.png, svgToPng(svg, 2, palette.background).data)
      }
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

interface SweepOptions {
  vary: string
  design: string[]
  metric?: string
  svg?: string
  png?: string
  json?: string
  theme: string
}

/** The comparison as text: metrics that differ, then checks that differ. */
function formatComparison(name: string, c: RunComparison): string {
  const [a, b] = c.designs
  const lines = [`${name}: ${a} vs ${b}`, '']
  const changed = c.metrics.filter((m) => m.a !== m.b)
  if (changed.length === 0) lines.push('Every metric is the same.')
  else {
    lines.push('Metrics that differ:')
    const w = Math.max(...changed.map((m) => m.label.length))
    for (const m of changed) {
      const d = m.delta === null ? '' : `  (${m.delta > 0 ? '+' : ''}${round(m.delta)})`
      lines.push(`  ${m.label.padEnd(w)}  ${a}: ${show(m.a)}  ${b}: ${show(m.b)} ${m.unit}${d}`)
    }
    lines.push(`${c.metrics.length - changed.length} other metrics are the same.`)
  }
  lines.push('')
  if (c.checks.length === 0)
    lines.push(`Every check (${c.sameChecks}) says the same under both designs.`)
  else {
    lines.push('Checks that differ:')
    for (const d of c.checks) {
      const mark = (x: { ok: boolean } | null) => (x === null ? 'absent' : x.ok ? 'holds' : 'FAILS')
      if (d.change === 'message' && d.a && d.b) {
        lines.push(`  ${d.id}: ${mark(d.a)} under both; what it found differs`)
        lines.push(`    ${a}: ${d.a.message}`, `    ${b}: ${d.b.message}`)
        continue
      }
      lines.push(`  ${d.id}: ${a} ${mark(d.a)}, ${b} ${mark(d.b)}`)
      if (d.a && !d.a.ok) lines.push(`    ${a}: ${d.a.message}`)
      if (d.b && !d.b.ok) lines.push(`    ${b}: ${d.b.message}`)
    }
    lines.push(`${c.sameChecks} other checks say the same.`)
  }
  return lines.join('\n') + '\n'
}

/** The sweep as a table: one row per value, one column per design. */
function formatSweep(
  field: string,
  values: readonly number[],
  designs: readonly string[],
  s: SweepRun,
): string {
  const head = [field, ...designs]
  const rows = values.map((v) => [
    String(v),
    ...designs.map((d) => {
      const p = s.points.find((x) => x.design === d && x.value === v)
      return p?.metric !== null && p?.metric !== undefined ? show(p.metric) : 'invalid'
    }),
  ])
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const fmt = (r: string[]) => r.map((c, i) => c.padStart(w[i] as number)).join('  ')
  const out = [`${s.metricLabel} (${s.metricUnit})`, fmt(head), ...rows.map(fmt)]
  const errors = [
    ...new Set(
      s.points.filter((p) => p.error).map((p) => `${p.design} ${field}=${p.value}: ${p.error}`),
    ),
  ]
  if (errors.length)
    out.push('', 'Variants that did not run:', ...errors.slice(0, 10).map((e) => `  ${e}`))
  return out.join('\n') + '\n'
}

const round = (x: number) => Math.round(x * 1000) / 1000
const show = (x: number | null) => (x === null ? '—' : round(x).toLocaleString('en-US'))

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
