/**
 * A LabClient for component and store tests: canned answers, recorded calls, scripted progress,
 * and runs that can be held open (to test progress and Cancel) and answered per design.
 */
import {
  fail,
  ok,
  type Outcome,
  type PresetSummary,
  type RunProgress,
  type RunRequest,
} from '../../src/shared/contract'
import type { RunResult } from '../../src/shared/result'
import type { LabClient } from '../../src/renderer/src/api/labClient'

export interface FakeOptions {
  presets?: PresetSummary[]
  documents?: Record<string, unknown>
  /** The answer to every run, or per request (e.g. by design); undefined answers invalid. */
  result?: RunResult | ((req: RunRequest) => RunResult | undefined)
  progress?: Omit<RunProgress, 'runId'>[]
  /** Runs stay open until `release()` or a cancelRun. */
  hold?: boolean
}

export function fakeClient(opts: FakeOptions) {
  const calls: { method: string; request: unknown }[] = []
  const listeners = new Set<(p: RunProgress) => void>()
  const open = new Map<string, (o: Outcome<RunResult>) => void>()
  const answer = (request: RunRequest): Outcome<RunResult> => {
    const r = typeof opts.result === 'function' ? opts.result(request) : opts.result
    return r
      ? ok(r)
      : fail('invalid-scenario', 'the scenario has 1 problem', {
          problems: [
            { path: 'guest.maxVcpus', message: 'must be an integer from 1 to 4096 (got 0)' },
          ],
        })
  }
  const client: LabClient = {
    async listPresets(request) {
      calls.push({ method: 'listPresets', request })
      return ok(opts.presets ?? [])
    },
    async readPreset(request) {
      calls.push({ method: 'readPreset', request })
      const doc = opts.documents?.[request.id]
      return doc === undefined
        ? fail('not-found', `no preset with id "${request.id}"`)
        : ok({ id: request.id, scenario: doc })
    },
    async run(request) {
      calls.push({ method: 'run', request })
      for (const p of opts.progress ?? [])
        for (const l of listeners) l({ runId: request.runId ?? 'run', ...p })
      if (!opts.hold) return answer(request)
      return new Promise((resolve) => open.set(request.runId ?? 'run', resolve))
    },
    async cancelRun(request) {
      calls.push({ method: 'cancelRun', request })
      const settle = open.get(request.runId)
      open.delete(request.runId)
      settle?.(fail('cancelled', `run ${request.runId} was cancelled`))
      return ok({ cancelled: settle !== undefined })
    },
    async validate(request) {
      calls.push({ method: 'validate', request })
      return fail('internal', 'not used')
    },
    async appInfo(request) {
      calls.push({ method: 'appInfo', request })
      return ok({
        name: 'vCPU Lab',
        version: '0.0.0-test',
        engineVersions: { book3s: 'b', xen: 'x' },
        carrier: 'web',
      })
    },
    onRunProgress(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  }
  /** Answers every held run. */
  function release() {
    for (const [id, settle] of open) {
      open.delete(id)
      const req = calls.find((c) => c.method === 'run' && (c.request as RunRequest).runId === id)
      settle(answer(req?.request as RunRequest))
    }
  }
  function emit(p: RunProgress) {
    for (const l of listeners) l(p)
  }
  return { client, calls, listeners, release, emit }
}
