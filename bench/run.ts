/**
 * `npm run bench [-- --json] [-- --case NAME]`: figures, never pass/fail. Each case builds a
 * scenario, runs it through the same facade as the app, and reports events processed, wall time,
 * events per second and the peak heap seen while it ran (sampled with the progress hook).
 */
import { Command } from 'commander'
import { runScenario } from '../src/engines'
import { CASES } from './cases'

interface BenchResult {
  name: string
  events: number
  wallMs: number
  /** CPU time of this process during the run: steadier than wall time on a busy machine. */
  cpuMs: number
  eventsPerSec: number
  heapMB: number
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

const program = new Command()
  .name('bench')
  .option('--json', 'print {"results":[...]} as JSON')
  .option('--case <name>', 'run only this case')
  .parse(process.argv.slice(2), { from: 'user' })
const opts = program.opts<{ json?: boolean; case?: string }>()
const chosen = CASES.filter((c) => !opts.case || c.name === opts.case)
if (chosen.length === 0) {
  const known = CASES.map((c) => c.name).join(', ') || 'none yet'
  process.stderr.write(
    opts.case ? `no bench case named ${opts.case}; cases: ${known}\n` : 'no bench cases yet\n',
  )
  process.exit(2)
}
const results = chosen.map((c) => {
  if (!opts.json) process.stderr.write(`running ${c.name}: ${c.description}\n`)
  return measure(c.name, c.build)
})
if (opts.json) process.stdout.write(JSON.stringify({ results }) + '\n')
else
  for (const r of results)
    process.stdout.write(
      `${r.name}: ${r.events.toLocaleString('en-US')} events in ${r.wallMs} ms (cpu ${r.cpuMs} ms) = ${r.eventsPerSec.toLocaleString('en-US')} events/s, peak heap ${r.heapMB} MB\n`,
    )
