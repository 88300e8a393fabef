/** The main window: sandboxed, context-isolated, no Node in the page; size and place remembered. */
import { BrowserWindow, screen } from 'electron'
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../services/atomicWrite'
import { MIN_SIZE, restoreState, type WindowState } from './windowState'

export interface WindowOptions {
  preload: string
  icon: string
  stateFile: string
  /** False in the packaged app: DevTools cannot be opened, by menu, key or code. */
  devTools: boolean
  load(win: BrowserWindow): Promise<void>
}

export async function createMainWindow(opts: WindowOptions): Promise<BrowserWindow> {
  const saved = await fs
    .readFile(opts.stateFile, 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => null)
  const state = restoreState(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  )
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'vCPU Lab',
    icon: opts.icon,
    backgroundColor: '#f7f7f5',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  })
  if (state.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  let timer: NodeJS.Timeout | undefined
  const save = () => {
    if (win.isDestroyed()) return
    const b = win.getNormalBounds()
    const next: WindowState = { ...b, maximized: win.isMaximized() }
    void writeFileAtomic(opts.stateFile, JSON.stringify(next)).catch(() => undefined)
  }
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', () => {
    clearTimeout(timer)
    save()
  })
  await opts.load(win)
  return win
}

export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json')
}
