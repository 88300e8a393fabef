/** A LabClient for component and store tests: canned answers, recorded calls, scripted progress. */
import { fail, ok, type PresetSummary, type RunProgress } from '../../src/shared/contract'
import type { RunResult } from '../../src/shared/result'
import type { LabClient } from '../../src/renderer/src/api/labClient'

export interface FakeOptions {
  presets?: PresetSummary[]
  documents?: Record<string, unknown>
  result?: RunResult
  progress?: Omit<RunProgress, 'runId'>[]
}

export function fakeClient(opts: FakeOptions) {
  const calls: { method: string; request: unknown }[] = []
  const listeners = new Set<(p: RunProgress) => void>()
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
      if (!opts.result) {
        return fail('invalid-scenario', 'the scenario has 1 problem', {
          problems: [
            { path: 'guest.maxVcpus', message: 'must be an integer from 1 to 4096 (got 0)' },
          ],
        })
      }
      return ok(opts.result)
    },
    async cancelRun(request) {
      calls.push({ method: 'cancelRun', request })
      return ok({ cancelled: true })
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
  return { client, calls, listeners }
}
