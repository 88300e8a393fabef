import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { menuTemplate, type MenuActions } from '../../../src/main/menu'
import type { MenuCommand, RecentFile } from '../../../src/shared/contract'

type Item = MenuItemConstructorOptions & { click?: () => void }

function actions() {
  const sent: MenuCommand[] = []
  let about = 0
  let cleared = 0
  const a: MenuActions = {
    about: () => void about++,
    command: (c) => void sent.push(c),
    clearRecent: () => void cleared++,
  }
  return { a, sent, about: () => about, cleared: () => cleared }
}

const items = (menu: Item | undefined) => (menu?.submenu ?? []) as Item[]
const byLabel = (menu: Item | undefined, label: string) =>
  items(menu).find((i) => i.label === label)

const recent: RecentFile[] = [
  { id: 'a'.repeat(32), name: 'doorbells.json', location: '/home/me/papers' },
  { id: 'b'.repeat(32), name: 'kdump.json', location: '/home/me' },
]

describe('menuTemplate', () => {
  it('has File, Edit, View, Window and Help, plus the app menu on macOS', () => {
    expect(menuTemplate(false, actions().a).map((m) => m.label ?? m.role)).toEqual([
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ])
    expect(menuTemplate(true, actions().a)[0]!.role).toBe('appMenu')
  })

  const viewRoles = (options?: { devTools?: boolean }) =>
    items(
      menuTemplate(false, actions().a, [], options).find((m) => m.label === 'View') as Item,
    ).map((i) => i.role ?? i.type)

  /** What View has in any case, after Reload (and the development items). */
  const zoomAndFullScreen = [
    'separator',
    'resetZoom',
    'zoomIn',
    'zoomOut',
    'separator',
    'togglefullscreen',
  ]

  it('offers no Force Reload and no DevTools in View unless told it is development', () => {
    expect(viewRoles()).toEqual(['reload', ...zoomAndFullScreen])
    expect(viewRoles({ devTools: false })).toEqual(['reload', ...zoomAndFullScreen])
  })

  it('offers Force Reload and Toggle Developer Tools in development', () => {
    expect(viewRoles({ devTools: true })).toEqual([
      'reload',
      'forceReload',
      'toggleDevTools',
      ...zoomAndFullScreen,
    ])
  })

  it('opens the About box from Help', () => {
    const { a, about } = actions()
    const help = menuTemplate(false, a).find((m) => m.role === 'help') as Item
    const item = items(help)[0]!
    expect(item.label).toBe('About vCPU Lab')
    item.click!()
    expect(about()).toBe(1)
  })

  it('has Open…, Open Recent, Save, Save As… and Export in File, each sending its command', () => {
    const { a, sent } = actions()
    const file = menuTemplate(false, a, recent)[0] as Item
    expect(items(file).map((i) => i.label ?? i.type ?? i.role)).toEqual([
      'Open…',
      'Open Recent',
      'separator',
      'Save',
      'Save As…',
      'separator',
      'Export',
      'separator',
      'quit',
    ])
    byLabel(file, 'Open…')!.click!()
    byLabel(file, 'Save')!.click!()
    byLabel(file, 'Save As…')!.click!()
    expect(sent).toEqual([{ command: 'open' }, { command: 'save' }, { command: 'save-as' }])
  })

  it('shows the page’s shortcuts without registering them, so a key acts once', () => {
    const file = menuTemplate(false, actions().a)[0] as Item
    expect(
      ['Open…', 'Save', 'Save As…'].map((l) => {
        const i = byLabel(file, l)!
        return [i.accelerator, i.registerAccelerator]
      }),
    ).toEqual([
      ['CmdOrCtrl+O', false],
      ['CmdOrCtrl+S', false],
      ['CmdOrCtrl+Shift+S', false],
    ])
  })

  it('lists the recent files by name and folder; a click opens that one; the list can be cleared', () => {
    const { a, sent, cleared } = actions()
    const openRecent = byLabel(menuTemplate(false, a, recent)[0] as Item, 'Open Recent')
    const list = items(openRecent)
    expect(list.map((i) => i.label ?? i.type)).toEqual([
      'doorbells.json  —  /home/me/papers',
      'kdump.json  —  /home/me',
      'separator',
      'Clear Recent Files',
    ])
    list[1]!.click!()
    expect(sent).toEqual([{ command: 'open-recent', id: 'b'.repeat(32) }])
    list[3]!.click!()
    expect(cleared()).toBe(1)
    const none = items(byLabel(menuTemplate(false, a, [])[0] as Item, 'Open Recent'))
    expect(none[0]).toMatchObject({ label: 'No recent files', enabled: false })
    expect(none.at(-1)).toMatchObject({ label: 'Clear Recent Files', enabled: false })
  })

  it('exports every chart, the trace, the CSV and the report from File ▸ Export', () => {
    const { a, sent } = actions()
    const exp = byLabel(menuTemplate(false, a)[0] as Item, 'Export')
    const entries = items(exp).filter((i) => i.type !== 'separator')
    expect(entries.map((i) => i.label)).toEqual([
      'Layout as PNG…',
      'Layout as SVG…',
      'Timeline as PNG…',
      'Timeline as SVG…',
      'Trace for Perfetto (JSON)…',
      'Events as CSV…',
      'Report (HTML)…',
      'Report (PDF)…',
    ])
    for (const e of entries) e.click!()
    expect(sent.map((c) => (c.command === 'export' ? c.what : c.command))).toEqual([
      'layout-png',
      'layout-svg',
      'timeline-png',
      'timeline-svg',
      'trace',
      'csv',
      'report-html',
      'report-pdf',
    ])
  })

  it('closes the window on macOS (the app menu quits) and quits elsewhere', () => {
    expect(items(menuTemplate(true, actions().a)[1] as Item).at(-1)!.role).toBe('close')
    expect(items(menuTemplate(false, actions().a)[0] as Item).at(-1)!.role).toBe('quit')
  })
})
