/** The application menu: the usual roles (File, Edit, View, Window, Help) and an About box. */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  about(): void
}

export function menuTemplate(isMac: boolean, actions: MenuActions): MenuItemConstructorOptions[] {
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: 'About vCPU Lab', click: () => actions.about() }],
  }
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    help,
  ]
}
