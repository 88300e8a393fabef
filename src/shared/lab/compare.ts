/**
 * Two runs of the same scenario under two designs, side by side: every metric with both values
 * and the difference, and the checks whose outcome or message differs. Pure, so the app's compare
 * view and a command-line `lab compare` (issue 7) say the same thing.
 */
import type { Check, RunResult } from '../result'

export interface MetricDiff {
  key: string
  label: string
  unit: string
  a: number | null
  b: number | null
  /** b − a, when both have the metric. */
  delta: number | null
}

export interface CheckDiff {
  id: string
  a: Check | null
  b: Check | null
  /** What differs: the verdict, only the message, or one run lacks the check. */
  change: 'verdict' | 'message' | 'only-a' | 'only-b'
}

export interface RunComparison {
  designs: [string, string]
  /**
   * What each design ran on where the engine has more than the design: the Book3S HV kernel
   * (`kvm.kernel`, each design's own default unless the scenario names one), the Linux era for Xen.
   */
  runsOn: [string, string]
  metrics: MetricDiff[]
  /** Metrics whose values differ. */
  changedMetrics: number
  checks: CheckDiff[]
  /** Checks present in both with the same verdict and message. */
  sameChecks: number
}

export function compareRuns(a: RunResult, b: RunResult): RunComparison {
  const keys = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])]
  const metrics: MetricDiff[] = keys.map((key) => {
    const ma = a.metrics[key]
    const mb = b.metrics[key]
    const m = ma ?? mb
    return {
      key,
      label: m?.label ?? key,
      unit: m?.unit ?? '',
      a: ma?.value ?? null,
      b: mb?.value ?? null,
      delta: ma && mb ? mb.value - ma.value : null,
    }
  })
  const byId = (r: RunResult) => new Map(r.checks.map((c) => [c.id, c]))
  const ca = byId(a)
  const cb = byId(b)
  const checks: CheckDiff[] = []
  let sameChecks = 0
  for (const id of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(id) ?? null
    const y = cb.get(id) ?? null
    if (!x) checks.push({ id, a: null, b: y, change: 'only-b' })
    else if (!y) checks.push({ id, a: x, b: null, change: 'only-a' })
    else if (x.ok !== y.ok) checks.push({ id, a: x, b: y, change: 'verdict' })
    else if (x.message !== y.message) checks.push({ id, a: x, b: y, change: 'message' })
    else sameChecks++
  }
  const order = { verdict: 0, 'only-a': 1, 'only-b': 1, message: 2 }
  checks.sort((x, y) => order[x.change] - order[y.change])
  return {
    designs: [a.design, b.design],
    runsOn: [runsOn(a), runsOn(b)],
    metrics,
    changedMetrics: metrics.filter((m) => m.a !== m.b).length,
    checks,
    sameChecks,
  }
}

/** "kernel 4.3" for a book3s run, "Linux 4.8" for a Xen one. */
export function runsOn(r: RunResult): string {
  return r.engine === 'book3s' ? `kernel ${r.scenario.kvm.kernel}` : `Linux ${r.scenario.linux.era}`
}
