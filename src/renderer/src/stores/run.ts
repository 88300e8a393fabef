/**
 * Runs: the latest result of each engine, the run in progress (its id, progress and whether it has
 * taken long enough to show a progress bar), cancelling it, and the last error.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { LabError, RunProgress } from '../../../shared/contract'
import type { Book3sRunResult, RunResult, XenRunResult } from '../../../shared/result'
import type { Engine } from '../../../shared/scenario/scenario'
import { useLabClient } from '../api/labClient'

/** A run shows its progress bar and Cancel button once it has taken this long. */
export const SLOW_RUN_MS = 500

let runCounter = 0

function engineOf(doc: unknown): Engine | null {
  const e = (doc as { engine?: unknown } | null)?.engine
  return e === 'book3s' || e === 'xen' ? e : null
}

/** The store's state, shared by the helper that makes its actions. */
interface RunState {
  latestBook3s: ShallowRef<Book3sRunResult | null>
  latestXen: ShallowRef<XenRunResult | null>
  latest: ShallowRef<RunResult | null>
  engineErrors: Ref<Record<Engine, LabError | null>>
  running: Ref<boolean>
  runId: Ref<string | null>
  progress: Ref<RunProgress | null>
  slow: Ref<boolean>
  error: Ref<LabError | null>
  cancelled: Ref<boolean>
  lastMs: Ref<number | null>
}

/** Running a scenario on the far side (its progress, result or error) and cancelling it. */
function runActions(s: RunState) {
  const { latestBook3s, latestXen, latest, engineErrors, running, runId } = s
  const { progress, slow, error, cancelled, lastMs } = s

  async function run(scenario: unknown, design?: string): Promise<RunResult | null> {
    const client = useLabClient()
    const id = `run-${++runCounter}`
    const engine = engineOf(scenario)
    runId.value = id
    running.value = true
    progress.value = null
    error.value = null
    cancelled.value = false
    slow.value = false
    const t0 = performance.now()
    const timer = setTimeout(() => {
      if (runId.value === id) slow.value = true
    }, SLOW_RUN_MS)
    const stop = client.onRunProgress((p) => {
      if (p.runId === id) progress.value = p
    })
    try {
      const out = await client.run({ scenario, runId: id, ...(design ? { design } : {}) })
      if (runId.value !== id) return null
      lastMs.value = performance.now() - t0
      if (!out.ok) {
        if (out.error.code === 'cancelled') cancelled.value = true
        else {
          error.value = out.error
          if (engine && out.error.code !== 'invalid-scenario')
            engineErrors.value[engine] = out.error
        }
        return null
      }
      const result = out.value
      latest.value = result
      engineErrors.value[result.engine] = null
      if (result.engine === 'book3s') latestBook3s.value = result
      else latestXen.value = result
      return result
    } finally {
      clearTimeout(timer)
      stop()
      if (runId.value === id) {
        running.value = false
        slow.value = false
        runId.value = null
      }
    }
  }

  /** Asks the far side to stop the run in progress; its `run` then answers `cancelled`. */
  async function cancel(): Promise<void> {
    const id = runId.value
    if (!id) return
    await useLabClient().cancelRun({ runId: id })
  }

  return { run, cancel }
}

export const useRunStore = defineStore('run', () => {
  /** Large results stay out of deep reactivity: replaced whole, never mutated. */
  const latestBook3s = shallowRef<Book3sRunResult | null>(null)
  const latestXen = shallowRef<XenRunResult | null>(null)
  const latest = shallowRef<RunResult | null>(null)
  /** The last error of a run of each engine (e.g. an engine this build lacks), for its pane. */
  const engineErrors = ref<Record<Engine, LabError | null>>({ book3s: null, xen: null })
  const running = ref(false)
  const runId = ref<string | null>(null)
  const progress = ref<RunProgress | null>(null)
  const slow = ref(false)
  const error = ref<LabError | null>(null)
  const cancelled = ref(false)
  /** Wall time of the last finished run, in ms. */
  const lastMs = ref<number | null>(null)

  const fraction = computed(() => {
    const p = progress.value
    return p && p.until > 0 ? Math.min(1, p.tick / p.until) : null
  })

  const { run, cancel } = runActions({
    latestBook3s,
    latestXen,
    latest,
    engineErrors,
    running,
    runId,
    progress,
    slow,
    error,
    cancelled,
    lastMs,
  })

  return {
    latest,
    latestBook3s,
    latestXen,
    engineErrors,
    running,
    runId,
    progress,
    fraction,
    slow,
    error,
    cancelled,
    lastMs,
    run,
    cancel,
  }
})
