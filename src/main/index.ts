/** The Electron main process: composes the window, the menu, security and IPC, and nothing else. */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron'
import { join } from 'node:path'
import { createFileService } from '../services/fileService'
import { createLabHandlers, ENGINE_VERSIONS } from '../services/labService'
import { bundledWorkerSpawner, workerRunner } from '../services/runRunner'
import runWorkerPath from '../services/runWorker?modulePath'
import { EVENT_CHANNELS, type MenuCommand, type RecentFile } from '../shared/contract'
import { APP_INDEX_URL, handleAppProtocol, registerAppScheme } from './appProtocol'
import { electronDialogs } from './dialogs'
import { registerIpc, type IpcMainLike } from './ipc'
import { menuTemplate, type MenuActions } from './menu'
import { PRINT_PARTITION, pdfPrinter } from './pdf'
import { hardenApp } from './security'
import { makeUrlPolicy } from './trustedUrl'
import { createMainWindow, windowStateFile } from './window'

const here = import.meta.dirname
const rendererDir = join(here, '..', 'renderer')
/** electron-vite dev's page; never in the packaged app, and an empty variable is none. */
const devServerUrl = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || undefined
const policy = makeUrlPolicy(devServerUrl)
/** DevTools and their menu items only unpackaged (`npm start`, `electron-vite dev`). */
const devTools = !app.isPackaged
const presetsDir = app.isPackaged
  ? join(process.resourcesPath, 'presets')
  : join(app.getAppPath(), 'resources', 'presets')

// Privileged schemes are taken only before `ready`.
registerAppScheme(protocol)
app.enableSandbox()
if (!app.requestSingleInstanceLock()) app.quit()

async function openWindow(): Promise<BrowserWindow> {
  return createMainWindow({
    preload: join(here, '..', 'preload', 'index.cjs'),
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    stateFile: windowStateFile(app.getPath('userData')),
    devTools,
    load: (win) => win.loadURL(devServerUrl ?? APP_INDEX_URL),
  })
}

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0]
  if (win) {
    if (win.isMinimized()) win.restore()
    win.focus()
  }
})

// Engines run in worker threads, so the main process (and every window) stays responsive.
const runner = workerRunner({ spawn: bundledWorkerSpawner(runWorkerPath) })

/** The window the person is working in: menu commands go to its page. */
const activeWindow = () =>
  BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null

void app.whenReady().then(async () => {
  hardenApp(policy)
  handleAppProtocol(protocol, rendererDir)
  const menuActions: MenuActions = {
    about: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: 'About vCPU Lab',
        message: `vCPU Lab ${app.getVersion()}`,
        detail: `Engines: ${Object.values(ENGINE_VERSIONS).join(', ')}\nElectron ${process.versions.electron}`,
      }),
    command: (command: MenuCommand) =>
      activeWindow()?.webContents.send(EVENT_CHANNELS.menuCommand, command),
    clearRecent: () => void files.clearRecent(),
  }
  const setMenu = (recent: readonly RecentFile[]) =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(process.platform === 'darwin', menuActions, recent, { devTools }),
      ),
    )
  const files = createFileService({
    userData: app.getPath('userData'),
    startDir: app.getPath('documents'),
    dialogs: electronDialogs(activeWindow),
    printPdf: pdfPrinter({
      makeWindow: (options) => new BrowserWindow(options),
      session: session.fromPartition(PRINT_PARTITION),
    }),
    onRecentChanged: (recent) => {
      setMenu(recent)
      menuActions.command({ command: 'recent-changed' })
    },
  })
  registerIpc(
    ipcMain as unknown as IpcMainLike,
    {
      ...createLabHandlers({
        presetsDir,
        appVersion: app.getVersion(),
        carrier: 'electron',
        runner,
      }),
      ...files.handlers,
    },
    policy,
  )
  setMenu(await files.recent())
  await openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void openWindow()
  })
})

app.on('will-quit', () => void runner.close())

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
