/**
 * A LabClient for component and store tests: canned answers, recorded calls, scripted progress,
 * runs that can be held open (to test progress and Cancel) and answered per design, and files:
 * scripted open-dialog answers, a save dialog that takes the suggested name (or cancels), a draft
 * kept in memory. Every request is checked against the contract's schemas, so a component that
 * would send main something it refuses fails its test.
 */
import {
  fail,
  ok,
  type Draft,
  type LabMethod,
  type MenuCommand,
  type OpenedFile,
  type Outcome,
  type PresetSummary,
  type RecentFile,
  type RunProgress,
  type RunRequest,
} from '../../src/shared/contract'
import { checkRequest } from '../../src/shared/contractSchemas'
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
  carrier?: 'electron' | 'web'
  /** What the open dialog answers, in turn: a file, or null (the person cancelled). */
  openAnswers?: (OpenedFile | null)[]
  /** The save dialog's answer: a file name, null to cancel; by default the suggested name. */
  saveName?: string | null
  /** The draft a previous session left. */
  draft?: Draft | null
  recent?: RecentFile[]
  /** Autosave fails with this file-error message while set (store.draftError changes it). */
  draftError?: string | null
}

export function fakeClient(opts: FakeOptions) {
  const calls: { method: string; request: unknown }[] = []
  const listeners = new Set<(p: RunProgress) => void>()
  const menuListeners = new Set<(c: MenuCommand) => void>()
  const openAnswers = [...(opts.openAnswers ?? [])]
  const store = { draft: opts.draft ?? null, nextFile: 1, draftError: opts.draftError ?? null }
  /** Records a file call after checking it as main would. */
  const record = (method: LabMethod, request: unknown) => {
    calls.push({ method, request })
    const checked = checkRequest(method, request)
    if (!checked.ok) throw new Error(`the page sent an invalid ${method}: ${checked.error.message}`)
  }
  const saved = (suggested: string) => {
    const name = opts.saveName === undefined ? suggested : opts.saveName
    return name === null
      ? ok({ saved: false as const })
      : ok({ saved: true as const, name, fileId: `${String(store.nextFile++).padStart(32, '0')}` })
  }
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
        carrier: opts.carrier ?? 'web',
      })
    },
    async openScenario(request) {
      record('openScenario', request)
      return ok(openAnswers.shift() ?? null)
    },
    async saveScenario(request) {
      record('saveScenario', request)
      return saved(request.suggestedName)
    },
    async recentFiles(request) {
      record('recentFiles', request)
      return ok(opts.recent ?? [])
    },
    async saveDraft(request) {
      record('saveDraft', request)
      if (store.draftError) return fail('file-error', store.draftError)
      const savedAt = new Date(Date.UTC(2026, 10, 21, 14, calls.length)).toISOString()
      store.draft = { ...request, savedAt }
      return ok({ savedAt })
    },
    async loadDraft(request) {
      record('loadDraft', request)
      return ok(store.draft)
    },
    async clearDraft(request) {
      record('clearDraft', request)
      const had = store.draft !== null
      store.draft = null
      return ok({ cleared: had })
    },
    async saveExport(request) {
      record('saveExport', request)
      return saved(request.suggestedName)
    },
    async exportPdf(request) {
      record('exportPdf', request)
      return opts.carrier === 'electron'
        ? saved(request.suggestedName)
        : fail('unsupported', 'PDF is made by the desktop app')
    },
    onRunProgress(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    onMenuCommand(l) {
      menuListeners.add(l)
      return () => menuListeners.delete(l)
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
  /** What the application menu would send. */
  function menu(c: MenuCommand) {
    for (const l of menuListeners) l(c)
  }
  const callsOf = (method: LabMethod) =>
    calls.filter((c) => c.method === method).map((c) => c.request)
  return { client, calls, callsOf, listeners, release, emit, menu, store }
}
