/**
 * The one contract between the renderer and whatever runs the engines. It is the only place that
 * names a channel. Three carriers implement it: Electron IPC (src/main/ipc.ts + src/preload), loopback
 * HTTP (src/host) and, for tests, an in-memory fake. Errors cross it as data, never as a thrown text.
 */
import type { PackedRun } from './packed/packedRun'
import type { RunResult } from './result'
import type { Engine, Scenario } from './scenario/scenario'
import type { Problem } from './scenario/problems'

export type LabErrorCode =
  | 'invalid-scenario'
  | 'invalid-request'
  | 'not-found'
  | 'forbidden'
  | 'run-failed'
  /**
   * The scenario is valid but asks for more than a run may record (MAX_RECORDED events and spans),
   * found before the run or during it; the message names the fields to reduce.
   */
  | 'too-large'
  /** The run was stopped by `cancelRun` before it finished; nothing is wrong. */
  | 'cancelled'
  /** This carrier cannot do it (PDF in the browser preview); the message says where it can. */
  | 'unsupported'
  /** A file could not be read or written; the message names it and the reason. */
  | 'file-error'
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

/**
 * A scenario file handed to the page: its text (the page parses and checks it, so a dropped file
 * and an opened one take the same path), its name, and a handle.
 */
export interface OpenedFile {
  /**
   * An opaque handle for the file's path, which only the main process knows, so Save writes back
   * there. Null when the page read the file itself (drag and drop, the browser preview): Save then
   * asks where.
   */
  fileId: string | null
  /** The file name without its folder, for the title and messages. */
  name: string
  text: string
}

export interface RecentFile {
  /** Stands for the path in `openScenario({recentId})`; the page never sends a path. */
  id: string
  name: string
  /** The folder, to tell apart two files of the same name (shown, never sent back). */
  location: string
}

/** Where a save or an export went, or that the person cancelled the dialog. */
export type SaveResult = { saved: true; name: string; fileId: string | null } | { saved: false }

export interface OpenScenarioRequest {
  /** Open this entry of `recentFiles` instead of asking with a dialog. */
  recentId?: string
}

export interface SaveScenarioRequest {
  /** The file's text as it will be written (a scenario document, JSON). */
  text: string
  /** The file it came from: Save writes back there without asking. */
  fileId?: string | null
  /** Always ask where (Save As…). */
  saveAs?: boolean
  /** The name the dialog offers (a file name only; main chooses the folder). */
  suggestedName: string
}

/** An unsaved scenario kept by the far side, to offer back after a crash or quit. */
export interface Draft {
  /** The editor's JSON text, which may not parse (it is kept as typed). */
  text: string
  /** The file name it came from, or null for a scenario never saved. */
  name: string | null
  fileId: string | null
  /** ISO 8601, when it was kept. */
  savedAt: string
}

export interface SaveDraftRequest {
  text: string
  name: string | null
  fileId: string | null
}

