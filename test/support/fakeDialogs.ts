/** The main process's dialogs for tests: scripted answers, and a record of what was asked. */
import type { DialogOptions, FileDialogs } from '../../src/services/fileService'

export class FakeDialogs implements FileDialogs {
  asked: { kind: 'open' | 'save' | 'replace'; opts: DialogOptions | string }[] = []
  /** The next answers of the open dialog (a path, or null: cancelled). */
  opens: (string | null)[] = []
  /** The next answers of the save dialog (a path, or null: cancelled). */
  saves: (string | null)[] = []
  replace = true

  async open(opts: DialogOptions): Promise<string | null> {
    this.asked.push({ kind: 'open', opts })
    return this.opens.shift() ?? null
  }

  async save(opts: DialogOptions): Promise<string | null> {
    this.asked.push({ kind: 'save', opts })
    return this.saves.shift() ?? null
  }

  async confirmReplace(path: string): Promise<boolean> {
    this.asked.push({ kind: 'replace', opts: path })
    return this.replace
  }
}
