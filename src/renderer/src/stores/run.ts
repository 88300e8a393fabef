/** The latest run of each engine, the run in progress, and its error. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { LabError, RunProgress } from '../../../shared/contract'
import type { Book3sRunResult, RunResult, XenRunResult } from '../../../shared/result'
import { useLabClient } from '../api/labClient'

let runCounter = 0

export const useRunStore = defineStore('run', () => {
  /** Large results stay out of deep reactivity: replaced whole, never mutated. */
  const latestBook3s = shallowRef<Book3sRunResult | null>(null)
  const latestXen = shallowRef<XenRunResult | null>(null)
  const latest = shallowRef<RunResult | null>(null)
  const running = ref(false)
  const progress = ref<RunProgress | null>(null)
  const error = ref<LabError | null>(null)

  async function run(scenario: unknown, design?: string): Promise<RunResult | null> {
    const client = useLabClient()
    const runId = `run-${++runCounter}`
    running.value = true
    progress.value = null
    error.value = null
    const stop = client.onRunProgress((p) => {
      if (p.runId === runId) progress.value = p
    })
    try {
      const out = await client.run({ scenario, runId, ...(design ? { design } : {}) })
      if (!out.ok) {
        error.value = out.error
        return null
      }
      const result = out.value
      latest.value = result
      if (result.engine === 'book3s') latestBook3s.value = result
      else latestXen.value = result
      return result
    } finally {
      stop()
      running.value = false
    }
  }

  return { latest, latestBook3s, latestXen, running, progress, error, run }
})
