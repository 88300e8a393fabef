/**
 * The far side of the contract's file methods in the desktop app: scenario files opened and saved
 * through the main process's own dialogs, recent files, the unsaved draft, and exports.
 *
 * Invariants:
 * 1. The page never names a path. It gets a handle (`fileId`) for each file this service opened
 *    or saved, and may pass back only handles and a suggested file name; every other destination
 *    is chosen by the person in a dialog.
 * 2. Every write is atomic (writeFileAtomic: a temporary file beside the target, then a rename),
 *    so a crash or a failed write leaves the old file whole.
 * 3. A failure is an answer (`file-error` with the path and the reason), never a thrown error;
 *    a cancelled dialog is `{saved: false}` or `null`, not an error.
 */
import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import {
  fail,
  ok,
  type ExportFormat,
  type FileHandlers,
  type Outcome,
  type RecentFile,
  type SaveResult,
} from '../shared/contract'
import { writeFileAtomic } from './atomicWrite'
import { draftPath, readDraft, removeDraft, writeDraft } from './drafts'
import { RecentFiles, describeRecent, recentFilesPath } from './recentFiles'
import { readScenarioText } from './scenarioFile'

export interface FileFilter {
  name: string
  extensions: string[]
}

export interface DialogOptions {
  title: string
  defaultPath: string
  filters: FileFilter[]
}

/** The main process's dialogs, as the service needs them (Electron's, or a test's fake). */
export interface FileDialogs {
  /** The file the person picked to open, or null when they cancelled. */
  open(opts: DialogOptions): Promise<string | null>
  /** Where the person chose to save, or null when they cancelled. */
  save(opts: DialogOptions): Promise<string | null>
  /** Whether to replace a file that exists (asked when the lab added the extension itself). */
  confirmReplace(path: string): Promise<boolean>
}

export interface FileServiceOptions {
  userData: string
  /** Where the first dialog starts (the person's documents folder). */
  startDir: string
  dialogs: FileDialogs
  /** Prints a report page to PDF (Electron's printToPDF in an offscreen window). */
  printPdf(html: string): Promise<Uint8Array>
  /** Called after the recent files changed, with the new list (the menu's Open Recent). */
  onRecentChanged?(recent: RecentFile[]): void
  now?: () => Date
}

export interface FileService {
  handlers: FileHandlers
  recent(): Promise<RecentFile[]>
  clearRecent(): Promise<void>
}

const SCENARIO_FILTER: FileFilter = { name: 'Scenario (JSON)', extensions: ['json'] }

const EXPORTS: Record<ExportFormat | 'pdf', { title: string; filter: FileFilter }> = {
  png: { title: 'Save the chart as PNG', filter: { name: 'PNG image', extensions: ['png'] } },
  svg: { title: 'Save the chart as SVG', filter: { name: 'SVG image', extensions: ['svg'] } },
  trace: {
    title: 'Save the run as a Chrome trace',
    filter: { name: 'Chrome trace (JSON)', extensions: ['json'] },
  },
  csv: { title: 'Save the events as CSV', filter: { name: 'CSV', extensions: ['csv'] } },
  html: { title: 'Save the report', filter: { name: 'HTML page', extensions: ['html', 'htm'] } },
  pdf: { title: 'Save the report as PDF', filter: { name: 'PDF', extensions: ['pdf'] } },
}

