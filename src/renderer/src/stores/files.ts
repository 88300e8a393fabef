/**
 * The scenario as a file: open (a dialog, a recent file, a dropped file), save and save as, the
 * recent files, the unsaved draft kept across a crash or quit, and the question before unsaved
 * work is replaced. Files are read and written by the far side (the main process's dialogs, or the
 * browser preview's chooser and downloads); this store decides what to do with their text.
 *
 * Invariants:
 * 1. A file that is not a valid scenario never replaces the editor's document: its problems are
 *    shown, each with its path, and the current work stays as it was.
 * 2. Unsaved work is replaced only after the person said so (save, discard, or cancel).
 * 3. While an old draft waits to be restored or discarded, nothing overwrites it.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import {
  fail,
  type AppInfo,
  type Draft,
  type LabError,
  type RecentFile,
} from '../../../shared/contract'
import { fileStem, isSafeFileName, withExtension } from '../../../shared/files/fileNames'
import { MAX_SCENARIO_BYTES, readJson } from '../../../shared/files/jsonText'
import { parseScenario, type Problem } from '../../../shared/scenario'
import { useLabClient } from '../api/labClient'
import { useEditorStore, type DocumentFile } from './editor'

/** The draft is kept this long after the last change. */
export const AUTOSAVE_MS = 800

export type Answer = 'save' | 'discard' | 'cancel'

/** A file that could not be opened, and why (every problem, each with its path). */
export interface OpenFailure {
  name: string
  problems: Problem[]
  /** The document when it parsed as JSON (it can still be opened to fix it). */
  document?: unknown
  text: string
  file: DocumentFile
}

export interface Notice {
  kind: 'ok' | 'error' | 'info'
  text: string
}

/** The unsaved-changes question: what would replace the work, and how the person answers. */
type Question = { action: string; answer(a: Answer): void }

/** The store's state (and the editor it works on), shared by the helpers that make its actions. */
interface FilesState {
  editor: ReturnType<typeof useEditorStore>
  failure: ShallowRef<OpenFailure | null>
  draftOffer: Ref<Draft | null>
  draftSavedAt: Ref<string | null>
  question: Ref<Question | null>
  busy: Ref<boolean>
  isWeb: ComputedRef<boolean>
}

/** Notices: the one line telling the person what just happened. */
function noticeActions(notice: Ref<Notice | null>) {
  function say(kind: Notice['kind'], text: string): void {
    notice.value = { kind, text }
  }
  function sayError(error: LabError): void {
    say('error', error.message)
  }
  return { say, sayError }
}
type Notices = ReturnType<typeof noticeActions>

/** The document's name and the window title (with ● while there is unsaved work). */
function documentTitle(editor: FilesState['editor']) {
  const documentName = computed(
    () =>
      editor.file?.name ??
      editor.scenarioName ??
      (editor.draft !== null ? 'untitled scenario' : null),
  )
  const title = computed(() =>
    documentName.value ? `${editor.dirty ? '● ' : ''}${documentName.value} — vCPU Lab` : 'vCPU Lab',
  )
  return { documentName, title }
}

/** Recent files: the list the far side keeps, fetched again after it may have changed. */
function recentFileActions(recent: Ref<RecentFile[]>) {
  async function refreshRecent(): Promise<void> {
    const out = await useLabClient().recentFiles({})
    if (out.ok) recent.value = out.value
  }
  return { refreshRecent }
}

/** Save and save as: the editor's text into a file (or a download), then the notice and recents. */
function saveActions(
  s: FilesState,
  { say, sayError }: Notices,
  refreshRecent: () => Promise<void>,
) {
  const { editor, busy, draftOffer, draftSavedAt, isWeb } = s

  function suggestedName(): string {
    const own = editor.file ? withExtension(editor.file.name, 'json') : null
    return own && isSafeFileName(own) ? own : `${fileStem(editor.scenarioName ?? 'scenario')}.json`
  }

  async function save(saveAs = false): Promise<boolean> {
    if (editor.draft === null) {
      say('info', 'Nothing to save yet: pick a preset or start a scenario first.')
      return false
    }
    if (editor.jsonError !== null) {
      say(
        'error',
        `The JSON view is refused (${editor.jsonError}); fix it before saving. Your text is kept as a draft.`,
      )
      return false
    }
    if (busy.value) return false
    busy.value = true
    const text = editor.jsonText.endsWith('\n') ? editor.jsonText : `${editor.jsonText}\n`
    const out = await useLabClient()
      .saveScenario({
        text,
        fileId: editor.file?.fileId ?? null,
        saveAs,
        suggestedName: suggestedName(),
      })
      .finally(() => (busy.value = false))
    if (!out.ok) {
      sayError(out.error)
      return false
    }
    if (!out.value.saved) return false
    editor.markSaved({ name: out.value.name, fileId: out.value.fileId }, text)
    // The work is in a file now; a draft waiting to be restored is another matter.
    if (!draftOffer.value) await useLabClient().clearDraft({})
    draftSavedAt.value = null
    const n = editor.problems.length
    say(
      'ok',
      `${isWeb.value ? 'Downloaded' : 'Saved'} “${out.value.name}”.${
        n ? ` It has ${n} problem${n === 1 ? '' : 's'} to fix before it runs.` : ''
      }`,
    )
    if (!isWeb.value) void refreshRecent()
    return true
  }

  return { save }
}

