import { describe, expect, it } from 'vitest'
import { buildLabApi, type IpcRendererLike } from '../../../src/preload/labApi'
import { EVENT_CHANNELS, LAB_METHODS, channelOf } from '../../../src/shared/contract'

describe('buildLabApi (the preload)', () => {
  it('exposes one function per method, the progress subscription, and nothing else', () => {
    const api = buildLabApi({
      invoke: async () => null,
      on: () => undefined,
      removeListener: () => undefined,
    })
    expect(Object.keys(api).sort()).toEqual(
      [...LAB_METHODS, 'onRunProgress', 'onMenuCommand'].sort(),
    )
    expect(Object.isFrozen(api)).toBe(true)
    expect('ipcRenderer' in api || 'invoke' in api).toBe(false)
  })

  it('hands a menu command to the page without Electron’s event, and unsubscribes', () => {
    const listeners = new Map<string, (event: unknown, payload: unknown) => void>()
    const api = buildLabApi({
      invoke: async () => null,
      on: (c, l) => void listeners.set(c, l),
      removeListener: (c) => void listeners.delete(c),
    })
    const seen: unknown[] = []
    const off = api.onMenuCommand((c) => seen.push(c))
    listeners.get(EVENT_CHANNELS.menuCommand)!({ sender: 'electron' }, { command: 'save' })
    expect(seen).toEqual([{ command: 'save' }])
    off()
    expect(listeners.has(EVENT_CHANNELS.menuCommand)).toBe(false)
  })

  it('invokes each method on its own channel with the request', async () => {
    const calls: [string, unknown][] = []
    const ipc: IpcRendererLike = {
      invoke: async (c, p) => {
        calls.push([c, p])
        return { ok: true, value: null }
      },
      on: () => undefined,
      removeListener: () => undefined,
    }
    const api = buildLabApi(ipc)
    await api.readPreset({ id: 'x' })
    await api.listPresets(undefined as never)
    expect(calls).toEqual([
      [channelOf('readPreset'), { id: 'x' }],
      [channelOf('listPresets'), {}],
    ])
  })
})
