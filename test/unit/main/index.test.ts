/**
 * The main process as composed in src/main/index.ts, over a mocked electron (no binary here): the
 * app:// scheme is declared privileged before `ready` and served after it, before the window loads
 * app://lab/index.html; DevTools and their menu items exist only when the app is not packaged.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { viewMenu } from '../../../src/main/menu'
import { PROJECT_ROOT } from '../../../src/services/paths'

interface Electron {
  packaged: boolean
  /** Every call, in order: `protocol.handle`, `window.loadURL`, … */
  calls: string[]
  privileged: unknown[]
  handlers: Map<string, (request: Request) => Promise<Response>>
  windows: { options: { webPreferences?: Record<string, unknown> }; loaded: string[] }[]
  menus: unknown[]
  whenReady: Promise<void>
  ready: () => void
}

const state = vi.hoisted(() => ({ electron: null as unknown as Electron }))

// The factory runs once per file; each start() puts a fresh Electron in `state`, read at each call.
vi.mock('electron', () => {
  const e = () => state.electron
  const emitter = { on: () => undefined, once: () => undefined }
  class BrowserWindow {
    static getAllWindows = () => []
    static getFocusedWindow = () => null
    webContents = { send: () => undefined }
    private readonly record: Electron['windows'][number]
    constructor(options: Electron['windows'][number]['options']) {
      this.record = { options, loaded: [] }
      e().windows.push(this.record)
    }
    on = emitter.on
    once = emitter.once
    maximize = () => undefined
    isDestroyed = () => false
    async loadURL(url: string) {
      e().calls.push(`loadURL ${url}`)
      this.record.loaded.push(url)
    }
    async loadFile(path: string) {
      e().calls.push(`loadFile ${path}`)
      this.record.loaded.push(path)
    }
  }
  const session = () => ({
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    webRequest: { onBeforeRequest: () => undefined },
  })
  const userData = mkdtempSync(join(tmpdir(), 'main-index-'))
  return {
    app: {
      get isPackaged() {
        return e().packaged
      },
      getAppPath: () => PROJECT_ROOT,
      getPath: () => userData,
      getVersion: () => '0.1.0',
      enableSandbox: () => void e().calls.push('enableSandbox'),
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
      on: () => undefined,
      whenReady: () => e().whenReady,
    },
    BrowserWindow,
    dialog: { showMessageBox: async () => ({ response: 0 }) },
    ipcMain: { handle: () => undefined, removeHandler: () => undefined },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => void e().menus.push(menu),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        e().calls.push('registerSchemesAsPrivileged')
        e().privileged.push(...schemes)
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        e().calls.push(`protocol.handle ${scheme}`)
        e().handlers.set(scheme, handler)
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: session(), fromPartition: session },
  }
})
vi.mock('../../../src/services/runWorker?modulePath', () => ({ default: '/nowhere/runWorker.js' }))

const withResources = process as { resourcesPath?: string }

/** Loads src/main/index.ts afresh over a fresh mock, as a packaged app or not. */
async function start(opts: { packaged: boolean; rendererUrl?: string }): Promise<Electron> {
  let ready: () => void = () => undefined
  state.electron = {
    packaged: opts.packaged,
    calls: [],
    privileged: [],
    handlers: new Map(),
    windows: [],
    menus: [],
    whenReady: new Promise<void>((resolve) => (ready = resolve)),
    ready: () => ready(),
  }
  // Electron's process.resourcesPath, where the packaged app's presets are.
  if (opts.packaged) withResources.resourcesPath = join(PROJECT_ROOT, 'resources')
  vi.stubEnv('ELECTRON_RENDERER_URL', opts.rendererUrl ?? '')
  vi.resetModules()
  await import('../../../src/main/index')
  return state.electron
}

/** Lets `whenReady` resolve and waits until the window has loaded its page. */
async function ready(e: Electron): Promise<void> {
  e.ready()
  await vi.waitFor(() => expect(e.windows[0]?.loaded.length).toBe(1))
}

type MenuItem = { label?: string; role?: string; submenu?: MenuItem[] }
const rolesOf = (menu: MenuItem | undefined) =>
  (menu?.submenu ?? []).map((i) => i.role ?? 'separator')
const viewRoles = (e: Electron) =>
  rolesOf((e.menus.at(-1) as MenuItem[]).find((m) => m.label === 'View'))

afterEach(() => {
  vi.unstubAllEnvs()
  delete withResources.resourcesPath
})

describe('the main process (src/main/index.ts)', () => {
  it('declares app:// privileged before ready, and serves it only after', async () => {
    const e = await start({ packaged: true })
    expect(e.calls).toEqual(['registerSchemesAsPrivileged', 'enableSandbox'])
    expect(e.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
    expect(e.handlers.size).toBe(0)
    await ready(e)
    expect(e.calls.slice(2)).toEqual(['protocol.handle app', 'loadURL app://lab/index.html'])
  })

  it('serves the renderer folder through the handler it registered, with the page’s CSP', async () => {
    const e = await start({ packaged: true })
    await ready(e)
    const handler = e.handlers.get('app')!
    // Under Vitest the module's folder is src/main, so the "built" renderer is src/renderer.
    const page = await handler(new Request('app://lab/index.html'))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /)
    expect(await page.text()).toBe(
      readFileSync(join(PROJECT_ROOT, 'src', 'renderer', 'index.html'), 'utf8'),
    )
    expect((await handler(new Request('app://lab/%2e%2e%2fmain%2findex.ts'))).status).toBe(403)
  })

  it('packaged: DevTools off, View without Force Reload or DevTools, no dev server', async () => {
    const e = await start({ packaged: true, rendererUrl: 'http://localhost:5173/' })
    await ready(e)
    expect(e.windows[0]!.loaded).toEqual(['app://lab/index.html'])
    expect(e.windows[0]!.options.webPreferences).toMatchObject({
      devTools: false,
      sandbox: true,
      contextIsolation: true,
    })
    // The View menu.test.ts shows without Force Reload and DevTools.
    expect(viewRoles(e)).toEqual(rolesOf(viewMenu(false) as MenuItem))
    expect(viewRoles(e)).not.toContain('toggleDevTools')
  })

  it('in development: DevTools on and in View, and the dev server’s page is loaded', async () => {
    const e = await start({ packaged: false, rendererUrl: 'http://localhost:5173/' })
    await ready(e)
    expect(e.windows[0]!.options.webPreferences).toMatchObject({ devTools: true })
    expect(viewRoles(e)).toEqual(rolesOf(viewMenu(true) as MenuItem))
    expect(viewRoles(e)).toEqual(expect.arrayContaining(['toggleDevTools', 'forceReload']))
    expect(e.windows[0]!.loaded).toEqual(['http://localhost:5173/'])
    expect(e.calls).toContain('protocol.handle app')
  })

  it('not packaged, no dev server (npm start; the variable empty): loads app://lab/index.html', async () => {
    const e = await start({ packaged: false })
    await ready(e)
    expect(e.windows[0]!.loaded).toEqual(['app://lab/index.html'])
  })
})
