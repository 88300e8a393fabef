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
  const session = new FileSession(opts)
  return {
    handlers: {
      ...scenarioHandlers(session),
      ...draftHandlers(session),
      ...exportHandlers(session),
    },
    recent: () => session.listRecent(),
    async clearRecent() {
      await session.recent.clear()
      opts.onRecentChanged?.([])
    },
  }
}

/**
 * What the handlers share for as long as the app runs: the recent files, the draft's file, the
 * handles given out (invariant 1) and the folder the next dialog starts in.
 */
class FileSession {
  readonly recent: RecentFiles
  readonly draftFile: string
  readonly now: () => Date
  /** Handle → path, for every file opened or saved in this session. */
  readonly paths = new Map<string, string>()
  lastDir: string

  constructor(readonly opts: FileServiceOptions) {
    this.recent = new RecentFiles(recentFilesPath(opts.userData))
    this.draftFile = draftPath(opts.userData)
    this.now = opts.now ?? (() => new Date())
    this.lastDir = opts.startDir
  }

  handleOf(path: string): string {
    for (const [id, p] of this.paths) if (p === path) return id
    const id = randomBytes(16).toString('hex')
    this.paths.set(id, path)
    return id
  }

  async listRecent(): Promise<RecentFile[]> {
    return (await this.recent.list()).map(describeRecent)
  }

  async remember(path: string): Promise<void> {
    this.lastDir = dirname(path)
    await this.recent.add(path).catch(() => undefined)
    this.opts.onRecentChanged?.(await this.listRecent())
  }

  /** Asks where to save; adds the extension when the person typed none (asking before replacing). */
  async askSave(title: string, defaultPath: string, filter: FileFilter): Promise<string | null> {
    const chosen = await this.opts.dialogs.save({ title, defaultPath, filters: [filter] })
    if (!chosen) return null
    if (extname(chosen) !== '') return chosen
    const path = `${chosen}.${filter.extensions[0]}`
    const exists = await fs.stat(path).then(
      () => true,
      () => false,
    )
    return !exists || (await this.opts.dialogs.confirmReplace(path)) ? path : null
  }

  async write(
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
}

type ScenarioHandlers = Pick<FileHandlers, 'openScenario' | 'saveScenario' | 'recentFiles'>

/** Opening (from a dialog or the recent files) and saving scenario files. */
function scenarioHandlers(s: FileSession): ScenarioHandlers {
  return {
    async openScenario(req) {
      let path: string | null
      if (req.recentId) {
        path = await s.recent.pathOf(req.recentId)
        if (!path) return fail('not-found', 'that file is no longer in the recent files')
      } else {
        path = await s.opts.dialogs.open({
          title: 'Open a scenario',
          defaultPath: s.lastDir,
          filters: [SCENARIO_FILTER, { name: 'All files', extensions: ['*'] }],
        })
        if (!path) return ok(null)
      }
      const read = await readScenarioText(path)
      if (!read.ok) {
        if (req.recentId) {
          await s.recent.remove(path).catch(() => undefined)
          s.opts.onRecentChanged?.(await s.listRecent())
        }
        return fail('file-error', read.message)
      }
      await s.remember(path)
      return ok({ fileId: s.handleOf(path), name: basename(path), text: read.text })
    },

    async saveScenario(req) {
      const known = req.fileId ? s.paths.get(req.fileId) : undefined
      let path = !req.saveAs ? known : undefined
      if (!path) {
        path =
          (await s.askSave(
            'Save the scenario',
            known ?? join(s.lastDir, basename(req.suggestedName)),
            SCENARIO_FILTER,
          )) ?? undefined
        if (!path) return ok({ saved: false })
      }
      const out = await s.write(path, req.text, s.handleOf(path))
      if (out.ok) await s.remember(path)
      return out
    },

    async recentFiles() {
      return ok(await s.listRecent())
    },
  }
}

type DraftHandlers = Pick<FileHandlers, 'saveDraft' | 'loadDraft' | 'clearDraft'>

/** The unsaved draft, kept beside the app's data, with the handle of the file it came from. */
function draftHandlers(s: FileSession): DraftHandlers {
  return {
    async saveDraft(req) {
      const savedAt = s.now().toISOString()
      const path = req.fileId ? (s.paths.get(req.fileId) ?? null) : null
      try {
        await writeDraft(s.draftFile, { savedAt, text: req.text, name: req.name, path })
      } catch (err) {
        return fail('file-error', `cannot keep the draft: ${(err as Error).message}`)
      }
      return ok({ savedAt })
    },

    async loadDraft() {
      const d = await readDraft(s.draftFile)
      if (!d) return ok(null)
      return ok({
        text: d.text,
        name: d.name,
        fileId: d.path ? s.handleOf(d.path) : null,
        savedAt: d.savedAt,
      })
    },

    async clearDraft() {
      return ok({ cleared: await removeDraft(s.draftFile) })
    },
  }
}

type ExportHandlers = Pick<FileHandlers, 'saveExport' | 'exportPdf'>

/** Exports and the PDF report, each to where the person chose; no handle is given for them. */
function exportHandlers(s: FileSession): ExportHandlers {
  /** Asks where an export goes, starting in the last folder with the suggested name. */
  const askExport = (format: ExportFormat | 'pdf', suggestedName: string) =>
    s.askSave(
      EXPORTS[format].title,
      join(s.lastDir, basename(suggestedName)),
      EXPORTS[format].filter,
    )
  const writeExport = async (path: string, data: string | Uint8Array) => {
    const out = await s.write(path, data, null)
    if (out.ok) s.lastDir = dirname(path)
    return out
  }
  return {
    async saveExport(req) {
      const path = await askExport(req.format, req.suggestedName)
      if (!path) return ok({ saved: false })
      const data = req.encoding === 'base64' ? Buffer.from(req.data, 'base64') : req.data
      return writeExport(path, data)
    },

    async exportPdf(req) {
      const path = await askExport('pdf', req.suggestedName)
      if (!path) return ok({ saved: false })
      let pdf: Uint8Array
      try {
        pdf = await s.opts.printPdf(req.html)
      } catch (err) {
        return fail('internal', `printing the report to PDF failed: ${(err as Error).message}`)
      }
      return writeExport(path, pdf)
    },
  }
}
