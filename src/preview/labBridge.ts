/**
 * The browser preview's `window.lab`: the same contract as the preload (src/preload). The engine
 * methods are carried over fetch to the loopback host (src/host), with progress over server-sent
 * events; a run's result comes as its packed frame, an application/octet-stream body handed on as
 * bytes (the lab client unpacks it); the file methods are answered in the page, as a browser must: a file chooser to open, a
 * download to save or export, localStorage for the draft, no recent files (the browser hides
 * paths), and no PDF (that needs Electron's printToPDF; the page says so). There is no application
 * menu, so `onMenuCommand` never fires.
 *
 * Every call answers with an Outcome, never a throw: a host that does not answer, or answers
 * without a result, is an `internal` error naming what happened; a file method that throws in the
 * page is a `file-error` naming the method.
 */
import {
  EVENT_CHANNELS,
  fail,
  ok,
  type EngineMethods,
  type ExportFormat,
  type FileMethods,
  type LabApi,
  type Outcome,
  type PageResponseOf,
  type RequestOf,
  type RunProgress,
  type SaveResult,
} from '../shared/contract'
import { MAX_SCENARIO_BYTES } from '../shared/files/jsonText'
import { FRAME_CONTENT_TYPE } from '../shared/packed/frame'

/** Where the browser preview keeps the unsaved scenario. */
export const DRAFT_STORAGE_KEY = 'vcpu-lab:draft'

/** What the bridge needs from the page; tests hand it fakes. */
export interface BridgeEnv {
  /** The host's per-run token, sent with every API call. */
  token: string
  fetch: typeof fetch
  /** Read on each use: a page whose storage is blocked still gets a bridge. */
  storage: () => Storage
  openEvents: (url: string) => EventSource
  document: Document
}

type EngineMethod = keyof EngineMethods
type FileMethod = keyof FileMethods
type Answer<M extends keyof EngineMethods | keyof FileMethods> = Promise<Outcome<PageResponseOf<M>>>

const EXPORT_TYPES: Record<ExportFormat, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  trace: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
}

/** How long a download's object URL lives: long enough for the browser to start saving it. */
const DOWNLOAD_URL_MS = 60_000

interface StoredDraft {
  version: 1
  savedAt: string
  text: string
  name: string | null
}

/** The engine methods: a POST to the host with the page's token; a failure comes back as data. */
function engineCaller(env: BridgeEnv) {
  return async function call<M extends EngineMethod>(method: M, request: RequestOf<M>): Answer<M> {
    let res: Response
    try {
      res = await env.fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lab-token': env.token },
        body: JSON.stringify(request ?? {}),
      })
    } catch (err) {
      return fail(
        'internal',
        `the lab host did not answer (${String(err)}); is npm run preview:web still running?`,
      )
    }
    try {
      if (res.ok && res.headers.get('content-type') === FRAME_CONTENT_TYPE) {
        return ok(new Uint8Array(await res.arrayBuffer()) as PageResponseOf<M>)
      }
      return (await res.json()) as Outcome<PageResponseOf<M>>
    } catch {
      return fail('internal', `the lab host answered HTTP ${res.status} without a result`)
    }
  }
}

/** A file method run in the page: whatever it throws comes back as a `file-error`. */
const inPage =
  <M extends FileMethod>(method: M, fn: (request: RequestOf<M>) => Answer<M>) =>
  async (request: RequestOf<M>): Answer<M> => {
    try {
      return await fn(request ?? ({} as RequestOf<M>))
    } catch (err) {
      return fail('file-error', `${method} failed in the page: ${String(err)}`)
    }
  }

/** The browser's file picker: the file chosen, or null when the person cancels. */
function chooseFile(env: BridgeEnv): Promise<File | null> {
  return new Promise<File | null>((resolve) => {
    const input = env.document.createElement('input')
    input.type = 'file'
    input.accept = '.json,application/json'
    input.hidden = true
    let done = false
    const finish = (file: File | null) => {
      if (done) return
      done = true
      input.remove()
      resolve(file)
    }
    input.addEventListener('change', () => finish(input.files?.[0] ?? null))
    input.addEventListener('cancel', () => finish(null))
    env.document.body.appendChild(input)
    input.click()
  })
}

/** A save in the browser: a download of `blob` named `name`. */
function download(env: BridgeEnv, name: string, blob: Blob): Outcome<SaveResult> {
  const url = URL.createObjectURL(blob)
  const a = env.document.createElement('a')
  a.href = url
  a.download = name
  a.hidden = true
  env.document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_MS)
  return ok({ saved: true, name, fileId: null })
}

