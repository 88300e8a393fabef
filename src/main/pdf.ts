/**
 * The report as PDF, printed by Chromium (webContents.printToPDF) in a window of its own that is
 * never shown: sandboxed, JavaScript and DevTools off, in an in-memory session that may load
 * nothing but the one report file (written to a fresh temporary folder, because a long data: URL
 * is cut by Chromium). The main window is never navigated.
 *
 * This is the one file:// load left: the main window's page is app:// (appProtocol.ts). It needs
 * none of the extra privileges file:// pages had (the grantFileProtocolExtraPrivileges fuse is off
 * in the packaged app): the report is one self-contained page whose images are data: URLs, and
 * its session's filter, not the default session's, decides what it may load.
 */
import { promises as fs } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron'

/** The part of a BrowserWindow the printer uses. */
export interface PrintWindowLike {
  loadFile(path: string): Promise<void>
  webContents: { printToPDF(options: PrintToPDFOptions): Promise<Uint8Array> }
  destroy(): void
}

/** The part of an Electron session the printer configures. */
export interface PrintSessionLike {
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void,
    ): void
  }
}

export interface PdfPrinterDeps {
  makeWindow(options: BrowserWindowConstructorOptions): PrintWindowLike
  session: PrintSessionLike
  tmpRoot?: string
}

/** The in-memory session (no `persist:` prefix) the report windows use. */
export const PRINT_PARTITION = 'lab-report-print'

export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  width: 1240,
  height: 1754,
  webPreferences: {
    partition: PRINT_PARTITION,
    javascript: false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: false,
  },
}

export const PDF_OPTIONS: PrintToPDFOptions = {
  printBackground: true,
  pageSize: 'A4',
  generateDocumentOutline: true,
}

/** A printer that turns one report page into PDF bytes at a time. */
export function pdfPrinter(deps: PdfPrinterDeps): (html: string) => Promise<Uint8Array> {
  let allowed: string | null = null
  deps.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  deps.session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !(details.url === allowed || details.url.startsWith('data:')) })
  })
  let queue: Promise<unknown> = Promise.resolve()

  async function print(html: string): Promise<Uint8Array> {
    const dir = await fs.mkdtemp(join(deps.tmpRoot ?? tmpdir(), 'vcpu-lab-report-'))
    const file = join(dir, 'report.html')
    let win: PrintWindowLike | null = null
    try {
      await fs.writeFile(file, html, { mode: 0o600 })
      allowed = pathToFileURL(file).href
      win = deps.makeWindow(PRINT_WINDOW_OPTIONS)
      await win.loadFile(file)
      return await win.webContents.printToPDF(PDF_OPTIONS)
    } finally {
      allowed = null
      win?.destroy()
      await fs.rm(dir, { recursive: true, force: true })
    }
  }

  return (html) => {
    const next = queue.then(
      () => print(html),
      () => print(html),
    )
    queue = next.catch(() => undefined)
    return next
  }
}
