/**
 * The application menu: File (open, recent files, save, export), then the usual roles (Edit, View,
 * Window, Help) and an About box. File items send a command to the page, which holds the scenario
 * and the runs; the page's own keyboard handles Ctrl+O, Ctrl+S and Ctrl+Shift+S, so the menu only
 * shows those accelerators (registerAccelerator: false) and a key press acts once. View offers
 * Force Reload and Toggle Developer Tools only in development (`devTools`); the packaged app's
 * window has DevTools off as well (window.ts), so no key opens them.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { ExportWhat, MenuCommand, RecentFile } from '../shared/contract'

export interface MenuActions {
  about(): void
  /** Sends a command to the focused window's page. */
  command(command: MenuCommand): void
  clearRecent(): void
}

const EXPORT_ITEMS: { label: string; what: ExportWhat }[] = [
  { label: 'Layout as PNG…', what: 'layout-png' },
  { label: 'Layout as SVG…', what: 'layout-svg' },
  { label: 'Timeline as PNG…', what: 'timeline-png' },
  { label: 'Timeline as SVG…', what: 'timeline-svg' },
  { label: 'Trace for Perfetto (JSON)…', what: 'trace' },
  { label: 'Events as CSV…', what: 'csv' },
  { label: 'Report (HTML)…', what: 'report-html' },
  { label: 'Report (PDF)…', what: 'report-pdf' },
]

export function fileMenu(
  isMac: boolean,
  actions: MenuActions,
  recent: readonly RecentFile[],
): MenuItemConstructorOptions {
  const send = (command: MenuCommand) => () => actions.command(command)
  const shown = (accelerator: string) => ({ accelerator, registerAccelerator: false })
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((f) => ({
        label: `${f.name}  —  ${f.location}`,
        click: send({ command: 'open-recent', id: f.id }),
      }))
    : [{ label: 'No recent files', enabled: false }]
  return {
    label: 'File',
    submenu: [
      { label: 'Open…', ...shown('CmdOrCtrl+O'), click: send({ command: 'open' }) },
      {
        label: 'Open Recent',
        submenu: [
          ...recentItems,
          { type: 'separator' },
          { label: 'Clear Recent Files', enabled: recent.length > 0, click: actions.clearRecent },
        ],
      },
      { type: 'separator' },
      { label: 'Save', ...shown('CmdOrCtrl+S'), click: send({ command: 'save' }) },
      { label: 'Save As…', ...shown('CmdOrCtrl+Shift+S'), click: send({ command: 'save-as' }) },
      { type: 'separator' },
      {
        label: 'Export',
        submenu: EXPORT_ITEMS.flatMap((item, i): MenuItemConstructorOptions[] => [
          ...(i === 4 || i === 6 ? [{ type: 'separator' as const }] : []),
          { label: item.label, click: send({ command: 'export', what: item.what }) },
        ]),
      },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  }
}

export interface MenuOptions {
  /** Development (the app is not packaged): View also offers Force Reload and the DevTools. */
  devTools?: boolean
}

export function viewMenu(devTools: boolean): MenuItemConstructorOptions {
  const development: MenuItemConstructorOptions[] = [
    { role: 'forceReload' },
    { role: 'toggleDevTools' },
  ]
  return {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(devTools ? development : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
}

export function menuTemplate(
  isMac: boolean,
  actions: MenuActions,
  recent: readonly RecentFile[] = [],
  options: MenuOptions = {},
): MenuItemConstructorOptions[] {
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: 'About vCPU Lab', click: () => actions.about() }],
  }
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    fileMenu(isMac, actions, recent),
    { role: 'editMenu' },
    viewMenu(options.devTools === true),
    { role: 'windowMenu' },
    help,
  ]
}
