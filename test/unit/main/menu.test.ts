import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../../src/main/menu'

describe('menuTemplate', () => {
  it('has File, Edit, View, Window and Help, plus the app menu on macOS', () => {
    expect(menuTemplate(false, { about: () => undefined }).map((m) => m.role)).toEqual([
      'fileMenu',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help',
    ])
    expect(menuTemplate(true, { about: () => undefined })[0]!.role).toBe('appMenu')
  })

  it('opens the About box from Help', () => {
    let opened = 0
    const help = menuTemplate(false, { about: () => opened++ }).find((m) => m.role === 'help')!
    const item = (help.submenu as { label: string; click: () => void }[])[0]!
    expect(item.label).toBe('About vCPU Lab')
    item.click()
    expect(opened).toBe(1)
  })
})
