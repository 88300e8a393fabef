import { describe, expect, it } from 'vitest'
import { buildLabApi, type IpcRendererLike } from '../../../src/preload/labApi'
import { LAB_METHODS, channelOf } from '../../../src/shared/contract'

describe('buildLabApi (the preload)', () => {
  it('exposes one function per method, the progress subscription, and nothing else', () => {
    const api = buildLabApi({
      invoke: async () => null,
      on: () => undefined,
      removeListener: () => undefined,
    })
    expect(Object.keys(api).sort()).toEqual([...LAB_METHODS, 'onRunProgress'].sort())
    expect(Object.isFrozen(api)).toBe(true)
    expect('ipcRenderer' in api || 'invoke' in api).toBe(false)
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