/** The question before unsaved work is replaced: save it, discard it, or cancel. */
function unsavedQuestion(s: FilesState, save: (saveAs?: boolean) => Promise<boolean>) {
  const { editor, question } = s

  /** Resolves true when the current work may be replaced (nothing unsaved, saved, or discarded). */
  function confirmDiscard(action: string): Promise<boolean> {
    if (!editor.dirty) return Promise.resolve(true)
    question.value?.answer('cancel')
    return new Promise((resolve) => {
      question.value = {
        action,
        answer: (a) => {
          question.value = null
          if (a === 'cancel') resolve(false)
          else if (a === 'discard') resolve(true)
          else void save(false).then(resolve)
        },
      }
    })
  }

  return { confirmDiscard }
}

/** Opening checked text: only a valid scenario replaces the editor's document; a failure is kept. */
function checkedOpenActions(
  s: FilesState,
  { say }: Notices,
  confirmDiscard: (action: string) => Promise<boolean>,
) {
  const { editor, failure } = s

  /**
   * A scenario file's text, from any source: checked first, and only a valid scenario replaces
   * the editor's document (after asking, if there is unsaved work).
   */
  async function openText(text: string, name: string, fileId: string | null): Promise<boolean> {
    const file = { name, fileId }
    const read = readJson(text)
    if (!read.ok) {
      failure.value = { name, text, file, problems: read.problems }
      return false
    }
    const document = read.document
    const valid = parseScenario(document)
    if (!valid.ok) {
      failure.value = { name, text, file, document, problems: valid.problems }
      return false
    }
    failure.value = null
    if (!(await confirmDiscard(`open “${name}”`))) return false
    editor.load(document, `file ${name}`, { text, file })
    say('ok', `Opened “${name}”.`)
    return true
  }

  /** The file that failed its checks, into the editor anyway, to fix it there. */
  async function openAnyway(): Promise<boolean> {
    const f = failure.value
    if (!f || f.document === undefined) return false
    if (!(await confirmDiscard(`open “${f.name}”`))) return false
    editor.load(f.document, `file ${f.name}`, { text: f.text, file: f.file })
    failure.value = null
    say('info', `Opened “${f.name}” to fix it: each problem is shown beside its field.`)
    return true
  }

  return { openText, openAnyway }
}

/** Where text to open comes from: the far side's dialog or a recent file, or a dropped file. */
function openSourceActions(
  s: FilesState,
  { say, sayError }: Notices,
  openText: (text: string, name: string, fileId: string | null) => Promise<boolean>,
  refreshRecent: () => Promise<void>,
) {
  const { busy } = s

  async function open(recentId?: string): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    const out = await useLabClient()
      .openScenario(recentId ? { recentId } : {})
      .finally(() => (busy.value = false))
    if (!out.ok) {
      sayError(out.error)
      if (recentId) await refreshRecent()
      return false
    }
    return out.value !== null && openText(out.value.text, out.value.name, out.value.fileId)
  }

  /** A file dropped on the window: read in the page, opened like any other (it has no path). */
  async function openDropped(file: File): Promise<boolean> {
    if (!/\.json$/i.test(file.name) && file.type !== 'application/json') {
      say('error', `“${file.name}” is not a .json scenario file.`)
      return false
    }
    if (file.size > MAX_SCENARIO_BYTES) {
      say(
        'error',
        `“${file.name}” has ${file.size} bytes; a scenario file may have at most ${MAX_SCENARIO_BYTES}.`,
      )
      return false
    }
    return openText(await file.text(), file.name, null)
  }

  return { open, openDropped }
}

