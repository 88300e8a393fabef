/**
 * The one contract between the renderer and whatever runs the engines. It is the only place that
 * names a channel. Three carriers implement it: Electron IPC (src/main/ipc.ts + src/preload), loopback
 * HTTP (src/host) and, for tests, an in-memory fake. Errors cross it as data, never as a thrown text.
 */
import type { RunResult } from './result'
import type { Engine, Scenario } from './scenario/scenario'
import type { Problem } from './scenario/problems'

export type LabErrorCode =
  | 'invalid-scenario'
  | 'invalid-request'
  | 'not-found'
  | 'forbidden'
  | 'run-failed'
  /** The run was stopped by `cancelRun` before it finished; nothing is wrong. */
  | 'cancelled'
  | 'internal'

export interface LabError {
  code: LabErrorCode
  message: string
  /** The JSON path the error is about, when there is one. */
  path?: string
  /** Every problem of an invalid scenario, each with its path. */
  problems?: Problem[]
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: LabError }

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value }
}

export function fail<T = never>(
  code: LabErrorCode,
  message: string,
  extra: Omit<LabError, 'code' | 'message'> = {},
): Outcome<T> {
  return { ok: false, error: { code, message, ...extra } }
}

export interface RunRequest {
  /** A scenario document as read from a file or an editor; validated on the far side. */
  scenario: unknown
  /** Overrides the scenario's design, like the CLI's `--design`. */
  design?: string
  /** Chosen by the caller so progress events can be matched to this run. */
  runId?: string
}

export interface CancelRunRequest {
  /** The `runId` the run was started with. */
  runId: string
}

export interface CancelRunResponse {
  /** True when a run with that id was running or waiting and is now being stopped; false when
   * there was none (it had finished, or never existed). The run itself then answers `cancelled`. */
  cancelled: boolean
}

export interface PresetSummary {
  id: string
  name: string
  description: string
  engine: Engine
  design: string
}

export interface Preset {
  id: string
  /** The preset file's document as written (not normalised), to load into an editor. */
  scenario: unknown
}

export interface AppInfo {
  name: string
  version: string
  engineVersions: Record<Engine, string>
  carrier: 'electron' | 'web'
}

/** Each method: its request and its response. */
export interface LabMethods {
  run: { request: RunRequest; response: RunResult }
  /** Stops a run started with that `runId`; its `run` call answers `{ok:false, code:'cancelled'}`. */
  cancelRun: { request: CancelRunRequest; response: CancelRunResponse }
  validate: { request: { scenario: unknown }; response: Scenario }
  listPresets: { request: Record<string, never>; response: PresetSummary[] }
  readPreset: { request: { id: string }; response: Preset }
  appInfo: { request: Record<string, never>; response: AppInfo }
}

export type LabMethod = keyof LabMethods
export type RequestOf<M extends LabMethod> = LabMethods[M]['request']
export type ResponseOf<M extends LabMethod> = LabMethods[M]['response']

export const LAB_METHODS = [
  'run',
  'cancelRun',
  'validate',
  'listPresets',
  'readPreset',
  'appInfo',
] as const satisfies readonly LabMethod[]

/** The Electron IPC channel of a method (`ipcMain.handle` / `ipcRenderer.invoke`). */
export function channelOf(method: LabMethod): string {
  return `lab:${method}`
}

/** Progress of a long run, sent main → renderer (IPC) or host → page (server-sent events). */
export interface RunProgress {
  runId: string
  /** Simulation events processed so far. */
  events: number
  /** Current tick and the tick the run ends at. */
  tick: number
  until: number
}

export const EVENT_CHANNELS = {
  runProgress: 'lab:event:run-progress',
} as const

export type Unsubscribe = () => void

/** What `window.lab` offers: one function per method, and subscriptions that return an unsubscribe. */
export type LabApi = {
  [M in LabMethod]: (request: RequestOf<M>) => Promise<Outcome<ResponseOf<M>>>
} & {
  onRunProgress(listener: (progress: RunProgress) => void): Unsubscribe
}

/** The far side of the contract: what main and the host call after checking a request. */
export type LabHandlers = {
  [M in LabMethod]: (
    request: RequestOf<M>,
    context: { onProgress?: (p: RunProgress) => void },
  ) => Promise<Outcome<ResponseOf<M>>>
}
