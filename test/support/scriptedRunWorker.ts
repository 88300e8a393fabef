/**
 * A run worker whose "engine" is a script in the scenario, for testing the runner's mechanics
 * (progress, cancel, a dead worker) without waiting on a real long model:
 * `{ loops, honourCancel, crash }` spins `loops` steps, polling the hooks like the kernel does;
 * `{ allocate: true }` keeps allocating until the worker runs out of heap.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { fail, ok } from '../../src/shared/contract'
import type { RunResult } from '../../src/shared/result'
import { RUN_WORKER_MARK } from '../../src/services/runProtocol'
import { serveRuns } from '../../src/services/serveRuns'

interface Script {
  loops: number
  honourCancel?: boolean
  crash?: boolean
  allocate?: boolean
}

if (parentPort && (workerData as Record<string, unknown>)[RUN_WORKER_MARK] === true) {
  serveRuns(parentPort, (scenario, _design, control) => {
    const s = scenario as Script
    if (s.crash) process.exit(3)
    if (s.allocate) {
      const kept: unknown[] = []
      for (;;) kept.push({ at: kept.length, label: `span ${kept.length}`, more: [1, 2, 3] })
    }
    let x = 0
    for (let i = 1; i <= s.loops; i++) {
      x = (x * 31 + i) % 1_000_003
      if (i % (control.every ?? 1000) === 0) {
        control.onProgress?.({ events: i, tick: i, until: s.loops, recorded: 0, recordLimit: 1 })
        if (s.honourCancel !== false && control.shouldCancel?.()) {
          return fail('run-failed', `run cancelled after ${i} events`)
        }
      }
    }
    // Only what packing reads (the result goes back packed): no events, no tracks.
    const result = { engine: 'book3s', checksum: x, timeline: { tracks: [] }, events: [] }
    return ok(result as unknown as RunResult)
  })
}
