/**
 * `npm run bench [-- --json] [-- --case NAME] [-- --runs N] [-- --v8-pool N|default]`: figures,
 * never pass/fail. Each case builds a scenario, runs it through the same facade as the app, and
 * reports events processed, wall time, events per second and the peak heap seen while it ran
 * (sampled with the progress hook).
 *
 * A run is a cold start: a fresh process, the engine not yet optimised by V8, as in the app's first
 * run of a worker. With `--runs N` each case runs N times, each in a process of its own, and the
 * figures are the median run's, with the fastest and slowest wall times beside it: shared machines
 * vary by a quarter from one run to the next.
 *
 * V8's helper threads (optimising compiler, concurrent GC) are sized to the machine: one fewer than
 * its cores, at least one (`--v8-pool-size`). Node's own default is four whatever the machine; on
 * the two-core development machines four helpers take the engine thread's core for a sixth of the
 * run, in bursts, and that, not the engine, is most of the spread between runs. `--v8-pool default`
 * measures with Node's default instead.
 *
 * The export cases (bench/cases.ts, EXPORT_CASES) run a case, then time one export of its result
 * as `lab export` writes it, and print the file's size and the ratio to the case's target. The
 * lab cases (LAB_CASES, bench/labMeasures.ts) time packing a large run's result (bytes per event
 * or span against 100) and `lab run --out` against the engine (1.5×). The browser cases
 * (BROWSER_CASES, bench/browserMeasures.ts) drive the lab in Chromium: Run to the timeline drawn
 * against the engine (2×), and the timeline's frames over a million spans (median 16 ms, worst
 * 50 ms); they need Chromium and `npm run build`, and say so when either is missing.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import { runScenario } from '../src/engines'
import { writeFileAtomic } from '../src/services/atomicWrite'
import { perfettoFileChunks } from '../src/services/perfettoFile'
import { traceChunks } from '../src/shared/export/trace'
import { withNewline } from '../src/shared/jsonChunks'
import { measureBrowser } from './browserMeasures'
import { BROWSER_CASES, CASES, EXPORT_CASES, LAB_CASES, type ExportCase } from './cases'
import { measureLab } from './labMeasures'

interface BenchResult {
  name: string
  /** An export case's: the file's size in bytes, its target and the ratio to it. */
  export?: { bytes: number; target: string; ratio: number; label: string }
  /** A lab case's line (bench/labMeasures.ts), printed after its name. */
  text?: string
  events: number
  wallMs: number
  /** CPU time of this process during the run: steadier than wall time on a busy machine. */
  cpuMs: number
  eventsPerSec: number
  heapMB: number
  /** How many runs, and the fastest and slowest wall times. */
  runs?: number
  wallMsMin?: number
  wallMsMax?: number
  /** V8's helper threads (`--v8-pool-size`), or "default" for Node's own. */
  v8Pool?: number | 'default'
}

function measure(name: string, build: () => Parameters<typeof runScenario>[0]): BenchResult {
  const scenario = build()
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  let peak = process.memoryUsage().heapUsed
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().heapUsed)
  }
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const result = runScenario(scenario, { hooks: { progressEvery: 1 << 16, onProgress: sample } })
  const cpu = process.cpuUsage(c0)
  const wallMs = performance.now() - t0
  sample()
  const events = result.run.events
  return {
    name,
    events,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    eventsPerSec: Math.round(events / (wallMs / 1000)),
    heapMB: Math.round((peak / 2 ** 20) * 10) / 10,
  }
}

/**
 * Runs the case an export case exports (untimed), then writes the export into a temporary folder
 * as `lab export` does, timing it; the peak heap is sampled at each chunk.
 */
