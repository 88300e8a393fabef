/** The report printer with a fake window and session: what Electron is asked to do, and in what. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  PDF_OPTIONS,
  PRINT_PARTITION,
  pdfPrinter,
  type PrintSessionLike,
  type PrintWindowLike,
} from '../../../src/main/pdf'

function fakes(opts: { failLoad?: boolean } = {}) {
  let filter: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null
  let permission: ((wc: unknown, p: string, cb: (g: boolean) => void) => void) | null = null
  const windows: {
    options: unknown
    loaded: string[]
    html: string[]
    destroyed: boolean
    allowedWhileLoaded: boolean[]
  }[] = []
  const session: PrintSessionLike = {
    setPermissionRequestHandler: (h) => void (permission = h),
    webRequest: { onBeforeRequest: (l) => void (filter = l) },
  }
  const cancels = (url: string) => {
    let cancel = true
    filter!({ url }, (r) => (cancel = r.cancel))
    return cancel
  }
  const makeWindow = (options: unknown): PrintWindowLike => {
    const w = {
      options,
      loaded: [] as string[],
      html: [] as string[],
      destroyed: false,
      allowedWhileLoaded: [] as boolean[],
    }
    windows.push(w)
    return {
      async loadFile(path) {
        w.loaded.push(path)
        w.html.push(readFileSync(path, 'utf8'))
        w.allowedWhileLoaded.push(!cancels(pathToFileURL(path).href))
        if (opts.failLoad) throw new Error('ERR_FAILED')
      },
      webContents: { printToPDF: async () => new Uint8Array(Buffer.from('%PDF-1.7')) },
      destroy: () => void (w.destroyed = true),
    }
  }
  const print = pdfPrinter({ makeWindow, session })
  return { print, windows, cancels, permission: () => permission! }
}

describe('pdfPrinter', () => {
  it('prints the report in a hidden, sandboxed window with JavaScript off, in its own session', async () => {
    const { print, windows } = fakes()
    const pdf = await print('<!doctype html><p>report</p>')
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.7')
    expect(windows).toHaveLength(1)
    expect(windows[0]!.options).toMatchObject({
      show: false,
      webPreferences: {
        partition: PRINT_PARTITION,
        javascript: false,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        devTools: false,
      },
    })
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false)
    expect(windows[0]!.html).toEqual(['<!doctype html><p>report</p>'])
    expect(windows[0]!.destroyed).toBe(true)
    expect(PDF_OPTIONS).toMatchObject({ printBackground: true, pageSize: 'A4' })
  })

  it('lets the window load that one file (and inline data) while printing, then nothing', async () => {
    const { print, windows, cancels, permission } = fakes()
    await print('<p>x</p>')
    const file = windows[0]!.loaded[0]!
    expect(windows[0]!.allowedWhileLoaded).toEqual([true])
    expect(cancels(pathToFileURL(file).href)).toBe(true)
    expect(cancels('https://example.com/')).toBe(true)
    expect(cancels('file:///etc/passwd')).toBe(true)
    expect(cancels('data:image/png;base64,AAAA')).toBe(false)
    let granted = true
    permission()(null, 'media', (g) => (granted = g))
    expect(granted).toBe(false)
  })

  it('removes its temporary folder and the window even when loading fails', async () => {
    const { print, windows } = fakes({ failLoad: true })
    await expect(print('<p>x</p>')).rejects.toThrow('ERR_FAILED')
    expect(windows[0]!.destroyed).toBe(true)
    expect(existsSync(dirname(windows[0]!.loaded[0]!))).toBe(false)
  })

  it('prints one report at a time', async () => {
    const { print, windows } = fakes()
    const [a, b] = await Promise.all([print('<p>a</p>'), print('<p>b</p>')])
    expect([a.length, b.length]).toEqual([8, 8])
    expect(windows.map((w) => w.html[0])).toEqual(['<p>a</p>', '<p>b</p>'])
  })
})
