/**
 * The contract's far side (LabHandlers) for carriers that run in Node: the Electron main process
 * and the loopback host. Each handler answers with an Outcome; nothing is thrown across.
 */
import { fail, ok, type AppInfo, type LabHandlers } from '../shared/contract'
import { ENGINE_VERSIONS } from '../engines'
import { listPresets, readPreset } from './presets'
import { runDocument, validateDocument } from './runDocument'

export interface LabServiceOptions {
  presetsDir: string
  appVersion: string
  carrier: AppInfo['carrier']
}

export function createLabHandlers(opts: LabServiceOptions): LabHandlers {
  return {
    async run(req, ctx) {
      const runId = req.runId ?? 'run'
      const onProgress = ctx.onProgress
      return runDocument(req.scenario, req.design, {
        onProgress: onProgress ? (p) => onProgress({ runId, ...p }) : undefined,
      })
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
