/** Electron's dialogs as the file service sees them (electron mocked: no binary here). */
import { beforeEach, describe, expect, it, vi } from 'vitest'

const calls: { fn: string; args: unknown[] }[] = []
const answers = {
  open: { canceled: false, filePaths: ['/home/me/a.json'] } as {
    canceled: boolean
    filePaths: string[]
  },
  save: { canceled: false, filePath: '/home/me/b.json' } as {
    canceled: boolean
    filePath?: string
  },
  box: { response: 0 },
}
const win = { id: 1 }

vi.mock('electron', () => ({
  BrowserWindow: { getFocusedWindow: () => win, getAllWindows: () => [win] },
  dialog: {
    showOpenDialog: async (...args: unknown[]) => (calls.push({ fn: 'open', args }), answers.open),
    showSaveDialog: async (...args: unknown[]) => (calls.push({ fn: 'save', args }), answers.save),
    showMessageBox: async (...args: unknown[]) => (calls.push({ fn: 'box', args }), answers.box),
  },
}))

const { electronDialogs } = await import('../../../src/main/dialogs')

beforeEach(() => {
  calls.length = 0
})

const opts = {
  title: 'Open a scenario',
  defaultPath: '/home/me',
  filters: [{ name: 'Scenario (JSON)', extensions: ['json'] }],
}

describe('electronDialogs', () => {
  it('opens one file, modal to the focused window, and answers its path or null', async () => {
    const d = electronDialogs()
    expect(await d.open(opts)).toBe('/home/me/a.json')
    expect(calls[0]).toEqual({
      fn: 'open',
      args: [win, { ...opts, properties: ['openFile'] }],
    })
    answers.open = { canceled: true, filePaths: [] }
    expect(await d.open(opts)).toBeNull()
  })

  it('saves with the overwrite question, and without a window when there is none', async () => {
    const d = electronDialogs(() => null)
    expect(await d.save(opts)).toBe('/home/me/b.json')
    expect(calls[0]).toEqual({
      fn: 'save',
      args: [{ ...opts, properties: ['showOverwriteConfirmation', 'createDirectory'] }],
    })
    answers.save = { canceled: true }
    expect(await d.save(opts)).toBeNull()
  })

  it('asks before replacing, with Cancel as the default', async () => {
    const d = electronDialogs()
    expect(await d.confirmReplace('/home/me/notes.json')).toBe(true)
    expect(calls[0]!.args[1]).toMatchObject({
      buttons: ['Replace', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: '“notes.json” already exists. Replace it?',
    })
    answers.box = { response: 1 }
    expect(await d.confirmReplace('/home/me/notes.json')).toBe(false)
  })
})
