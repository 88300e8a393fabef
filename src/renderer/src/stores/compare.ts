/**
 * The compare view: one scenario under two designs of its engine, run at once (two engine
 * workers), and what differs between the two results.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { LabError } from '../../../shared/contract'
import { compareRuns } from '../../../shared/lab/compare'
import type { RunResult } from '../../../shared/result'
import { useLabClient } from '../api/labClient'

let compareCounter = 0

export const useCompareStore = defineStore('compare', () => {
  const designA = ref<string | null>(null)
  const designB = ref<string | null>(null)
  const a = shallowRef<RunResult | null>(null)
  const b = shallowRef<RunResult | null>(null)
  const errors = ref<[LabError | null, LabError | null]>([null, null])
  const running = ref(false)
  const ids = ref<string[]>([])
  /** The comparison in flight; an older one's answers are dropped. */
  let current = 0
  /** The scenario's name when it was compared. */
  const scenarioName = ref<string | null>(null)

  const comparison = computed(() => (a.value && b.value ? compareRuns(a.value, b.value) : null))

  async function compare(scenario: unknown, first: string, second: string): Promise<void> {
    const client = useLabClient()
    const n = ++compareCounter
    current = n
    const runIds = [`compare-${n}-a`, `compare-${n}-b`]
    ids.value = runIds
    designA.value = first
    designB.value = second
    running.value = true
    errors.value = [null, null]
    a.value = null
    b.value = null
    scenarioName.value = String((scenario as { name?: unknown } | null)?.name ?? '')
    try {
      const [ra, rb] = await Promise.all([
        client.run({ scenario, design: first, runId: runIds[0] }),
        client.run({ scenario, design: second, runId: runIds[1] }),
      ])
      if (current !== n) return
      a.value = ra.ok ? ra.value : null
      b.value = rb.ok ? rb.value : null
      errors.value = [ra.ok ? null : ra.error, rb.ok ? null : rb.error]
    } finally {
      if (current === n) running.value = false
    }
  }

  async function cancel(): Promise<void> {
    const client = useLabClient()
    await Promise.all(ids.value.map((runId) => client.cancelRun({ runId })))
  }

  return { designA, designB, a, b, errors, running, scenarioName, comparison, compare, cancel }
})