async function measureExport(c: ExportCase): Promise<BenchResult> {
  const base = CASES.find((x) => x.name === c.of)
  if (!base) throw new Error(`${c.name}: no case ${c.of}`)
  const result = runScenario(base.build())
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  let peak = process.memoryUsage().heapUsed
  function* sampled<T>(chunks: Iterable<T>): Generator<T> {
    for (const chunk of chunks) {
      peak = Math.max(peak, process.memoryUsage().heapUsed)
      yield chunk
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-export-'))
  const file = join(dir, c.writer === 'trace' ? 'trace.json' : 'trace.pftrace')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  if (c.writer === 'trace') await writeFileAtomic(file, sampled(withNewline(traceChunks(result))))
  else await writeFileAtomic(file, sampled(perfettoFileChunks(result)))
  const cpu = process.cpuUsage(c0)
  const wallMs = performance.now() - t0
  const bytes = statSync(file).size
  rmSync(dir, { recursive: true, force: true })
  const t = c.target
  const ratio = t.what === 'time' ? wallMs / 1000 / t.seconds : bytes / 1e6 / t.megabytes
  return {
    name: c.name,
    export: {
      bytes,
      target: t.what === 'time' ? `${t.seconds} s` : `${t.megabytes} MB`,
      ratio: Math.round(ratio * 100) / 100,
      label: c.writer === 'trace' ? 'trace export' : 'protobuf',
    },
    events: result.events.length,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    eventsPerSec: Math.round(result.events.length / (wallMs / 1000)),
    heapMB: Math.round((peak / 2 ** 20) * 10) / 10,
  }
}

/**
 * Runs one case `runs` times, each in a fresh process with V8's helper pool at `pool` threads, and
 * keeps the median run.
 */
function repeated(name: string, runs: number, pool: number | 'default'): BenchResult {
  const all: BenchResult[] = []
  const poolArg = pool === 'default' ? [] : [`--v8-pool-size=${pool}`]
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, ...poolArg, process.argv[1] as string, '--case', name, '--in-process'],
      { encoding: 'utf8' },
    )
    if (child.status !== 0) {
      throw new Error(
        `bench run ${i + 1} of ${name} failed (exit ${child.status}): ${child.stderr}`,
      )
    }
    const parsed = JSON.parse(child.stdout) as { results: BenchResult[] }
    all.push(parsed.results[0] as BenchResult)
    if (!opts.json) process.stderr.write(`  run ${i + 1}: ${all[i]?.wallMs} ms\n`)
  }
  const byWall = [...all].sort((a, b) => a.wallMs - b.wallMs)
  const median = byWall[(byWall.length - 1) >> 1] as BenchResult
  return {
    ...median,
    runs,
    wallMsMin: (byWall[0] as BenchResult).wallMs,
    wallMsMax: (byWall[byWall.length - 1] as BenchResult).wallMs,
    v8Pool: pool,
  }
}

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new InvalidArgumentError(`--runs: a whole number from 1 to 100 (got ${value})`)
  }
  return n
}

function poolSize(value: string): number | 'default' {
  if (value === 'default') return value
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InvalidArgumentError(
      `--v8-pool: a whole number from 1 to 64, or default (got ${value})`,
    )
  }
  return n
}

const program = new Command()
  .name('bench')
  .option('--json', 'print {"results":[...]} as JSON')
  .option('--case <name>', 'run only this case')
  .option(
    '--runs <n>',
    'run each case n times, each in a fresh process; report the median run (the faster of the middle two for an even n)',
    positiveInt,
    1,
  )
  .option(
    '--v8-pool <n>',
    "V8's helper threads in each run: a number, or default for Node's own (4); normally one fewer than the cores",
    poolSize,
    Math.max(1, availableParallelism() - 1),
  )
  .addOption(
    new Option('--in-process', 'measure here, in this process (what each run does)').hideHelp(),
  )
  .parse(process.argv.slice(2), { from: 'user' })
const opts = program.opts<{
  json?: boolean
  case?: string
  runs: number
  v8Pool: number | 'default'
  inProcess?: boolean
}>()
const all = [...CASES, ...EXPORT_CASES, ...LAB_CASES, ...BROWSER_CASES]
const chosen = all.filter((c) => !opts.case || c.name === opts.case)
if (chosen.length === 0) {
  const known = all.map((c) => c.name).join(', ') || 'none yet'
  process.stderr.write(
    opts.case ? `no bench case named ${opts.case}; cases: ${known}\n` : 'no bench cases yet\n',
  )
  process.exit(2)
}
const results: BenchResult[] = []
for (const c of chosen) {
  if (opts.inProcess) {
    if ('measure' in c && 'target' in c) results.push(measureLab(c))
    else if ('measure' in c) results.push(await measureBrowser(c))
    else results.push('writer' in c ? await measureExport(c) : measure(c.name, c.build))
    continue
  }
  if (!opts.json) process.stderr.write(`running ${c.name}: ${c.description}\n`)
  results.push(repeated(c.name, opts.runs, opts.v8Pool))
}
if (opts.json || opts.inProcess) process.stdout.write(JSON.stringify({ results }) + '\n')
else for (const r of results) process.stdout.write(`${line(r)}\n`)

/** One result as the bench prints it. */
function line(r: BenchResult): string {
  const many = r.runs !== undefined && r.runs > 1
  if (r.text) return `${r.name}: ${r.text}`
  if (r.export) {
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    const mb = (r.export.bytes / 1e6).toFixed(1)
    const spread = many ? ` (median of ${r.runs} runs, ${s(r.wallMsMin!)}-${s(r.wallMsMax!)})` : ''
    const measured = r.export.target.endsWith(' s') ? s(r.wallMs) : `${mb} MB`
    return (
      `${r.name}: ${mb} MB written in ${s(r.wallMs)}${spread} (cpu ${s(r.cpuMs)}, ` +
      `V8 helper threads ${r.v8Pool}), peak heap ${r.heapMB} MB with the run's result; ` +
      `${r.export.label} ${measured} / target ${r.export.target} = ${r.export.ratio.toFixed(2)}`
    )
  }
  const spread = many ? ` (median of ${r.runs} runs, ${r.wallMsMin}-${r.wallMsMax} ms)` : ''
  return `${r.name}: ${r.events.toLocaleString('en-US')} events in ${r.wallMs} ms${spread} (cpu ${r.cpuMs} ms, V8 helper threads ${r.v8Pool}) = ${r.eventsPerSec.toLocaleString('en-US')} events/s, peak heap ${r.heapMB} MB`
}
