/**
 * The lab cases of the bench (bench/cases.ts, LAB_CASES): the packed result of a large run, and
 * `lab run --out` against the engine. Figures and ratios to the targets; nothing passes or fails.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runScenario } from '../src/engines'
import { frameBytes } from '../src/shared/packed/frame'
import { columnBytes, packRun, unpackRun } from '../src/shared/packed/packedRun'
import type { RunResult } from '../src/shared/result'
import { CASES, type LabCase } from './cases'

export interface LabMeasure {
  name: string
  events: number
  wallMs: number
  cpuMs: number
  eventsPerSec: number
  heapMB: number
  /** The line the bench prints after the case's name. */
  text: string
}

export const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
export const ratio = (x: number) => (Math.round(x * 100) / 100).toFixed(2)
const items = (r: RunResult) =>
  r.events.length + r.timeline.tracks.reduce((n, t) => n + t.spans.length, 0)

export function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const value = fn()
  const cpu = process.cpuUsage(c0)
  return { value, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }
}

export function measureLab(c: LabCase): LabMeasure {
  const base = CASES.find((x) => x.name === c.of)
  if (!base) throw new Error(`${c.name}: no case ${c.of}`)
  const scenario = base.build()
  const engine = timed(() => runScenario(scenario))
  const result = engine.value
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const out = c.measure === 'packed' ? packed(c, result, engine.ms) : labRunOut(c, base, engine.ms)
  return {
    name: c.name,
    events: result.events.length,
    wallMs: Math.round(out.ms),
    cpuMs: Math.round(out.cpuMs),
    eventsPerSec: Math.round(result.events.length / (out.ms / 1000)),
    heapMB: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10,
    text: out.text,
  }
}

function packed(c: LabCase, result: RunResult, engineMs: number) {
  const pack = timed(() => packRun(result))
  const frame = frameBytes(pack.value, (t) => Buffer.from(t, 'utf8'))
  const unpack = timed(() => unpackRun(pack.value))
  const n = items(result)
  const perItem = columnBytes(pack.value) / n
  const target = c.target.what === 'bytes-per-item' ? c.target.bytes : NaN
  const text =
    `${n.toLocaleString('en-US')} events and spans packed in ${s(pack.ms)} ` +
    `(${ratio(pack.ms / engineMs)}× the engine's ${s(engineMs)}), unpacked in ${s(unpack.ms)}; ` +
    `columns ${(columnBytes(pack.value) / 1e6).toFixed(1)} MB, frame ${(frame.length / 1e6).toFixed(1)} MB; ` +
    `${perItem.toFixed(1)} bytes an event or span / target ${target} = ${ratio(perItem / target)}`
  return { ms: pack.ms, cpuMs: pack.cpuMs, text }
}

/**
 * Loaded before the CLI in its process: prints the process's peak resident set on stderr as it
 * exits (`process.resourceUsage().maxRSS`, kilobytes), for the bench line.
 */
const PEAK_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak-rss-kb '+process.resourceUsage().maxRSS+'\\n'))`

function labRunOut(c: LabCase, base: (typeof CASES)[number], engineMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lab-run-'))
  const input = join(dir, 'scenario.json')
  const output = join(dir, 'result.json')
  writeFileSync(input, JSON.stringify(base.document()))
  const cli = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts')
  const child = timed(() =>
    spawnSync(
      process.execPath,
      ['--import', PEAK_RSS, '--import', 'tsx', cli, 'run', input, '--out', output],
      { encoding: 'utf8' },
    ),
  )
  if (child.value.status !== 0) {
    throw new Error(`lab run failed (exit ${child.value.status}): ${child.value.stderr}`)
  }
  const mb = (statSync(output).size / 1e6).toFixed(1)
  const rssKb = Number(/peak-rss-kb (\d+)/.exec(child.value.stderr)?.[1] ?? NaN)
  rmSync(dir, { recursive: true, force: true })
  const times = c.target.what === 'engine-ratio' ? c.target.times : NaN
  const r = child.ms / engineMs
  const text =
    `lab run --out wrote ${mb} MB in ${s(child.ms)} (its own process, start included; ` +
    `peak RSS ${Math.round(rssKb / 1024)} MB), ` +
    `the engine ${s(engineMs)} here: ${ratio(r)}× / target ${times}× = ${ratio(r / times)}`
  return { ms: child.ms, cpuMs: child.cpuMs, text }
}
