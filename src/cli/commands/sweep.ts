/**
 * `lab sweep`: one field of a scenario over a range, under each design, on worker threads; prints
 * a table of one metric and writes its chart (SVG, PNG) and every point (JSON). The sweep itself
 * is `../sweep.ts`.
 */
import type { Command } from 'commander'
import { writeFileAtomic } from '../../services/atomicWrite'
import { validateDocument } from '../../services/runDocument'
import { sourceWorkerSpawner, workerRunner } from '../../services/runRunner'
import { readJsonFile } from '../../services/scenarioFile'
import type { Palette } from '../../shared/charts/palette'
import { sweepOption, sweepSize, type SweepChartInput } from '../../shared/charts/sweepOption'
import { problemLine } from '../../shared/scenario/problems'
import { designOf, type Scenario } from '../../shared/scenario/scenario'
import { parseVary, runSweep, workerCount, type SweepRun } from '../sweep'
import { EXIT_INVALID, ExitError, collect, show, themePalette, type CliIo } from './common'

interface SweepOptions {
  vary: string
  design: string[]
  metric?: string
  svg?: string
  png?: string
  json?: string
  theme: string
}

/** What was swept: the field, its values, the designs and the metric charted. */
interface SweepPlan {
  base: Scenario
  path: string[]
  values: number[]
  designs: string[]
  metric: string
}

export function registerSweep(program: Command, io: CliIo): void {
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
    .action((file: string, opts: SweepOptions) => sweepAction(file, opts, io))
}

async function sweepAction(file: string, opts: SweepOptions, io: CliIo): Promise<void> {
  const vary = parseVary(opts.vary)
  if (typeof vary === 'string') throw new ExitError(EXIT_INVALID, vary)
  const palette = themePalette(opts.theme)
  const read = await readJsonFile(file)
  if (!read.ok) throw new ExitError(EXIT_INVALID, read.message)
  // The scenario must be valid as written (its own design), before any variant runs.
  const base = validateDocument(read.document)
  if (!base.ok)
    throw new ExitError(
      EXIT_INVALID,
      (base.error.problems ?? []).map(problemLine).join('\n') || base.error.message,
    )
  const plan: SweepPlan = {
    base: base.value,
    ...vary,
    designs: opts.design.length > 0 ? opts.design : [designOf(base.value)],
    metric:
      opts.metric ?? (base.value.engine === 'book3s' ? 'doorbellsMisdelivered' : 'cpusOnline'),
  }
  const sweep = await sweepOnWorkers(read.document, plan, io)
  const field = plan.path.join('.')
  io.stdout(formatSweep(field, plan.values, plan.designs, sweep))
  const bad = sweep.points.find(
    (p) => p.error !== null && p.error.startsWith('the run has no metric'),
  )
  if (bad) throw new ExitError(EXIT_INVALID, `--metric: ${bad.error}`)
  if (opts.json) {
    const { designs, metric } = plan
    await writeFileAtomic(
      opts.json,
      JSON.stringify({ scenario: plan.base.name, field, metric, designs, ...sweep }, null, 2) +
        '\n',
    )
  }
  if (opts.svg || opts.png) await writeChart(plan, sweep, opts, palette)
}

/** Runs every variant on a pool of workers, with a progress bar on a terminal. */
async function sweepOnWorkers(document: unknown, plan: SweepPlan, io: CliIo): Promise<SweepRun> {
  const runner = workerRunner({ spawn: sourceWorkerSpawner(), size: workerCount() })
  const bar = (done: number, total: number) => {
    if (!io.stderrIsTty) return
    const width = 30
    const filled = Math.round((done / total) * width)
    io.stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} runs`)
    if (done === total) io.stderr('\r\x1b[K')
  }
  try {
    const { path, values, designs, metric } = plan
    return await runSweep(runner, document, path, values, designs, metric, bar)
  } finally {
    await runner.close()
  }
}

/** The metric against the field, a line per design, as SVG and/or PNG. */
async function writeChart(
  plan: SweepPlan,
  sweep: SweepRun,
  opts: SweepOptions,
  palette: Palette,
): Promise<void> {
  const field = plan.path.join('.')
  const input: SweepChartInput = {
    title: `${sweep.metricLabel} against ${field}`,
    subtitle: `${plan.base.name} · ${plan.designs.join(' vs ')} · ${plan.base.engine}`,
    field,
    xs: [...plan.values],
    metricLabel: sweep.metricLabel,
    metricUnit: sweep.metricUnit,
    series: plan.designs.map((d) => ({
      design: d,
      values: plan.values.map(
        (v) => sweep.points.find((p) => p.design === d && p.value === v)?.metric ?? null,
      ),
    })),
    palette,
  }
  const size = sweepSize(input)
  // ECharts and resvg take two seconds to load: only a sweep that draws loads them.
  const { figureSvg, svgToPng } = await import('../../services/chartRender')
  const svg = figureSvg({ id: 'layout', caption: 'sweep', ...size, option: sweepOption(input) })
  if (opts.svg) await writeFileAtomic(opts.svg, svg)
  if (opts.png) await writeFileAtomic(opts.png, svgToPng(svg, 2, palette.background).data)
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