export const EXPORT_FORMATS = ['png', 'svg', 'trace', 'csv', 'html'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** The file extension of each export format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat | 'pdf', string> = {
  png: 'png',
  svg: 'svg',
  trace: 'json',
  csv: 'csv',
  html: 'html',
  pdf: 'pdf',
}

export interface SaveExportRequest {
  format: ExportFormat
  /** The name the dialog offers (a file name only, with the format's extension). */
  suggestedName: string
  /** The export: text, or for a PNG its bytes in base64. */
  data: string
  encoding: 'utf8' | 'base64'
}

export interface ExportPdfRequest {
  /** A self-contained report page (buildReportHtml); it is printed with JavaScript off. */
  html: string
  suggestedName: string
}

/**
 * The methods that run the engines: every carrier sends them to its far side. A run's result
 * travels packed (src/shared/packed): the far side answers a `PackedRun`, the carrier hands the
 * page its bytes (`RunFrame`), and the page's lab client turns them back into a `RunResult`.
 */
export interface EngineMethods {
  run: { request: RunRequest; response: PackedRun }
  /** Stops a run started with that `runId`; its `run` call answers `{ok:false, code:'cancelled'}`. */
  cancelRun: { request: CancelRunRequest; response: CancelRunResponse }
  validate: { request: { scenario: unknown }; response: Scenario }
  listPresets: { request: Record<string, never>; response: PresetSummary[] }
  readPreset: { request: { id: string }; response: Preset }
  appInfo: { request: Record<string, never>; response: AppInfo }
}

/**
 * The methods that touch the person's files. In the desktop app the main process answers them
 * through its own dialogs and userData (the page never names a path); in the browser preview the
 * bridge answers them in the page (a file chooser, downloads, localStorage).
 */
export interface FileMethods {
  /** A dialog (or a recent file); `null` when the person cancelled. */
  openScenario: { request: OpenScenarioRequest; response: OpenedFile | null }
  saveScenario: { request: SaveScenarioRequest; response: SaveResult }
  recentFiles: { request: Record<string, never>; response: RecentFile[] }
  saveDraft: { request: SaveDraftRequest; response: { savedAt: string } }
  loadDraft: { request: Record<string, never>; response: Draft | null }
  clearDraft: { request: Record<string, never>; response: { cleared: boolean } }
  saveExport: { request: SaveExportRequest; response: SaveResult }
  /** The report as PDF (Electron's printToPDF); the browser preview answers `unsupported`. */
  exportPdf: { request: ExportPdfRequest; response: SaveResult }
}

/** Each method: its request and its response. */
export interface LabMethods extends EngineMethods, FileMethods {}

export type LabMethod = keyof LabMethods
export type RequestOf<M extends LabMethod> = LabMethods[M]['request']
export type ResponseOf<M extends LabMethod> = LabMethods[M]['response']

export const ENGINE_METHODS = [
  'run',
  'cancelRun',
  'validate',
  'listPresets',
  'readPreset',
  'appInfo',
] as const satisfies readonly (keyof EngineMethods)[]

export const FILE_METHODS = [
  'openScenario',
  'saveScenario',
  'recentFiles',
  'saveDraft',
  'loadDraft',
  'clearDraft',
  'saveExport',
  'exportPdf',
] as const satisfies readonly (keyof FileMethods)[]

export const LAB_METHODS = [
  ...ENGINE_METHODS,
  ...FILE_METHODS,
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
  /** Events and spans the run has recorded, and the most it may (MAX_RECORDED in the engines). */
  recorded: number
  recordLimit: number
}

/** What the application menu asks the page to do (the page holds the scenario and the runs). */
export type MenuCommand =
  | { command: 'open' }
  | { command: 'open-recent'; id: string }
  | { command: 'save' }
  | { command: 'save-as' }
  | { command: 'export'; what: ExportWhat }
  /** The recent files changed (a file opened or saved, or the list cleared): fetch them again. */
  | { command: 'recent-changed' }

/** Every export the app offers, for the menu and the buttons. */
export type ExportWhat =
  | 'layout-png'
  | 'layout-svg'
  | 'timeline-png'
  | 'timeline-svg'
  | 'trace'
  | 'csv'
  | 'report-html'
  | 'report-pdf'

export const EVENT_CHANNELS = {
  runProgress: 'lab:event:run-progress',
  menuCommand: 'lab:event:menu-command',
} as const

/**
 * The browser preview's carrier: the host (src/host) serves the bridge script built from
 * src/preview at `/<script>`, and hands it the per-run token in a `<meta name="<tokenMeta>">`.
 */
export const PREVIEW_BRIDGE = { script: 'lab-bridge.js', tokenMeta: 'vcpu-lab-token' } as const

export type Unsubscribe = () => void

/**
 * A run's result as `window.lab.run` hands it to the page: the packed run framed as bytes
 * (src/shared/packed/frame.ts), an HTTP body in the browser preview, an IPC answer in Electron.
 */
export type RunFrame = Uint8Array

/** What each method answers in the page: a run as its frame, the others as the far side's. */
export type PageResponseOf<M extends LabMethod> = M extends 'run' ? RunFrame : ResponseOf<M>

/** What the page's lab client answers: a run as a whole `RunResult`, the others as the far side's. */
export type ClientResponseOf<M extends LabMethod> = M extends 'run' ? RunResult : ResponseOf<M>

/** What `window.lab` offers: one function per method, and subscriptions that return an unsubscribe. */
export type LabApi = {
  [M in LabMethod]: (request: RequestOf<M>) => Promise<Outcome<PageResponseOf<M>>>
} & LabSubscriptions

/** The page's lab client (src/renderer/src/api/labClient.ts): `window.lab`, a run unpacked. */
export type LabClientApi = {
  [M in LabMethod]: (request: RequestOf<M>) => Promise<Outcome<ClientResponseOf<M>>>
} & LabSubscriptions

interface LabSubscriptions {
  onRunProgress(listener: (progress: RunProgress) => void): Unsubscribe
  /** Commands from the application menu (never in the browser preview, which has none). */
  onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe
}

type HandlersOf<Ms> = {
  [M in keyof Ms]: Ms[M] extends { request: infer Q; response: infer R }
    ? (request: Q, context: { onProgress?: (p: RunProgress) => void }) => Promise<Outcome<R>>
    : never
}

/** The far side of the contract: what main and the host call after checking a request. */
export type LabHandlers = HandlersOf<LabMethods>
/** The engine methods' far side (the host serves only these; files stay in the page). */
export type EngineHandlers = HandlersOf<EngineMethods>
export type FileHandlers = HandlersOf<FileMethods>