const base64Bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

/** Opening and saving scenarios and exports: the file picker and downloads. */
function fileMethods(
  env: BridgeEnv,
): Pick<LabApi, 'openScenario' | 'saveScenario' | 'recentFiles' | 'saveExport' | 'exportPdf'> {
  return {
    openScenario: inPage('openScenario', async (request) => {
      if (request.recentId) return fail('not-found', 'the browser preview keeps no recent files')
      const file = await chooseFile(env)
      if (!file) return ok(null)
      if (file.size > MAX_SCENARIO_BYTES) {
        return fail(
          'file-error',
          `${file.name}: ${file.size} bytes; a scenario file may have at most ${MAX_SCENARIO_BYTES}`,
        )
      }
      try {
        return ok({ fileId: null, name: file.name, text: await file.text() })
      } catch (err) {
        return fail('file-error', `${file.name}: cannot read the file (${String(err)})`)
      }
    }),
    saveScenario: inPage('saveScenario', async (request) =>
      download(env, request.suggestedName, new Blob([request.text], { type: 'application/json' })),
    ),
    recentFiles: inPage('recentFiles', async () => ok([])),
    saveExport: inPage('saveExport', async (request) => {
      const data = request.encoding === 'base64' ? base64Bytes(request.data) : request.data
      const type = EXPORT_TYPES[request.format] ?? 'application/octet-stream'
      return download(env, request.suggestedName, new Blob([data], { type }))
    }),
    exportPdf: inPage('exportPdf', async () =>
      fail(
        'unsupported',
        'PDF is made by the desktop app (Electron prints the report). In the browser preview, save the HTML report and print it from the browser.',
      ),
    ),
  }
}

/** The unsaved draft, kept in the page's local storage. */
function draftMethods(env: BridgeEnv): Pick<LabApi, 'saveDraft' | 'loadDraft' | 'clearDraft'> {
  return {
    saveDraft: inPage('saveDraft', async (request) => {
      const savedAt = new Date().toISOString()
      const draft: StoredDraft = { version: 1, savedAt, text: request.text, name: request.name }
      try {
        env.storage().setItem(DRAFT_STORAGE_KEY, JSON.stringify(draft))
      } catch (err) {
        return fail('file-error', `the browser could not keep the draft (${String(err)})`)
      }
      return ok({ savedAt })
    }),
    loadDraft: inPage('loadDraft', async () => {
      let d: Partial<StoredDraft> | null
      try {
        d = JSON.parse(env.storage().getItem(DRAFT_STORAGE_KEY) || 'null') as typeof d
      } catch {
        d = null
      }
      if (!d || d.version !== 1 || typeof d.text !== 'string' || typeof d.savedAt !== 'string') {
        return ok(null)
      }
      const name = typeof d.name === 'string' ? d.name : null
      return ok({ text: d.text, name, fileId: null, savedAt: d.savedAt })
    }),
    clearDraft: inPage('clearDraft', async () => {
      const storage = env.storage()
      const had = storage.getItem(DRAFT_STORAGE_KEY) !== null
      storage.removeItem(DRAFT_STORAGE_KEY)
      return ok({ cleared: had })
    }),
  }
}

/** Run progress from the host's event stream, opened for the first listener, closed after the last. */
function progressEvents(env: BridgeEnv): Pick<LabApi, 'onRunProgress'> {
  const listeners = new Set<(progress: RunProgress) => void>()
  let source: EventSource | null = null
  return {
    onRunProgress(listener) {
      listeners.add(listener)
      if (!source) {
        source = env.openEvents(`/api/events?token=${encodeURIComponent(env.token)}`)
        source.addEventListener(EVENT_CHANNELS.runProgress, (e) => {
          const progress = JSON.parse((e as MessageEvent<string>).data) as RunProgress
          for (const l of listeners) l(progress)
        })
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && source) {
          source.close()
          source = null
        }
      }
    },
  }
}

export function createLabBridge(env: BridgeEnv): LabApi {
  const call = engineCaller(env)
  return {
    run: (request) => call('run', request),
    cancelRun: (request) => call('cancelRun', request),
    validate: (request) => call('validate', request),
    listPresets: (request) => call('listPresets', request),
    readPreset: (request) => call('readPreset', request),
    appInfo: (request) => call('appInfo', request),
    ...fileMethods(env),
    ...draftMethods(env),
    ...progressEvents(env),
    onMenuCommand: () => () => undefined,
  } satisfies LabApi
}
