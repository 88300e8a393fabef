/**
 * The far side of the contract's engine methods (EngineHandlers) for carriers that run in Node:
 * the Electron main process and the loopback host. Each handler answers with an Outcome; nothing
 * is thrown across. (The file methods are fileService.ts in the app, the page in the preview.)
 */
import { fail, ok, type AppInfo, type EngineHandlers } from '../shared/contract'
import { ENGINE_VERSIONS } from '../engines'
import { listPresets, readPreset } from './presets'
import { validateDocument } from './runDocument'
import { inProcessRunner, type RunRunner } from './runRunner'

/** For carriers that name the engines' versions (the About box) without importing the engines. */
export { ENGINE_VERSIONS }

export interface LabServiceOptions {
  presetsDir: string
  appVersion: string
  carrier: AppInfo['carrier']
  /** Where runs execute: the carriers pass a worker runner; the default runs in process. */
  runner?: RunRunner
}

let anonymousRuns = 0

export function createLabHandlers(opts: LabServiceOptions): EngineHandlers {
  const runner = opts.runner ?? inProcessRunner()
  return {
    async run(req, ctx) {
      const runId = req.runId ?? `run-${++anonymousRuns}`
      return runner.run({ scenario: req.scenario, design: req.design, runId }, ctx.onProgress)
    },
    async cancelRun(req) {
      return ok({ cancelled: runner.cancel(req.runId) })
    },
    async validate(req) {
      return validateDocument(req.scenario)
    },
    async listPresets() {
      try {
        return ok(await listPresets(opts.presetsDir))
      } catch (err) {
        return fail('internal', `cannot list presets: ${(err as Error).message}`)
      }
    },
    async readPreset(req) {
      try {
        const preset = await readPreset(opts.presetsDir, req.id)
        return preset
          ? ok(preset)
          : fail('not-found', `no preset with id "${req.id}"`, { path: 'id' })
      } catch (err) {
        return fail('internal', `cannot read preset ${req.id}: ${(err as Error).message}`)
      }
    },
    async appInfo() {
      return ok({
        name: 'vCPU Lab',
        version: opts.appVersion,
        engineVersions: { ...ENGINE_VERSIONS },
        carrier: opts.carrier,
      })
    },
  }
}