export function createFileService(opts: FileServiceOptions): FileService {
  const recent = new RecentFiles(recentFilesPath(opts.userData))
  const draftFile = draftPath(opts.userData)
  const now = opts.now ?? (() => new Date())
  /** Handle → path, for every file opened or saved in this session. */
  const paths = new Map<string, string>()
  let lastDir = opts.startDir

  function handleOf(path: string): string {
    for (const [id, p] of paths) if (p === path) return id
    const id = randomBytes(16).toString('hex')
    paths.set(id, path)
    return id
  }

  async function listRecent(): Promise<RecentFile[]> {
    return (await recent.list()).map(describeRecent)
  }

  async function remember(path: string): Promise<void> {
    lastDir = dirname(path)
    await recent.add(path).catch(() => undefined)
    opts.onRecentChanged?.(await listRecent())
  }

  /** Asks where to save; adds the extension when the person typed none (asking before replacing). */
  async function askSave(
    title: string,
    defaultPath: string,
    filter: FileFilter,
  ): Promise<string | null> {
    const chosen = await opts.dialogs.save({ title, defaultPath, filters: [filter] })
    if (!chosen) return null
    if (extname(chosen) !== '') return chosen
    const path = `${chosen}.${filter.extensions[0]}`
    const exists = await fs.stat(path).then(
      () => true,
      () => false,
    )
    return !exists || (await opts.dialogs.confirmReplace(path)) ? path : null
  }

  async function write(
    path: string,
    data: string | Uint8Array,
    fileId: string | null,
  ): Promise<Outcome<SaveResult>> {
    try {
      await writeFileAtomic(path, data)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message
      return fail(
        'file-error',
        `${path}: cannot write the file (${code}); the file there, if any, is unchanged`,
      )
    }
    return ok({ saved: true, name: basename(path), fileId })
  }

  const handlers: FileHandlers = {
    async openScenario(req) {
      let path: string | null
      if (req.recentId) {
        path = await recent.pathOf(req.recentId)
        if (!path) return fail('not-found', 'that file is no longer in the recent files')
      } else {
        path = await opts.dialogs.open({
          title: 'Open a scenario',
          defaultPath: lastDir,
          filters: [SCENARIO_FILTER, { name: 'All files', extensions: ['*'] }],
        })
        if (!path) return ok(null)
      }
      const read = await readScenarioText(path)
      if (!read.ok) {
        if (req.recentId) {
          await recent.remove(path).catch(() => undefined)
          opts.onRecentChanged?.(await listRecent())
        }
        return fail('file-error', read.message)
      }
      await remember(path)
      return ok({ fileId: handleOf(path), name: basename(path), text: read.text })
    },

    async saveScenario(req) {
      const known = req.fileId ? paths.get(req.fileId) : undefined
      let path = !req.saveAs ? known : undefined
      if (!path) {
        path =
          (await askSave(
            'Save the scenario',
            known ?? join(lastDir, basename(req.suggestedName)),
            SCENARIO_FILTER,
          )) ?? undefined
        if (!path) return ok({ saved: false })
      }
      const out = await write(path, req.text, handleOf(path))
      if (out.ok) await remember(path)
      return out
    },

    async recentFiles() {
      return ok(await listRecent())
    },

    async saveDraft(req) {
      const savedAt = now().toISOString()
      const path = req.fileId ? (paths.get(req.fileId) ?? null) : null
      try {
        await writeDraft(draftFile, { savedAt, text: req.text, name: req.name, path })
      } catch (err) {
        return fail('file-error', `cannot keep the draft: ${(err as Error).message}`)
      }
      return ok({ savedAt })
    },

    async loadDraft() {
      const d = await readDraft(draftFile)
      if (!d) return ok(null)
      return ok({
        text: d.text,
        name: d.name,
        fileId: d.path ? handleOf(d.path) : null,
        savedAt: d.savedAt,
      })
    },

    async clearDraft() {
      return ok({ cleared: await removeDraft(draftFile) })
    },

    async saveExport(req) {
      const kind = EXPORTS[req.format]
      const path = await askSave(
        kind.title,
        join(lastDir, basename(req.suggestedName)),
        kind.filter,
      )
      if (!path) return ok({ saved: false })
      const data = req.encoding === 'base64' ? Buffer.from(req.data, 'base64') : req.data
      const out = await write(path, data, null)
      if (out.ok) lastDir = dirname(path)
      return out
    },

    async exportPdf(req) {
      const kind = EXPORTS.pdf
      const path = await askSave(
        kind.title,
        join(lastDir, basename(req.suggestedName)),
        kind.filter,
      )
      if (!path) return ok({ saved: false })
      let pdf: Uint8Array
      try {
        pdf = await opts.printPdf(req.html)
      } catch (err) {
        return fail('internal', `printing the report to PDF failed: ${(err as Error).message}`)
      }
      const out = await write(path, pdf, null)
      if (out.ok) lastDir = dirname(path)
      return out
    },
  }

  return {
    handlers,
    recent: listRecent,
    async clearRecent() {
      await recent.clear()
      opts.onRecentChanged?.([])
    },
  }
}
