/** In-memory stand-ins for Electron's ipcMain and ipcRenderer, wired to each other. */
import type { IpcEventLike, IpcMainLike } from '../../src/main/ipc'
import type { IpcRendererLike } from '../../src/preload/labApi'

type Handler = (event: IpcEventLike, payload: unknown) => Promise<unknown>
type Listener = (event: unknown, payload: unknown) => void

export class FakeIpc implements IpcMainLike {
  handlers = new Map<string, Handler>()
  sent: { channel: string; payload: unknown }[] = []
  listeners = new Map<string, Set<Listener>>()

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** What the renderer side sees, with the page at `url`. */
  renderer(url: string): IpcRendererLike {
    const sender = {
      send: (channel: string, payload: unknown) => {
        this.sent.push({ channel, payload })
        for (const l of this.listeners.get(channel) ?? []) l({ sender: 'main' }, payload)
      },
    }
    return {
      invoke: async (channel, payload) => {
        const h = this.handlers.get(channel)
        if (!h) throw new Error(`No handler registered for '${channel}'`)
        // Electron's IPC copies both ways with the structured clone algorithm: so does the fake,
        // so an answer that would not cross (a function, a class) fails here too.
        return structuredClone(await h({ senderFrame: { url }, sender }, structuredClone(payload)))
      },
      on: (channel, listener) => {
        const set = this.listeners.get(channel) ?? new Set()
        set.add(listener)
        this.listeners.set(channel, set)
      },
      removeListener: (channel, listener) => this.listeners.get(channel)?.delete(listener),
    }
  }
}
