/**
 * The file service's dialogs, as Electron's: modal to the window the person is working in. Kept
 * to the adapter; what is asked and what is done with the answer is in services/fileService.ts.
 */
import {
  BrowserWindow,
  dialog,
  type MessageBoxOptions,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron'
import { basename } from 'node:path'
import type { FileDialogs } from '../services/fileService'

export function electronDialogs(
  parent: () => BrowserWindow | null = () =>
    BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
): FileDialogs {
  return {
    async open(opts) {
      const options: OpenDialogOptions = {
        title: opts.title,
        defaultPath: opts.defaultPath,
        filters: opts.filters,
        properties: ['openFile'],
      }
      const win = parent()
      const out = win
        ? await dialog.showOpenDialog(win, options)
        : await dialog.showOpenDialog(options)
      return out.canceled ? null : (out.filePaths[0] ?? null)
    },
    async save(opts) {
      const options: SaveDialogOptions = {
        title: opts.title,
        defaultPath: opts.defaultPath,
        filters: opts.filters,
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      }
      const win = parent()
      const out = win
        ? await dialog.showSaveDialog(win, options)
        : await dialog.showSaveDialog(options)
      return out.canceled || !out.filePath ? null : out.filePath
    },
    async confirmReplace(path) {
      const options: MessageBoxOptions = {
        type: 'question',
        buttons: ['Replace', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: `“${basename(path)}” already exists. Replace it?`,
        detail: path,
      }
      const win = parent()
      const out = win
        ? await dialog.showMessageBox(win, options)
        : await dialog.showMessageBox(options)
      return out.response === 0
    },
  }
}
