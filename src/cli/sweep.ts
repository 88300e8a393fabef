/**
 * `lab sweep`: the same scenario over a range of one field's values, under each design, run on
 * worker threads (one per core), with one metric collected per run.
 */
import { availableParallelism } from 'node:os'
import { restOf } from '../shared/packed/packedRun'
import type { RunResult } from '../shared/result'
import { withDesign } from '../shared/scenario/scenario'
import type { RunRunner } from '../services/runRunner'

export const MAX_POINTS = 400

/** `path=a..b`, `path=a..b:step`, `path=a..b*factor` or `path=a,b,c` → the path and its values. */
export function parseVary(spec: string): { path: string[]; values: number[] } | string {
  const m = /^([A-Za-z][\w.]*)=(.+)$/.exec(spec)
  if (!m) return `--vary: must be path=range, e.g. guest.vcpus=2..64 (got "${spec}")`
  const path = (m[1] as string).split('.')
  const range = m[2] as string
  let values: number[]
  const r = /^(-?\d+)\.\.(-?\d+)(?:([:*])(\d+(?:\.\d+)?))?$/.exec(range)
  if (r) {
    const [a, b] = [Number(r[1]), Number(r[2])]
    const how = r[3]
    const by = r[4] === undefined ? 1 : Number(r[4])
    if (b < a) return `--vary: the range must go up (got ${a}..${b})`
    values = []
    if (how === '*') {
      if (!(by > 1)) return `--vary: a geometric step must be more than 1 (got ${by})`
      for (
        let v = a;
        v <= b && values.length <= MAX_POINTS;
        v = Math.max(v + 1, Math.round(v * by))
      )
        values.push(v)
    } else {
      if (!(by >= 1) || !Number.isInteger(by))
        return `--vary: a step must be a whole number of at least 1 (got ${by})`
      for (let v = a; v <= b && values.length <= MAX_POINTS; v += by) values.push(v)
    }
  } else if (/^-?\d+(,-?\d+)*$/.test(range)) {
    values = range.split(',').map(Number)
  } else {
    return `--vary: the range must be a..b, a..b:step, a..b*factor or a,b,c (got "${range}")`
  }
  if (values.length > MAX_POINTS) return `--vary: at most ${MAX_POINTS} values (got more)`
  return { path, values }
}

/** A copy of the document with `path` set to `value` (objects on the way are created). */
export function setPath(doc: unknown, path: readonly string[], value: unknown): unknown {
  const root: Record<string, unknown> =
    doc !== null && typeof doc === 'object' && !Array.isArray(doc)
      ? { ...(doc as Record<string, unknown>) }
      : {}
  let cur = root
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      cur[key] = value
      return
    }
    const next = cur[key]
    const copy =
      next !== null && typeof next === 'object' && !Array.isArray(next)
        ? { ...(next as Record<string, unknown>) }
        : {}
    cur[key] = copy
    cur = copy
  })
  return root
}

export interface SweepPoint {
  design: string
  value: number
  /** The metric's value, or null when the variant could not run. */
  metric: number | null
  /** Why the variant did not run (the first problem of an invalid one). */
  error: string | null
  metrics: Record<string, number> | null
}

export interface SweepRun {
  points: SweepPoint[]
  metricLabel: string
  metricUnit: string
}

/** Every design × value, at most `workers` at a time; `onDone` after each run. */
export async function runSweep(
  runner: RunRunner,
  doc: unknown,
  path: readonly string[],
  values: readonly number[],
  designs: readonly string[],
  metric: string,
  onDone: (done: number, total: number) => void,
): Promise<SweepRun> {
  const jobs = designs.flatMap((design) => values.map((value) => ({ design, value })))
  let done = 0
  let label = metric
  let unit = ''
  const points = await Promise.all(
    jobs.map(async ({ design, value }, i): Promise<SweepPoint> => {
      const out = await runner.run({
        scenario: withDesign(setPath(doc, path, value), design),
        runId: `sweep-${i}`,
      })
      onDone(++done, jobs.length)
      if (!out.ok) {
        const first = out.error.problems?.[0]
        const error = first ? `${first.path}: ${first.message}` : out.error.message
        return { design, value, metric: null, error, metrics: null }
      }
      // Only the metrics are read: the result without its events and spans.
      const r: RunResult = restOf(out.value)
      const m = r.metrics[metric]
      if (m) {
        label = m.label
        unit = m.unit
      }
      const metrics = Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, v.value]))
      return {
        design,
        value,
        metric: m ? m.value : null,
        error: m
          ? null
          : `the run has no metric "${metric}"; it has ${Object.keys(r.metrics).join(', ')}`,
        metrics,
      }
    }),
  )
  return { points, metricLabel: label, metricUnit: unit }
}

export function workerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()))
}