/** The unsaved draft: restoring or discarding one left by a crash or quit. */
function draftActions(
  s: FilesState,
  { say }: Notices,
  confirmDiscard: (action: string) => Promise<boolean>,
) {
  const { editor, draftOffer, draftSavedAt } = s

  async function restoreDraft(): Promise<void> {
    const d = draftOffer.value
    if (!d) return
    if (!(await confirmDiscard('restore the unsaved scenario'))) return
    draftOffer.value = null
    editor.loadText(d.text, d.name ? `unsaved changes to ${d.name}` : 'unsaved scenario', {
      file: d.name ? { name: d.name, fileId: d.fileId } : null,
      unsaved: true,
    })
    draftSavedAt.value = d.savedAt
    say('ok', 'Restored the unsaved scenario.')
  }

  async function discardDraft(): Promise<void> {
    draftOffer.value = null
    await useLabClient().clearDraft({})
  }

  return { restoreDraft, discardDraft }
}

/** Autosave: the unsaved work kept as the draft on the far side while the person edits. */
function autosaveAction(s: FilesState, notices: Notices) {
  const { editor, draftOffer, draftSavedAt } = s
  /** The last autosave failure told, so a failing disk is said once, not every few seconds. */
  let told: string | null = null

  /** A failed autosave is said (once per reason): the work is only in the window until saved. */
  function failed(message: string): void {
    if (told === message) return
    told = message
    notices.say(
      'error',
      `Autosave failed: ${message}. Your work is still in the editor, but would be lost if the lab closed now: save it to a file (Ctrl+S).`,
    )
  }

  /** Keeps the unsaved work on the far side, AUTOSAVE_MS after it last changed, and on leaving. */
  function startAutosave(delay = AUTOSAVE_MS): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined
    let pending = false
    const keep = async () => {
      if (draftOffer.value) return
      const client = useLabClient()
      if (editor.dirty) {
        const name = editor.file && isSafeFileName(editor.file.name) ? editor.file.name : null
        const out = await client
          .saveDraft({ text: editor.jsonText, name, fileId: editor.file?.fileId ?? null })
          .catch((err: unknown) =>
            fail('internal', err instanceof Error ? err.message : String(err)),
          )
        if (out.ok) {
          draftSavedAt.value = out.value.savedAt
          told = null
        } else failed(out.error.message)
      } else if (draftSavedAt.value !== null) {
        draftSavedAt.value = null
        await client.clearDraft({})
      }
    }
    const flush = () => {
      clearTimeout(timer)
      if (!pending) return
      pending = false
      void keep()
    }
    const stop = watch([() => editor.jsonText, () => editor.dirty, () => editor.file], () => {
      pending = true
      clearTimeout(timer)
      timer = setTimeout(flush, delay)
    })
    window.addEventListener('pagehide', flush)
    return () => {
      stop()
      clearTimeout(timer)
      window.removeEventListener('pagehide', flush)
    }
  }

  return { startAutosave }
}

export const useFilesStore = defineStore('files', () => {
  const editor = useEditorStore()
  const appInfo = ref<AppInfo | null>(null)
  const recent = ref<RecentFile[]>([])
  const failure = shallowRef<OpenFailure | null>(null)
  const notice = ref<Notice | null>(null)
  const draftOffer = ref<Draft | null>(null)
  /** When the draft was last kept (ISO), or null when none is kept for this work. */
  const draftSavedAt = ref<string | null>(null)
  /** The unsaved-changes question waiting for an answer. */
  const question = ref<Question | null>(null)
  const busy = ref(false)

  const isWeb = computed(() => appInfo.value?.carrier === 'web')
  const { documentName, title } = documentTitle(editor)

  const state: FilesState = { editor, failure, draftOffer, draftSavedAt, question, busy, isWeb }
  const notices = noticeActions(notice)
  const { say, sayError } = notices
  const { refreshRecent } = recentFileActions(recent)
  const { save } = saveActions(state, notices, refreshRecent)
  const { confirmDiscard } = unsavedQuestion(state, save)
  const { openText, openAnyway } = checkedOpenActions(state, notices, confirmDiscard)
  const { open, openDropped } = openSourceActions(state, notices, openText, refreshRecent)
  const { restoreDraft, discardDraft } = draftActions(state, notices, confirmDiscard)
  const { startAutosave } = autosaveAction(state, notices)

  /** On start: the app's carrier, the recent files, and a draft left by a crash or quit. */
  async function start(): Promise<void> {
    const client = useLabClient()
    const [info, draft] = await Promise.all([client.appInfo({}), client.loadDraft({})])
    if (info.ok) appInfo.value = info.value
    if (draft.ok && draft.value) draftOffer.value = draft.value
    await refreshRecent()
  }

  return {
    appInfo,
    recent,
    failure,
    notice,
    draftOffer,
    draftSavedAt,
    question,
    busy,
    isWeb,
    documentName,
    title,
    say,
    sayError,
    confirmDiscard,
    openText,
    openAnyway,
    open,
    openDropped,
    save,
    refreshRecent,
    start,
    restoreDraft,
    discardDraft,
    startAutosave,
  }
})
